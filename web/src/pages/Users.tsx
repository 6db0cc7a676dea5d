import { useEffect, useState, type FormEvent } from "react";
import {
  ApiError,
  api,
  invitationLink,
  organisations,
  type Invitation,
  type InvitationIssued,
  type Organisation,
} from "../lib/api";
import { useAuth } from "../lib/auth";
import { useI18n } from "../lib/i18n";
import type { Role, User } from "../lib/types";
import { useResource } from "../lib/useResource";

type AdminView = User & { is_active: boolean; organisation_id: number | null };
type Change = Partial<Pick<AdminView, "role" | "is_active" | "organisation_id">>;
const ROLES: Role[] = ["candidate", "recruiter", "admin"];

const TEXT = {
  en: {
    organisations: "Organisations",
    organisation: "Organisation",
    none: "—",
    newOrganisation: "New organisation",
    createOrganisation: "Create organisation",
    inviteEmail: "Invite a recruiter (email)",
    invite: "Invite",
    invitations: "Invitations",
    link: "Send this link to {email}; it works once and is shown only now:",
    pending: "pending until {date}",
    accepted: "accepted",
    expired: "expired",
    chooseFirst: "Choose the organisation first, then the role recruiter.",
  },
  ko: {
    organisations: "조직",
    organisation: "조직",
    none: "—",
    newOrganisation: "새 조직",
    createOrganisation: "조직 만들기",
    inviteEmail: "채용 담당자 초대 (이메일)",
    invite: "초대",
    invitations: "초대 목록",
    link: "이 링크를 {email} 님께 보내세요. 한 번만 쓸 수 있고 지금만 표시됩니다:",
    pending: "{date}까지 유효",
    accepted: "수락됨",
    expired: "만료됨",
    chooseFirst: "먼저 조직을 고른 다음 역할을 채용 담당자로 바꾸세요.",
  },
};
type Text = (typeof TEXT)["en"];

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
}

function message(caught: unknown): string {
  return caught instanceof ApiError ? caught.message : String(caught);
}

/** Admins: every account, its role, its organisation and whether it may sign in; organisations and their
 * invitations. */
