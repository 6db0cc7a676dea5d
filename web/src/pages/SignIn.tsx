import { useState, type FormEvent } from "react";
import { ApiError, api } from "../lib/api";
import { useAuth } from "../lib/auth";
import { useI18n } from "../lib/i18n";

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const [registering, setRegistering] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get("username") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      if (registering) {
        await api.post("/register", {
          username,
          password,
          email: String(form.get("email") ?? ""),
          full_name: String(form.get("full_name") ?? "") || null,
          role: form.get("recruiter") ? "recruiter" : "candidate",
        });
      }
      await signIn(username, password);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card narrow">
      <h1>{registering ? t("register") : t("signIn")}</h1>
      <p className="muted">{t("tagline")}</p>
      <form onSubmit={submit} aria-describedby={error ? "auth-error" : undefined}>
        <label>
          {registering ? t("username") : t("usernameOrEmail")}
          <input name="username" autoComplete="username" required />
        </label>
        {registering && (
          <>
            <label>
              {t("email")}
              <input name="email" type="email" autoComplete="email" required />
            </label>
            <label>
              {t("fullName")}
              <input name="full_name" autoComplete="name" />
            </label>
          </>
        )}
        <label>
          {t("password")}
          <input
            name="password"
            type="password"
            autoComplete={registering ? "new-password" : "current-password"}
            required
          />
        </label>
        {registering && (
          <label className="check">
            <input type="checkbox" name="recruiter" /> {t("iAmRecruiter")}
          </label>
        )}
        {error && (
          <p role="alert" id="auth-error" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {registering ? t("register") : t("signIn")}
        </button>
      </form>
      <button type="button" className="link" onClick={() => setRegistering(!registering)}>
        {registering ? t("haveAccount") : t("noAccount")}
      </button>
    </section>
  );
}
