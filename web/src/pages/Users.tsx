import { ApiError, api } from "../lib/api";
import { useAuth } from "../lib/auth";
import { useI18n } from "../lib/i18n";
import type { Role, User } from "../lib/types";
import { useResource } from "../lib/useResource";

type AdminView = User & { is_active: boolean };
const ROLES: Role[] = ["candidate", "recruiter", "admin"];

/** Admins: every account, its role, and whether it may sign in. */
export function Users() {
  const { t } = useI18n();
  const { user: me } = useAuth();
  const { value: users, setValue: setUsers, error, setError } = useResource<AdminView[]>("/users?limit=200");

  async function update(id: number, change: Partial<Pick<AdminView, "role" | "is_active">>) {
    setError(null);
    try {
      const updated = await api.patch<AdminView>(`/users/${id}`, change);
      setUsers((current) => current?.map((user) => (user.id === id ? updated : user)) ?? null);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  }

  return (
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
                  aria-label={`${t("role")}: ${user.username}`}
                  value={user.role}
                  disabled={user.id === me?.id}
                  onChange={(event) => update(user.id, { role: event.target.value as Role })}
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
  );
}
