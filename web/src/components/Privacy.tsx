/** The candidate's controls over their own data: share a practice interview, delete it, download everything,
 * delete the account, and read who looked at an interview. */
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, privacy } from "../lib/api";
import { useAuth } from "../lib/auth";
import { useI18n, type StringKey } from "../lib/i18n";
import type { AccessEvent, Interview } from "../lib/types";

const ACTIONS: Record<string, StringKey> = {
  observe: "access_observe",
  score_override: "access_score_override",
  note: "access_note",
  read_report: "access_read_report",
  read_transcripts: "access_read_transcripts",
  read_evaluations: "access_read_evaluations",
  export: "access_export",
};

function message(caught: unknown): string {
  return caught instanceof ApiError ? caught.message : String(caught);
}

/** Sharing means something only for a practice interview of a posting: screening interviews are always shared.
 * The box follows the click at once and goes back if the API refuses. */
export function ShareToggle({ interview, onChange }: { interview: Interview; onChange: (next: Interview) => void }) {
  const { t } = useI18n();
  const [shared, setShared] = useState(interview.shared_with_recruiters);
  const [error, setError] = useState<string | null>(null);
  if (interview.mode !== "practice" || interview.job_posting_id == null) return null;
  return (
    <label className="check small">
      <input
        type="checkbox"
        checked={shared}
        onChange={(event) => {
          const wanted = event.target.checked;
          setShared(wanted);
          setError(null);
          privacy
            .share(interview.id, wanted)
            .then(onChange)
            .catch((caught) => {
              setShared(!wanted);
              setError(message(caught));
            });
        }}
      />{" "}
      {t("shareWithRecruiters")}
      {error && <span className="error"> {error}</span>}
    </label>
  );
}

export function DeleteInterviewButton({ interviewId, onDeleted }: { interviewId: number; onDeleted: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        className="secondary"
        onClick={() => {
          if (!window.confirm(t("confirmDeleteInterview"))) return;
          privacy
            .deleteInterview(interviewId)
            .then(onDeleted)
            .catch((caught) => setError(message(caught)));
        }}
      >
        {t("deleteInterview")}
      </button>
      {error && (
        <p role="alert" className="error small">
          {error}
        </p>
      )}
    </>
  );
}

export function RetentionNote() {
  const { t } = useI18n();
  const [days, setDays] = useState<number | null>(null);
  useEffect(() => {
    privacy
      .policy()
      .then((policy) => setDays(policy.practice_retention_days))
      .catch(() => setDays(null));
  }, []);
  if (days === null) return null;
  return (
    <p className="muted small" data-testid="retention-note">
      {t("retentionNote", { days })}
    </p>
  );
}

function download(name: string, data: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

export function YourData() {
  const { t } = useI18n();
  const { signOut } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function exportData() {
    setError(null);
    try {
      download("my-interview-data.json", await privacy.exportData());
    } catch (caught) {
      setError(message(caught));
    }
  }

  async function deleteAccount(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      await privacy.deleteAccount(password);
      signOut();
    } catch (caught) {
      setError(message(caught));
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="your-data">
      <h2 id="your-data">{t("yourData")}</h2>
      <button className="secondary" onClick={() => void exportData()}>
        {t("exportData")}
      </button>
      <form onSubmit={deleteAccount} className="grid-form">
        <p className="muted small">{t("deleteAccountHelp")}</p>
        <label>
          {t("password")}
          <input name="password" type="password" required autoComplete="current-password" />
        </label>
        <button type="submit" className="secondary" disabled={busy}>
          {t("deleteAccount")}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

/** The candidate's "who looked at this interview" (the API answers it for the candidate only). */
export function AccessLog({ interviewId }: { interviewId: number }) {
  const { t } = useI18n();
  const [events, setEvents] = useState<AccessEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    privacy
      .accessLog(interviewId)
      .then(setEvents)
      .catch((caught) => setError(message(caught)));
  }, [interviewId]);
  return (
    <section className="card no-print" aria-labelledby="access-log" data-testid="access-log">
      <h2 id="access-log">{t("accessLogTitle")}</h2>
      {error && <p className="error">{error}</p>}
      {events?.length === 0 && <p className="muted">{t("accessLogEmpty")}</p>}
      <ul className="list">
        {events?.map((event) => (
          <li key={event.id}>
            <span>
              <strong>{event.actor ?? "—"}</strong>
              {event.actor_role && event.action !== "export" && (
                <span className="muted small"> · {event.actor_role}</span>
              )}{" "}
              {event.action in ACTIONS ? t(ACTIONS[event.action]) : event.action}
            </span>
            <time className="muted small" dateTime={event.created_at}>
              {new Date(event.created_at).toLocaleString()}
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}
