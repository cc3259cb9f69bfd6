// Mirrors the sales-service's role table so the UI can hide what a user cannot do. The API
// still decides: a hidden button is a courtesy, not a check.

export type Permission =
  | "orders:read"
  | "orders:write"
  | "payments:read"
  | "payments:write"
  | "payments:capture"
  | "refunds:read"
  | "refunds:write"
  | "reports:read"
  | "audit:read";

const ALL: Permission[] = [
  "orders:read",
  "orders:write",
  "payments:read",
  "payments:write",
  "payments:capture",
  "refunds:read",
  "refunds:write",
  "reports:read",
  "audit:read",
];

const ROLE_PERMISSIONS: Record<string, Permission[]> = {
  sales: ["orders:read", "orders:write", "payments:read", "payments:write", "payments:capture"],
  finance: ["orders:read", "payments:read", "payments:write", "payments:capture", "refunds:read", "refunds:write", "reports:read", "audit:read"],
  admin: ALL,
  service: [],
};

export function permissionsFor(roles: string[], scope: string): Set<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of ROLE_PERMISSIONS[role] ?? []) granted.add(permission);
  for (const entry of scope.split(/\s+/)) {
    if ((ALL as string[]).includes(entry)) granted.add(entry as Permission);
  }
  return granted;
}
