import { env } from "../config/env";
import { ApiError } from "./api-error";

// One fetch wrapper for every request: JSON in and out, the bearer token, the error shape,
// and one place that notices an expired session.

type TokenSource = () => string | null;
type UnauthorizedHandler = (error: ApiError) => void;

let tokenSource: TokenSource = () => null;
let onUnauthorized: UnauthorizedHandler = () => undefined;

export function configureApiClient(options: { token?: TokenSource; onUnauthorized?: UnauthorizedHandler }): void {
  if (options.token) tokenSource = options.token;
  if (options.onUnauthorized) onUnauthorized = options.onUnauthorized;
}

export type QueryParams = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  method?: "GET" | "POST" | "DELETE";
  body?: unknown;
  params?: QueryParams;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sign-in itself must not bounce back to sign-in. */
  anonymous?: boolean;
  /** Answer the body as text (e.g. a CSV export) rather than JSON. */
  text?: boolean;
}

export function buildUrl(path: string, params?: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const query = search.toString();
  return `${env.apiBaseUrl}${path}${query ? `?${query}` : ""}`;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: options.text ? "text/*" : "application/json", ...options.headers };
  const token = options.anonymous ? null : tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.params), {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "network_error", "The server could not be reached. Check your connection and retry.");
  }

  if (!response.ok) {
    const error = await ApiError.fromResponse(response);
    if (error.status === 401 && !options.anonymous) onUnauthorized(error);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  if (options.text) return (await response.text()) as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, params?: QueryParams, signal?: AbortSignal) =>
    apiRequest<T>(path, { params, signal }),
  getText: (path: string, params?: QueryParams) => apiRequest<string>(path, { params, text: true }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    apiRequest<T>(path, { method: "POST", body, headers }),
};
