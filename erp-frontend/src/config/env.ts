// Build-time settings, checked once at start-up. The API is same-origin by default (the
// gateway serves both); VITE_API_BASE_URL points elsewhere when needed.

function readBaseUrl(value: unknown): string {
  if (value === undefined || value === "") return "";
  if (typeof value !== "string" || !/^https?:\/\/[^\s]+[^/]$/.test(value)) {
    throw new Error(`VITE_API_BASE_URL must be an http(s) URL without a trailing slash, got ${JSON.stringify(value)}`);
  }
  return value;
}

export const env = {
  apiBaseUrl: readBaseUrl(import.meta.env.VITE_API_BASE_URL),
} as const;
