import { useState, type FormEvent } from "react";
import { ApiError, api } from "../lib/api";
import { useAuth } from "../lib/auth";
import { useI18n } from "../lib/i18n";

// Sign-up answers the same whether or not the name was free (so that it reveals no accounts): when the sign-in
// that follows fails, the name or the email was most likely taken.
const TEXT = {
  en: {
    taken: "Could not sign in with the new account: the username or email may already be in use. Sign in, or choose another username.",
    recruiters: "Recruiters join through an invitation from their organisation.",
  },
  ko: {
    taken: "새 계정으로 로그인하지 못했습니다. 사용자 이름이나 이메일이 이미 사용 중일 수 있습니다. 로그인하거나 다른 사용자 이름을 선택하세요.",
    recruiters: "채용 담당자는 소속 조직의 초대를 통해 가입합니다.",
  },
};

export function SignIn() {
  const { t, language } = useI18n();
  const text = TEXT[language];
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
        });
      }
      await signIn(username, password);
    } catch (caught) {
      if (registering && caught instanceof ApiError && caught.status === 401) setError(text.taken);
      else setError(caught instanceof ApiError ? caught.message : String(caught));
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
        {registering && <p className="muted small">{text.recruiters}</p>}
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
