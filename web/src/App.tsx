import { AcceptInvitation } from "./pages/AcceptInvitation";
import { Bank } from "./pages/Bank";
import { Compare } from "./pages/Compare";
import { DeviceCheck } from "./pages/DeviceCheck";
import { Interviews } from "./pages/Interviews";
import { Live } from "./pages/Live";
import { Observe } from "./pages/Observe";
import { Postings } from "./pages/Postings";
import { Report } from "./pages/Report";
import { Room } from "./pages/Room";
import { SignIn } from "./pages/SignIn";
import { Team, Users } from "./pages/Users";
import { AuthProvider, useAuth } from "./lib/auth";
import { I18nProvider, useI18n } from "./lib/i18n";
import { match, navigate, usePath } from "./lib/router";

export function App() {
  return (
    <I18nProvider>
      <AuthProvider>
        <Shell />
      </AuthProvider>
    </I18nProvider>
  );
}

function Shell() {
  const { t, language, setLanguage } = useI18n();
  const { user, loading, signOut } = useAuth();
  const path = usePath();
  const inRoom = /\/(room|observe)/.test(path);
  // An invitation link works signed out: the invitee has no account yet.
  const invitation = match("/invitations/:token", path);
  return (
    <div className={inRoom ? "app in-room" : "app"}>
      {!inRoom && (
        <nav className="top no-print" aria-label="main">
          <a
            href="/app/"
            className="brand"
            onClick={(event) => {
              event.preventDefault();
              navigate("/");
            }}
          >
            {t("appName")}
          </a>
          {user && <RoleLinks role={user.role} />}
          <span className="spacer" />
          <select
            aria-label="Language / 언어"
            value={language}
            onChange={(event) => setLanguage(event.target.value as "en" | "ko")}
          >
            <option value="en">English</option>
            <option value="ko">한국어</option>
          </select>
          {user && (
            <>
              <span className="muted small">
                {user.username} · {user.role}
              </span>
              <button className="secondary" onClick={signOut}>
                {t("signOut")}
              </button>
            </>
          )}
        </nav>
      )}
      <div className="content">
        {loading ? (
          <p>{t("loading")}</p>
        ) : invitation ? (
          <AcceptInvitation key={path} token={invitation.token} />
        ) : user ? (
          <Page path={path} />
        ) : (
          <SignIn />
        )}
      </div>
    </div>
  );
}

function Page({ path }: { path: string }) {
  const { user } = useAuth();
  const id = (params: Record<string, string> | null) => Number(params?.id);
  let params: Record<string, string> | null;
  if ((params = match("/interviews/:id/check", path))) return <DeviceCheck interviewId={id(params)} />;
  if ((params = match("/interviews/:id/room", path))) return <Room key={path} interviewId={id(params)} />;
  if ((params = match("/interviews/:id/report", path))) return <Report key={path} interviewId={id(params)} />;
  if ((params = match("/observe/:id", path))) return <Observe key={path} interviewId={id(params)} />;
  if ((params = match("/postings/:id/compare", path))) return <Compare key={path} postingId={id(params)} />;
  if (user?.role !== "candidate" && path === "/bank") return <Bank />;
  if (user?.role !== "candidate" && path === "/postings") return <Postings />;
  if (user?.role === "admin" && path === "/users") return <Users />;
  if (user?.role === "recruiter" && path === "/team") return <Team />;
  return user?.role === "candidate" ? <Interviews /> : <Live />;
}

function RoleLinks({ role }: { role: string }) {
  const { t, language } = useI18n();
  const links: [string, string][] =
    role === "candidate"
      ? [["/", t("myInterviews")]]
      : [
          ["/", t("live")],
          ["/bank", t("questionBank")],
          ["/postings", t("myPostings")],
          ...(role === "admin" ? ([["/users", t("users")]] as [string, string][]) : []),
          // Recruiters invite colleagues into their organisation.
          ...(role === "recruiter" ? ([["/team", language === "ko" ? "팀" : "Team"]] as [string, string][]) : []),
        ];
  return (
    <>
      {links.map(([path, label]) => (
        <a
          key={path}
          href={`/app${path}`}
          onClick={(event) => {
            event.preventDefault();
            navigate(path);
          }}
        >
          {label}
        </a>
      ))}
    </>
  );
}
