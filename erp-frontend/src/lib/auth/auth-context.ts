import { createContext, useContext } from "react";
import type { Permission } from "./permissions";

export interface User {
  sub: string;
  roles: string[];
  permissions: Set<Permission>;
}

export interface AuthState {
  user: User | null;
  token: string | null;
  /** Why the user is on the sign-in screen (an expired session), shown there once. */
  notice: string | null;
  signIn: (token: string) => boolean;
  signOut: (notice?: string) => void;
  can: (permission: Permission) => boolean;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth needs an <AuthProvider>");
  return state;
}
