/** The API client: JSON over fetch with the signed-in user's token, and errors turned into sentences. */
import type { AccessEvent, Interview, PrivacyPolicy } from "./types";

const TOKEN_KEY = "mockinterview.token";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function storedToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

type ValidationItem = { loc?: (string | number)[]; msg?: string };

/** FastAPI answers `{"detail": "sentence"}` or `{"detail": [{loc, msg}, …]}`; either becomes one readable line. */
export function errorMessage(status: number, body: unknown): string {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (typeof detail === "string" && detail) return detail;
  if (Array.isArray(detail) && detail.length > 0) {
    return (detail as ValidationItem[])
      .map((item) => {
        const field = (item.loc ?? []).filter((part) => part !== "body").join(".");
        const message = (item.msg ?? "is not valid").replace(/^Value error, /, "");
        return field ? `${field}: ${message}` : message;
      })
      .join(" ");
  }
  if (status === 401) return "Please sign in again.";
  if (status >= 500) return "The server had a problem. Please try again in a moment.";
  return `The request failed (HTTP ${status}).`;
}

export async function request<T>(method: string, path: string, body?: unknown, form?: URLSearchParams): Promise<T> {
  const headers: Record<string, string> = {};
  const token = storedToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    throw new ApiError("The server cannot be reached. Check your connection and try again.", 0);
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (!response.ok) throw new ApiError(errorMessage(response.status, parsed), response.status);
  if (text && parsed === null) throw new ApiError(`The server sent something unexpected for ${path}.`, response.status);
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  delete: (path: string, body?: unknown) => request<null>("DELETE", path, body),
  signIn: (username: string, password: string) =>
    request<{ access_token: string }>("POST", "/token", undefined, new URLSearchParams({ username, password })),
};

/** The candidate's own data: sharing, consent, deletion, export and who looked at an interview. */
export const privacy = {
  policy: () => api.get<PrivacyPolicy>("/privacy"),
  share: (interviewId: number, shared: boolean) =>
    api.patch<Interview>(`/interviews/${interviewId}`, { shared_with_recruiters: shared }),
  withdrawConsent: (interviewId: number) =>
    api.post<Interview>(`/interviews/${interviewId}/expression-consent/withdraw`),
  deleteInterview: (interviewId: number) => api.delete(`/interviews/${interviewId}`),
  accessLog: (interviewId: number) => api.get<AccessEvent[]>(`/interviews/${interviewId}/access-log`),
  exportData: () => api.get<unknown>("/users/me/export"),
  deleteAccount: (password: string) => api.delete("/users/me", { password }),
};

// --- organisations and invitations (api/routes/organisations.py) ---
export interface Organisation {
  id: number;
  name: string;
  created_at: string;
}

export interface Invitation {
  id: number;
  organisation_id: number;
  email: string;
  role: string;
  expires_at: string;
  accepted_at: string | null;
  created_at: string;
}

/** The one answer that carries the token; nobody can list it again. */
export interface InvitationIssued extends Invitation {
  token: string;
  accept_path: string;
}

export interface InvitationLookup {
  organisation_id: number;
  organisation_name: string;
  email: string;
  role: string;
  expires_at: string;
}

export const organisations = {
  list: () => api.get<Organisation[]>("/organisations?limit=200"),
  create: (name: string) => api.post<Organisation>("/organisations", { name }),
  invitations: (organisationId: number) => api.get<Invitation[]>(`/organisations/${organisationId}/invitations`),
  invite: (organisationId: number, email: string) =>
    api.post<InvitationIssued>(`/organisations/${organisationId}/invitations`, { email }),
  lookUpInvitation: (token: string) => api.get<InvitationLookup>(`/invitations/${encodeURIComponent(token)}`),
  acceptInvitation: (token: string, body: { username: string; password: string; full_name: string | null }) =>
    api.post<{ id: number; username: string }>(`/invitations/${encodeURIComponent(token)}/accept`, body),
};

/** The full link to hand to an invitee, on the site the inviter is using. */
export function invitationLink(issued: Pick<InvitationIssued, "accept_path">, origin: string): string {
  return new URL(issued.accept_path, origin).toString();
}
