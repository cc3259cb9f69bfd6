import { vi } from "vitest";

// The network, stubbed at `fetch`: handlers keyed by "METHOD /path" answer like the API would,
// and every call is recorded for assertions.

export interface RecordedCall {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

export type Handler = (call: RecordedCall) => Response | Promise<Response>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export function apiError(status: number, code: string, message: string, details?: unknown[]): Response {
  return json(status, { error: { code, message, ...(details ? { details } : {}), request_id: "req_test" } });
}

export function stubFetch(handlers: Record<string, Handler>) {
  const calls: RecordedCall[] = [];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, "http://erp.test");
    const method = (init.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const body: unknown = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    const call: RecordedCall = { method, path: url.pathname, search: url.searchParams, headers, body };
    calls.push(call);
    const handler = handlers[`${method} ${url.pathname}`];
    if (!handler) return apiError(404, "not_found", `no stub for ${method} ${url.pathname}`);
    return handler(call);
  });
  vi.stubGlobal("fetch", fetchStub);
  return {
    calls,
    callsTo: (method: string, path: string) => calls.filter((call) => call.method === method && call.path === path),
  };
}
