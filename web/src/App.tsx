import { useEffect, useState } from "react";
import { failingServices, type Readiness } from "./ready";

export function App() {
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetch("/ready")
      .then((response) => response.json() as Promise<Readiness>)
      .then(setReadiness)
      .catch(() => setError("The API did not answer. Is `make up` running?"));
  }, []);

  const failing = readiness ? failingServices(readiness) : [];
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 720, margin: "3rem auto", padding: "0 1rem" }}>
      <h1>Mock Interview</h1>
      <p>Practice interviews with an AI interviewer in a live video room.</p>
      <section aria-live="polite" data-testid="stack-status">
        {error && <p role="alert">{error}</p>}
        {!error && !readiness && <p>Checking services…</p>}
        {readiness && failing.length === 0 && <p>All services are ready.</p>}
        {failing.length > 0 && (
          <ul>
            {failing.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
