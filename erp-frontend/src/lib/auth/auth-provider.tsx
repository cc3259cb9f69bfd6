import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { configureApiClient } from "../api-client";
import { AuthContext, type AuthState, type User } from "./auth-context";
import { isExpired, readClaims } from "./jwt";
import { permissionsFor } from "./permissions";
import { clearSession, readSession, writeSession } from "./token-store";

export const EXPIRED_NOTICE = "Your session has expired. Sign in again to continue.";

function userFrom(token: string): User | null {
  const claims = readClaims(token);
  if (!claims) return null;
  return { sub: claims.sub, roles: claims.roles, permissions: permissionsFor(claims.roles, claims.scope) };
}

// The token is read from the session on every request, so the first queries already carry it.
configureApiClient({ token: () => readSession()?.token ?? null });

function initialSession(): { token: string | null; notice: string | null } {
  const session = readSession();
  if (!session) return { token: null, notice: null };
  const claims = readClaims(session.token);
  if (!claims || isExpired(claims)) {
    clearSession();
    return { token: null, notice: EXPIRED_NOTICE };
  }
  return { token: session.token, notice: null };
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [initial] = useState(initialSession);
  const [token, setToken] = useState<string | null>(initial.token);
  const [notice, setNotice] = useState<string | null>(initial.notice);
  const user = useMemo(() => (token ? userFrom(token) : null), [token]);

  const signOut = useCallback(
    (message?: string) => {
      clearSession();
      setToken(null);
      setNotice(message ?? null);
      queryClient.clear();
    },
    [queryClient],
  );

  const signIn = useCallback((candidate: string) => {
    const trimmed = candidate.trim();
    if (!userFrom(trimmed)) return false;
    writeSession({ token: trimmed });
    setToken(trimmed);
    setNotice(null);
    return true;
  }, []);

  useEffect(() => {
    configureApiClient({ onUnauthorized: () => signOut(EXPIRED_NOTICE) });
  }, [signOut]);

  const value = useMemo<AuthState>(
    () => ({
      user,
      token,
      notice,
      signIn,
      signOut,
      can: (permission) => user?.permissions.has(permission) ?? false,
    }),
    [user, token, notice, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
