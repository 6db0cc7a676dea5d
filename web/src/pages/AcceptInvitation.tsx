/** The page an invitation link opens: it says which organisation invited whom, and creates the recruiter account.
 * It works signed out (the invitee has no account yet); accepting signs the new recruiter in. */
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, organisations, type InvitationLookup } from "../lib/api";
import { useAuth } from "../lib/auth";
import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";

const TEXT = {
  en: {
    title: "Join your organisation",
    invited: "{email} is invited to join {organisation} as a recruiter.",
    expires: "The invitation expires on {date}.",
    accept: "Create recruiter account",
    checking: "Checking the invitation…",
  },
  ko: {
    title: "조직에 가입",
    invited: "{email} 님이 {organisation}의 채용 담당자로 초대되었습니다.",
    expires: "초대는 {date}에 만료됩니다.",
    accept: "채용 담당자 계정 만들기",
    checking: "초대를 확인하는 중…",
  },
};

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
}

export function AcceptInvitation({ token }: { token: string }) {
  const { t, language } = useI18n();
  const { signIn } = useAuth();
  const text = TEXT[language];
  const [invitation, setInvitation] = useState<InvitationLookup | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    organisations
      .lookUpInvitation(token)
      .then(setInvitation)
      .catch((caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught)));
  }, [token]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get("username") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      await organisations.acceptInvitation(token, {
        username,
        password,
        full_name: String(form.get("full_name") ?? "") || null,
      });
      await signIn(username, password);
      navigate("/", true);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card narrow">
      <h1>{text.title}</h1>
      {error && (
        <p role="alert" id="invitation-error" className="error">
          {error}
        </p>
      )}
      {!invitation && !error && <p>{text.checking}</p>}
      {invitation && (
        <>
          <p data-testid="invitation">
            {fill(text.invited, { email: invitation.email, organisation: invitation.organisation_name })}
          </p>
          <p className="muted small">
            {fill(text.expires, { date: new Date(invitation.expires_at).toLocaleString(language) })}
          </p>
          <form onSubmit={submit} aria-describedby={error ? "invitation-error" : undefined}>
            <label>
              {t("username")}
              <input name="username" autoComplete="username" required />
            </label>
            <label>
              {t("fullName")}
              <input name="full_name" autoComplete="name" />
            </label>
            <label>
              {t("password")}
              <input name="password" type="password" autoComplete="new-password" required />
            </label>
            <button type="submit" disabled={busy}>
              {text.accept}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
