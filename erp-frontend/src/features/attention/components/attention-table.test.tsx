import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { AttentionItem } from "@/lib/api-types";
import { renderWithProviders } from "@/testing/render";
import { AttentionTable } from "./attention-table";

function item(fields: Partial<AttentionItem>): AttentionItem {
  return {
    id: "event:evt_1",
    kind: "event_rejected",
    at: "2026-03-14T10:00:00Z",
    summary: "payment_intent.succeeded not applied: the event says amount=1, Stripe says 1000",
    reason: "event_differs_from_stripe",
    order_id: "ord_1",
    payment_id: "pay_1",
    refund_id: null,
    dispute_id: null,
    event_id: "evt_1",
    event_type: "payment_intent.succeeded",
    amount: null,
    amount_minor: null,
    currency: null,
    ...fields,
  };
}

describe("needs attention", () => {
  it("says what happened and what to do for each kind", async () => {
    renderWithProviders(
      <AttentionTable
        items={[
          item({}),
          item({ id: "dispute:dp_1", kind: "dispute_open", summary: "Dispute needs_response (fraudulent)", amount: 10, amount_minor: 1000, currency: "usd", event_id: null }),
          item({ id: "authorization:pay_2", kind: "authorization_expiring", summary: "Authorization expires in 5 hours", amount: 80, amount_minor: 8000, currency: "usd", event_id: null }),
        ]}
      />,
    );
    const rows = within(await screen.findByRole("table", { name: "Needs attention" })).getAllByRole("row");
    expect(rows).toHaveLength(4);
    expect(within(rows[1]!).getByText("Event rejected")).toBeInTheDocument();
    expect(within(rows[1]!).getByText(/nothing was applied/)).toBeInTheDocument();
    expect(within(rows[2]!).getByText("Dispute open")).toBeInTheDocument();
    expect(within(rows[2]!).getByText("$10.00")).toBeInTheDocument();
    expect(within(rows[3]!).getByText("Authorization expiring")).toBeInTheDocument();
    expect(within(rows[3]!).getByText("Capture or release before it expires")).toBeInTheDocument();
  });
});
