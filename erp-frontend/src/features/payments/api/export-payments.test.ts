import { describe, expect, it } from "vitest";
import { stubFetch } from "@/testing/fetch-stub";
import { exportPaymentsCsv } from "./export-payments";

describe("exportPaymentsCsv", () => {
  it("sends the picked days as the instants the API filters on, as the list does", async () => {
    const network = stubFetch({
      "GET /api/v1/payments/stripe/payments/export.csv": () => new Response("payment_id\r\n", { status: 200, headers: { "Content-Type": "text/csv" } }),
    });
    await exportPaymentsCsv({ status: "pending", from: "2026-03-01", to: "2026-03-31" });

    const [call] = network.calls;
    expect(call?.search.get("from")).toBe("2026-03-01T00:00:00Z");
    expect(call?.search.get("to")).toBe("2026-04-01T00:00:00.000Z");
    expect(call?.search.get("status")).toBe("pending");
  });
});
