/** The signed-in user: token in localStorage, profile from /users/me. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { api, storeToken, storedToken } from "./api";
import type { User } from "./types";

interface Auth {
  user: User | null;
  loading: boolean;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(Boolean(storedToken()));

  useEffect(() => {
    if (!storedToken()) return;
    api
      .get<User>("/users/me")
      .then(setUser)
      .catch(() => storeToken(null)) // an expired token: sign in again
      .finally(() => setLoading(false));
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const { access_token } = await api.signIn(username, password);
    storeToken(access_token);
    setUser(await api.get<User>("/users/me"));
  }, []);

  const signOut = useCallback(() => {
    storeToken(null);
    setUser(null);
  }, []);

  return <AuthContext.Provider value={{ user, loading, signIn, signOut }}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}
