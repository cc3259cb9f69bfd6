import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useEffect, type ReactNode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PayLinkView } from "@/lib/api-types";
import { apiError, json, stubFetch } from "@/testing/fetch-stub";
import { signInAs } from "@/testing/fixtures";
import { renderApp } from "@/testing/render";

// Stripe.js is the boundary: the Payment Element and confirmPayment are stand-ins whose answers
// each test chooses; the real thing (the emulator's) runs in the end-to-end tests.
const confirmPayment = vi.fn();
vi.mock("@stripe/react-stripe-js", () => ({
  Elements: ({ children }: { children: ReactNode }) => <div>{children}</div>,
  PaymentElement: ({ onReady }: { onReady: () => void }) => {
    useEffect(() => onReady(), [onReady]);
    return <div>card fields</div>;
  },
  useStripe: () => ({ confirmPayment }),
  useElements: () => ({ submit: () => Promise.resolve({}) }),
}));
vi.mock("@/lib/stripe/init-stripe", () => ({ initStripe: () => Promise.resolve({}) }));

const TOKEN = "3q2-7wEXAMPLEtokenEXAMPLEtokenEXAMPLEtok12";
const PATH = `/api/v1/pay/${TOKEN}`;

function makeView(overrides: Partial<PayLinkView> = {}): PayLinkView {
  return {
    merchant_name: "Acme Furniture",
    order_number: "ORD-2026-000123",
    lines: [{ description: "Office chair", quantity: 2, unit_price: 149.99, unit_price_minor: 14999, total: 299.98, total_minor: 29998 }],
    order_total: 299.98,
    order_total_minor: 29998,
    amount: 100,
    amount_minor: 10000,
    currency: "usd",
    state: "active",
    payable: true,
    refusal: null,
    payment_status: null,
    card: null,
    expires_at: "2026-03-21T09:00:00Z",
    publishable_key: "pk_test_x",
    stripe_js_url: null,
    ...overrides,
  };
}

const INTENT = { client_secret: "pi_1_secret_x", amount: 100, amount_minor: 10000, currency: "usd", payment_status: "pending" };
const PAID = makeView({ state: "paid", payable: false, payment_status: "completed", card: { brand: "visa", last4: "4242" } });

async function payByCard() {
  await userEvent.click(await screen.findByRole("button", { name: "Pay $100.00 by card" }));
  await userEvent.click(await screen.findByRole("button", { name: "Pay $100.00" }));
}

describe("the payment link page", () => {
  beforeEach(() => confirmPayment.mockReset());

  it("shows the merchant, the order and the amount without an ERP sign-in", async () => {
    stubFetch({ [`GET ${PATH}`]: () => json(200, makeView()) });
    renderApp(`/pay/${TOKEN}`);
    expect(await screen.findByText("Order ORD-2026-000123")).toBeInTheDocument();
    expect(screen.getByTestId("merchant-name")).toHaveTextContent("Acme Furniture");
    expect(screen.getByLabelText("Amount to pay")).toHaveTextContent("$100.00");
    expect(screen.getByText("2 × Office chair")).toBeInTheDocument();
    expect(screen.getByText(/Part of the order total of/)).toHaveTextContent("$299.98");
    expect(screen.queryByRole("button", { name: "Sign out" })).toBeNull();
  });

  it("pays: starts the link's payment, confirms the card and says paid once the service does", async () => {
    signInAs(["sales"]);
    const network = stubFetch({
      [`GET ${PATH}`]: () => json(200, makeView()),
      [`POST ${PATH}/intent`]: () => json(200, INTENT),
      [`POST ${PATH}/confirm`]: () => json(200, PAID),
    });
    confirmPayment.mockResolvedValue({ paymentIntent: { id: "pi_1", status: "succeeded" } });
    renderApp(`/pay/${TOKEN}`);
    await payByCard();

    expect(await screen.findByText("Payment received")).toBeInTheDocument();
    expect(screen.getByText(/paid with Visa •••• 4242/)).toBeInTheDocument();
    expect(confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({ redirect: "if_required", confirmParams: { return_url: `${window.location.origin}/pay/return` } }),
    );
    // The ERP's own session never goes to the public endpoints.
    expect(network.calls.every((call) => call.headers.Authorization === undefined)).toBe(true);
  });

  it("does not say paid while the service says the bank is still processing", async () => {
    stubFetch({
      [`GET ${PATH}`]: () => json(200, makeView({ payment_status: "processing", payable: false })),
      [`POST ${PATH}/intent`]: () => json(200, INTENT),
      [`POST ${PATH}/confirm`]: () => json(200, makeView({ payment_status: "processing", payable: false })),
    });
    confirmPayment.mockResolvedValue({ paymentIntent: { id: "pi_1", status: "processing" } });
    renderApp(`/pay/${TOKEN}`);
    expect(await screen.findByText("Your payment is processing")).toBeInTheDocument();
    expect(screen.queryByText("Payment received")).toBeNull();
    expect(screen.queryByRole("button", { name: /by card/ })).toBeNull();
  });

  it("shows a decline and records the attempt, so another card can be tried", async () => {
    const network = stubFetch({
      [`GET ${PATH}`]: () => json(200, makeView()),
      [`POST ${PATH}/intent`]: () => json(200, INTENT),
      [`POST ${PATH}/confirm`]: () => json(200, makeView({ payment_status: "failed" })),
    });
    confirmPayment.mockResolvedValueOnce({
      error: { type: "card_error", code: "card_declined", message: "Your card was declined.", payment_intent: { id: "pi_1" } },
    });
    renderApp(`/pay/${TOKEN}`);
    await payByCard();
    expect(await screen.findByText("Your card was declined.")).toBeInTheDocument();
    await waitFor(() => expect(network.callsTo("POST", `${PATH}/confirm`)).toHaveLength(1));
    expect(screen.getByRole("button", { name: "Pay $100.00" })).toBeEnabled();
  });

  it("says a paid link is paid and offers nothing to pay", async () => {
    stubFetch({ [`GET ${PATH}`]: () => json(200, PAID) });
    renderApp(`/pay/${TOKEN}`);
    expect(await screen.findByText("Payment received")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Pay/ })).toBeNull();
  });

  it("says an unknown, expired or revoked link is not valid, in one message", async () => {
    stubFetch({ [`GET ${PATH}`]: () => apiError(404, "payment_link_not_found", "This payment link is not valid.") });
    renderApp(`/pay/${TOKEN}`);
    expect(await screen.findByText("This payment link is not valid")).toBeInTheDocument();
    expect(screen.getByText(/expired or been revoked/)).toBeInTheDocument();
  });

  it("refuses a link whose amount is now above the order's balance", async () => {
    stubFetch({ [`GET ${PATH}`]: () => json(200, makeView({ payable: false, refusal: "amount_exceeds_outstanding" })) });
    renderApp(`/pay/${TOKEN}`);
    expect(await screen.findByText("This link can no longer be paid")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /by card/ })).toBeNull();
  });

  it("shows why the payment could not start and reads the link again", async () => {
    const network = stubFetch({
      [`GET ${PATH}`]: () => json(200, makeView()),
      [`POST ${PATH}/intent`]: () => apiError(409, "order_payment_in_progress", "Another payment on this order is under way."),
    });
    renderApp(`/pay/${TOKEN}`);
    await userEvent.click(await screen.findByRole("button", { name: "Pay $100.00 by card" }));
    expect(await screen.findByText("Another payment on this order is under way.")).toBeInTheDocument();
    await waitFor(() => expect(network.callsTo("GET", PATH)).toHaveLength(2));
  });
});
