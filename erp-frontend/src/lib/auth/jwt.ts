// Reads a JWT's claims for display and role checks; the API verifies the signature, not us.

export interface TokenClaims {
  sub: string;
  roles: string[];
  scope: string;
  exp: number | null;
}

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The claims, or null when the text is not a JWT with a subject. */
export function readClaims(token: string): TokenClaims | null {
  const parts = token.trim().split(".");
  if (parts.length !== 3 || !parts[1]) return null;
  let payload: unknown;
  try {
    payload = decodeSegment(parts[1]);
  } catch {
    return null;
  }
  if (typeof payload !== "object" || payload === null) return null;
  const claims = payload as Record<string, unknown>;
  if (typeof claims.sub !== "string" || !claims.sub) return null;
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  return {
    sub: claims.sub,
    roles,
    scope: typeof claims.scope === "string" ? claims.scope : "",
    exp: typeof claims.exp === "number" ? claims.exp : null,
  };
}

export function isExpired(claims: TokenClaims, nowSeconds = Date.now() / 1000): boolean {
  return claims.exp !== null && claims.exp <= nowSeconds;
}