export function Users() {
  const { t, language } = useI18n();
  const text = TEXT[language];
  const { user: me } = useAuth();
  const { value: users, setValue: setUsers, error, setError } = useResource<AdminView[]>("/users?limit=200");
  const { value: orgs, reload: reloadOrgs } = useResource<Organisation[]>("/organisations?limit=200");
  // The organisation picked for someone who is not a recruiter yet: it goes with the change of role.
  const [pendingOrg, setPendingOrg] = useState<Record<number, number>>({});

  async function update(id: number, change: Change) {
    setError(null);
    try {
      const updated = await api.patch<AdminView>(`/users/${id}`, change);
      setUsers((current) => current?.map((user) => (user.id === id ? updated : user)) ?? null);
    } catch (caught) {
      setError(message(caught));
    }
  }

  function changeRole(user: AdminView, role: Role) {
    if (role === "recruiter" && user.organisation_id === null) {
      const organisationId = pendingOrg[user.id];
      if (organisationId === undefined) setError(text.chooseFirst);
      else void update(user.id, { role, organisation_id: organisationId });
    } else void update(user.id, { role });
  }

  function changeOrganisation(user: AdminView, organisationId: number) {
    if (user.role === "recruiter") void update(user.id, { organisation_id: organisationId });
    else setPendingOrg((current) => ({ ...current, [user.id]: organisationId }));
  }

  return (
    <>
      <section className="card">
        <h1>{t("users")}</h1>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <table className="table" data-testid="users">
          <thead>
            <tr>
              <th scope="col">{t("username")}</th>
              <th scope="col">{t("email")}</th>
              <th scope="col">{text.organisation}</th>
              <th scope="col">{t("role")}</th>
              <th scope="col">{t("active")}</th>
            </tr>
          </thead>
          <tbody>
            {users?.map((user) => (
              <tr key={user.id} data-testid={`user-${user.username}`}>
                <td>{user.username}</td>
                <td>{user.email}</td>
                <td>
                  <select
                    aria-label={`${text.organisation}: ${user.username}`}
                    value={user.organisation_id ?? pendingOrg[user.id] ?? ""}
                    disabled={user.role === "admin"}
                    onChange={(event) => changeOrganisation(user, Number(event.target.value))}
                  >
                    <option value="" disabled>
                      {text.none}
                    </option>
                    {orgs?.map((organisation) => (
                      <option key={organisation.id} value={organisation.id}>
                        {organisation.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    aria-label={`${t("role")}: ${user.username}`}
                    value={user.role}
                    disabled={user.id === me?.id}
                    onChange={(event) => changeRole(user, event.target.value as Role)}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t("active")}: ${user.username}`}
                    checked={user.is_active}
                    disabled={user.id === me?.id}
                    onChange={(event) => update(user.id, { is_active: event.target.checked })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Organisations organisations={orgs ?? []} reload={reloadOrgs} text={text} admin />
    </>
  );
}

/** Recruiters: their organisation, its invitations, and a form to invite a colleague. */
export function Team() {
  const { language } = useI18n();
  const { value: orgs, error } = useResource<Organisation[]>("/organisations");
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <Organisations organisations={orgs ?? []} reload={async () => undefined} text={TEXT[language]} admin={false} />
    </>
  );
}

function Organisations({
  organisations: list,
  reload,
  text,
  admin,
}: {
  organisations: Organisation[];
  reload: () => Promise<unknown>;
  text: Text;
  admin: boolean;
}) {
  const [error, setError] = useState<string | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    try {
      await organisations.create(String(new FormData(form).get("name") ?? ""));
      form.reset();
      await reload();
    } catch (caught) {
      setError(message(caught));
    }
  }

  return (
    <section className="card" data-testid="organisations">
      <h2>{text.organisations}</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {admin && (
        <form onSubmit={create} className="grid-form">
          <label>
            {text.newOrganisation}
            <input name="name" required maxLength={200} />
          </label>
          <button type="submit">{text.createOrganisation}</button>
        </form>
      )}
      {list.map((organisation) => (
        <OrganisationInvitations key={organisation.id} organisation={organisation} text={text} />
      ))}
    </section>
  );
}

function invitationState(invitation: Invitation, text: Text, language: string): string {
  if (invitation.accepted_at) return text.accepted;
  if (new Date(invitation.expires_at) <= new Date()) return text.expired;
  return fill(text.pending, { date: new Date(invitation.expires_at).toLocaleString(language) });
}

function OrganisationInvitations({ organisation, text }: { organisation: Organisation; text: Text }) {
  const { t, language } = useI18n();
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [issued, setIssued] = useState<InvitationIssued | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    organisations
      .invitations(organisation.id)
      .then(setInvitations)
      .catch((caught: unknown) => setError(message(caught)));
  }, [organisation.id]);

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    try {
      const created = await organisations.invite(organisation.id, String(new FormData(form).get("email") ?? ""));
      setIssued(created);
      setInvitations((current) => [created, ...current]);
      form.reset();
    } catch (caught) {
      setError(message(caught));
    }
  }

  return (
    <article data-testid={`organisation-${organisation.id}`}>
      <h3>{organisation.name}</h3>
      <form onSubmit={invite} className="grid-form">
        <label>
          {text.inviteEmail}
          <input name="email" type="email" required aria-label={`${text.inviteEmail}: ${organisation.name}`} />
        </label>
        <button type="submit">{text.invite}</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {issued && (
        <p role="status">
          {fill(text.link, { email: issued.email })} <code>{invitationLink(issued, window.location.origin)}</code>
        </p>
      )}
      {invitations.length > 0 && (
        <table className="table">
          <caption className="muted small">{text.invitations}</caption>
          <tbody>
            {invitations.map((invitation) => (
              <tr key={invitation.id}>
                <td>{invitation.email}</td>
                <td>{invitationState(invitation, text, language)}</td>
                <td className="muted small">{t("role")}: {invitation.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
