import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { apiError, json, stubFetch } from "@/testing/fetch-stub";
import { makeOrder, makePayment, signInAs } from "@/testing/fixtures";
import { renderApp } from "@/testing/render";

const ORDER = makeOrder({ amount_paid: 100, amount_paid_minor: 10000, outstanding: 199.98, outstanding_minor: 19998, payment_status: "partially_paid" });
const PAYMENTS = [
  makePayment({ id: "pay_ok", amount: 100, amount_minor: 10000 }),
  makePayment({ id: "pay_declined", status: "failed", card: { brand: "visa", last4: "0002" }, failure: { code: "card_declined", message: "Your card was declined.", decline_code: "generic_decline" } }),
];

function stubOrder(order = ORDER, payments = PAYMENTS) {
  return stubFetch({
    "GET /api/v1/payments/stripe/config": () => apiError(503, "service_unavailable", "down"),
    [`GET /api/v1/orders/${order.id}`]: () => json(200, order),
    "GET /api/v1/payments/stripe/payments": () => json(200, { items: payments, total: payments.length, page: 1, page_size: 100 }),
    "GET /api/v1/payments/stripe/payments/pay_ok": () => json(200, makePayment({ id: "pay_ok", amount_minor: 10000, amount_refunded_minor: 6000, refundable_minor: 4000 })),
    "GET /api/v1/audit": () => json(200, [
      { id: "aud_1", actor: { type: "user", id: "demo-sales" }, action: "payment.intent_created", entity_type: "payment", entity_id: "pay_ok", order_id: order.id, after: { status: "pending" }, at: "2026-03-14T09:30:00Z" },
    ]),
  });
}

describe("the order page", () => {
  it("shows totals, lines, payments with card and decline reason", async () => {
    signInAs(["sales"]);
    const network = stubOrder();
    renderApp(`/orders/${ORDER.id}`);

    expect(await screen.findByRole("heading", { name: "ORD-2026-000123" })).toBeInTheDocument();
    expect(screen.getByText("Partially paid").closest("[data-status]")).toHaveAttribute("data-status", "partially_paid");
    expect(screen.getByLabelText("Outstanding")).toHaveTextContent("$199.98");
    const payments = await screen.findByRole("table", { name: "Payments" });
    expect(within(payments).getByText("Visa •••• 0002")).toBeInTheDocument();
    expect(within(payments).getByText("Your card was declined.")).toBeInTheDocument();
    expect(network.callsTo("GET", "/api/v1/payments/stripe/payments")[0]?.search.get("order_id")).toBe(ORDER.id);
  });

  it("lets sales pay but not refund, and hides the audit trail it cannot read", async () => {
    signInAs(["sales"]);
    const network = stubOrder();
    renderApp(`/orders/${ORDER.id}`);
    await screen.findByRole("table", { name: "Payments" });
    expect(screen.getByRole("button", { name: "Pay with Stripe" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Refund" })).toBeNull();
    expect(screen.queryByText("History")).toBeNull();
    expect(network.callsTo("GET", "/api/v1/audit")).toHaveLength(0);
  });

  it("lets finance take payments, refund completed payments only, and read the history", async () => {
    signInAs(["finance"]);
    stubOrder();
    renderApp(`/orders/${ORDER.id}`);
    const payments = await screen.findByRole("table", { name: "Payments" });
    expect(within(payments).getAllByRole("button", { name: "Refund" })).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Pay with Stripe" })).toBeInTheDocument();
    expect(await screen.findByText("Payment intent created")).toBeInTheDocument();
  });

  it("offers to refund what the payment can refund now, read afresh when the dialog opens", async () => {
    signInAs(["finance"]);
    const network = stubOrder();
    renderApp(`/orders/${ORDER.id}`);
    const payments = await screen.findByRole("table", { name: "Payments" });
    await userEvent.click(within(payments).getByRole("button", { name: "Refund" }));
    expect(await screen.findByLabelText(/Amount to refund/)).toHaveValue("40.00");
    expect(network.callsTo("GET", "/api/v1/payments/stripe/payments/pay_ok")).toHaveLength(1);
  });

  it("hides Pay with Stripe when nothing is outstanding", async () => {
    signInAs(["admin"]);
    stubOrder(makeOrder({ amount_paid_minor: 29998, outstanding: 0, outstanding_minor: 0, payment_status: "paid" }));
    renderApp(`/orders/${ORDER.id}`);
    await screen.findByRole("table", { name: "Payments" });
    expect(screen.queryByRole("button", { name: "Pay with Stripe" })).toBeNull();
  });

  it("shows an authorization held on the card, with Capture and Release, and nothing more to pay", async () => {
    signInAs(["sales"]);
    const order = makeOrder({ amount_authorized: 299.98, amount_authorized_minor: 29998, payment_status: "authorized" });
    const held = makePayment({
      id: "pay_held", status: "authorized", capture: "manual", amount_authorized_minor: 29998, amount_captured_minor: 0,
      refundable_minor: 0, authorization_expires_at: "2026-03-21T09:30:00Z",
    });
    stubOrder(order, [held]);
    renderApp(`/orders/${order.id}`);
    const payments = await screen.findByRole("table", { name: "Payments" });
    expect(screen.getByLabelText("Authorized")).toHaveTextContent("$299.98");
    expect(within(payments).getByRole("button", { name: "Capture" })).toBeInTheDocument();
    expect(within(payments).getByRole("button", { name: "Release" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Pay with Stripe" })).toBeNull();
  });

  it("says when the order does not exist", async () => {
    signInAs(["sales"]);
    stubFetch({ "GET /api/v1/orders/ord_missing": () => apiError(404, "not_found", "Order not found.") });
    renderApp("/orders/ord_missing");
    expect(await screen.findByText("Order not found.")).toBeInTheDocument();
  });
});
