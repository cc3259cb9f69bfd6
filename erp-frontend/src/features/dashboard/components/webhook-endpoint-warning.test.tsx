import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithProviders } from "@/testing/render";
import { WebhookEndpointWarning } from "./webhook-endpoint-warning";

describe("webhook endpoint warning", () => {
  it("warns on the dashboard only when Stripe's endpoint is missing or disabled", () => {
    const check = (status: "ok" | "missing" | "unknown") => ({
      status: "ready" as const,
      checks: {},
      detail: { stripe_webhook_endpoint: { status, detail: "no webhook endpoint for our URL", endpoint_id: null, missing_events: [] } },
    });
    const { rerender } = renderWithProviders(<WebhookEndpointWarning readiness={check("missing")} />);
    expect(screen.getByTestId("webhook-endpoint-warning")).toHaveTextContent("Stripe is not sending us events");
    rerender(<WebhookEndpointWarning readiness={check("ok")} />);
    expect(screen.queryByTestId("webhook-endpoint-warning")).toBeNull();
  });
});
