import { describe, expect, it, vi } from "vitest";
import { apiError, json, stubFetch } from "@/testing/fetch-stub";
import { api, apiRequest, configureApiClient } from "./api-client";
import { ApiError } from "./api-error";

describe("apiRequest", () => {
  it("sends the bearer token and JSON, and drops empty query parameters", async () => {
    configureApiClient({ token: () => "tok_123" });
    const network = stubFetch({ "POST /api/v1/orders": () => json(201, { id: "ord_1" }) });
    await api.post("/api/v1/orders", { customer_id: "cus_1" }, { "Idempotency-Key": "k1" });
    await api.get("/api/v1/orders", { q: "", page: 2, payment_status: undefined }).catch(() => undefined);

    const [post, get] = network.calls;
    expect(post?.headers).toMatchObject({ Authorization: "Bearer tok_123", "Content-Type": "application/json", "Idempotency-Key": "k1" });
    expect(post?.body).toEqual({ customer_id: "cus_1" });
    expect(get?.search.toString()).toBe("page=2");
  });

  it("turns the API's error shape into an ApiError with field errors", async () => {
    stubFetch({
      "POST /api/v1/orders": () =>
        apiError(422, "validation_error", "The request is invalid.", [
          { field: "lines.0.unit_price", location: "body", message: "USD amounts allow at most 2 decimal places", type: "decimal_places" },
        ]),
    });
    const error = await api.post("/api/v1/orders", {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    const apiErr = error as ApiError;
    expect([apiErr.status, apiErr.code, apiErr.message, apiErr.requestId]).toEqual([422, "validation_error", "The request is invalid.", "req_test"]);
    expect(apiErr.fieldErrors()).toEqual({ "lines.0.unit_price": "USD amounts allow at most 2 decimal places" });
  });

  it("reports a 401 to the session handler, except for anonymous calls", async () => {
    const onUnauthorized = vi.fn();
    configureApiClient({ onUnauthorized });
    stubFetch({ "GET /api/v1/orders": () => apiError(401, "unauthorized", "The token has expired.") });
    await expect(api.get("/api/v1/orders")).rejects.toThrow("The token has expired.");
    await expect(apiRequest("/api/v1/orders", { anonymous: true })).rejects.toThrow("The token has expired.");
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it("says so when the server cannot be reached, or answers something that is not JSON", async () => {
    vi.stubGlobal("fetch", vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(api.get("/health/live")).rejects.toMatchObject({ status: 0, code: "network_error" });
    vi.stubGlobal("fetch", vi.fn(() => Promise.resolve(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }))));
    await expect(api.get("/health/live")).rejects.toMatchObject({ status: 502, message: "The server answered 502 Bad Gateway" });
  });
});
