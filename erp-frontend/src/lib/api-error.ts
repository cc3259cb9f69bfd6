import type { ErrorDetail } from "./api-types";

/** The error shape, read defensively: gateways and proxies may leave fields out. */
interface ErrorPayload {
  error: { code: string; message: string; details?: ErrorDetail[] | null; request_id?: string };
}

/** An error answered by the API (its error shape) or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = [], requestId?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }

  /** `lines.0.unit_price` -> message, for forms that show errors next to their fields. */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const detail of this.details) {
      errors[detail.field] ??= detail.message;
    }
    return errors;
  }

  static async fromResponse(response: Response): Promise<ApiError> {
    const requestId = response.headers.get("X-Request-ID") ?? undefined;
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON (a proxy's page): fall through to a generic message.
    }
    if (isErrorBody(body)) {
      const { code, message, details, request_id } = body.error;
      return new ApiError(response.status, code, message, details ?? [], request_id ?? requestId);
    }
    const message = `The server answered ${response.status} ${response.statusText}`.trim();
    return new ApiError(response.status, "http_error", message, [], requestId);
  }
}

function isErrorBody(value: unknown): value is ErrorPayload {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = value.error;
  return typeof error === "object" && error !== null && "code" in error && "message" in error;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
