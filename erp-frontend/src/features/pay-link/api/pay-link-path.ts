/** The public endpoints take the token in the path; they need no ERP sign-in. */
export function payLinkPath(token: string, action?: "intent" | "confirm"): string {
  const base = `/api/v1/pay/${encodeURIComponent(token)}`;
  return action ? `${base}/${action}` : base;
}
