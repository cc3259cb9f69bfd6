import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Stripe } from "@stripe/stripe-js";
import { useEffect, type ReactNode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { StripeContext } from "@/lib/stripe/stripe-context";
import { json, stubFetch } from "@/testing/fetch-stub";
import { makeOrder, makePayment, signInAs } from "@/testing/fixtures";
import { renderWithProviders } from "@/testing/render";
import { StripePaymentModal } from "./stripe-payment-modal";

// Stripe.js is the boundary here: the Payment Element and confirmPayment are stand-ins whose
// answers each test chooses. The real thing runs in the end-to-end tests.
const confirmPayment = vi.fn();
const submit = vi.fn(() => Promise.resolve({}));

vi.mock("@stripe/react-stripe-js", () => ({
  Elements: ({ children }: { children: ReactNode }) => <div data-testid="elements">{children}</div>,
  PaymentElement: ({ onReady }: { onReady: () => void }) => {
    useEffect(() => onReady(), [onReady]);
    return <div>card fields</div>;
  },
  useStripe: () => ({ confirmPayment }),
  useElements: () => ({ submit }),
}));

const ORDER = makeOrder({ outstanding: 299.98, outstanding_minor: 29998 });
const INTENT = {
  payment_id: "pay_1", client_secret: "pi_1_secret_x", payment_intent_id: "pi_1", publishable_key: "pk_test_x",
  amount: 100, amount_minor: 10000, currency: "usd", status: "pending", capture: "automatic",
};

function renderModal(onPaid = vi.fn()) {
  const stripe = {} as Stripe;
  renderWithProviders(
    <StripeContext.Provider value={{ stripe, publishableKey: "pk_test_x", mode: "emulator", loading: false, error: null }}>
      <StripePaymentModal opened order={ORDER} onClose={vi.fn()} onPaid={onPaid} />
    </StripeContext.Provider>,
  );
  return onPaid;
}

describe("StripePaymentModal", () => {
  beforeEach(() => {
    signInAs(["sales"]);
    confirmPayment.mockReset();
  });

  it("prefills the outstanding balance and refuses more than that", async () => {
    const network = stubFetch({});
    renderModal();
    const amount = await screen.findByLabelText(/Amount to charge/);
    expect(amount).toHaveValue("299.98");
    await userEvent.clear(amount);
    await userEvent.type(amount, "300");
    await userEvent.click(screen.getByRole("button", { name: "Continue to Payment" }));
    expect(await screen.findByText(/At most the outstanding \$299\.98/)).toBeInTheDocument();
    expect(network.calls).toHaveLength(0);
  });

  it("takes a deposit: creates the intent for the amount, pays, confirms and says so", async () => {
    const network = stubFetch({
      "POST /api/v1/payments/stripe/create-intent": () => json(200, INTENT),
      "POST /api/v1/payments/stripe/confirm": () => json(200, makePayment({ amount: 100, amount_minor: 10000 })),
    });
    confirmPayment.mockResolvedValue({ paymentIntent: { id: "pi_1", status: "succeeded" } });
    const onPaid = renderModal();

    const amount = await screen.findByLabelText(/Amount to charge/);
    await userEvent.clear(amount);
    await userEvent.type(amount, "100");
    await userEvent.click(screen.getByRole("button", { name: "Continue to Payment" }));
    await userEvent.click(await screen.findByRole("button", { name: /^Pay \$100\.00/ }));

    expect(await screen.findByText("Payment successful")).toBeInTheDocument();
    expect(network.callsTo("POST", "/api/v1/payments/stripe/create-intent")[0]?.body).toEqual({ order_id: ORDER.id, amount: "100", currency: "usd", capture: "automatic" });
    expect(network.callsTo("POST", "/api/v1/payments/stripe/confirm")[0]?.body).toEqual({ payment_intent_id: "pi_1", order_id: ORDER.id });
    expect(confirmPayment).toHaveBeenCalledWith(expect.objectContaining({ redirect: "if_required" }));
    expect(onPaid).toHaveBeenCalledWith(expect.objectContaining({ status: "completed", amount_minor: 10000 }));
  });

  it("authorizes only: asks for a manual capture, says so, and the order is charged at capture", async () => {
    const authorized = makePayment({
      status: "authorized", capture: "manual", amount_minor: 29998, amount_authorized_minor: 29998, amount_captured_minor: 0, refundable_minor: 0,
      authorization_expires_at: "2026-03-21T09:30:00Z",
    });
    const network = stubFetch({
      "POST /api/v1/payments/stripe/create-intent": () => json(200, { ...INTENT, amount_minor: 29998, capture: "manual" }),
      "POST /api/v1/payments/stripe/confirm": () => json(200, authorized),
    });
    confirmPayment.mockResolvedValue({ paymentIntent: { id: "pi_1", status: "requires_capture" } });
    const onPaid = renderModal();

    await userEvent.click(await screen.findByText("Authorize only"));
    await userEvent.click(screen.getByRole("button", { name: "Continue to Payment" }));
    expect(await screen.findByText(/^Authorizing/)).toHaveTextContent("Authorizing $299.98 on the card below");
    await userEvent.click(await screen.findByRole("button", { name: /^Authorize \$299\.98/ }));

    expect(await screen.findByText("Card authorized")).toBeInTheDocument();
    expect(screen.getByText(/authorized on Visa •••• 4242/)).toHaveTextContent("the order is charged when the payment is captured");
    expect(network.callsTo("POST", "/api/v1/payments/stripe/create-intent")[0]?.body).toMatchObject({ amount: "299.98", capture: "manual" });
    expect(onPaid).toHaveBeenCalledWith(expect.objectContaining({ status: "authorized", capture: "manual" }));
  });

  it("shows Stripe's decline message, records the attempt and lets another card be tried", async () => {
    const network = stubFetch({
      "POST /api/v1/payments/stripe/create-intent": () => json(200, { ...INTENT, amount_minor: 29998 }),
      "POST /api/v1/payments/stripe/confirm": () =>
        json(200, makePayment({ status: "failed", failure: { code: "card_declined", message: "Your card was declined.", decline_code: "generic_decline" } })),
    });
    confirmPayment.mockResolvedValueOnce({
      error: { type: "card_error", code: "card_declined", message: "Your card was declined.", payment_intent: { id: "pi_1" } },
    });
    const onPaid = renderModal();

    await userEvent.click(await screen.findByRole("button", { name: "Continue to Payment" }));
    const pay = await screen.findByRole("button", { name: /^Pay \$299\.98/ });
    await userEvent.click(pay);

    expect(await screen.findByText("Your card was declined.")).toBeInTheDocument();
    await waitFor(() => expect(network.callsTo("POST", "/api/v1/payments/stripe/confirm")).toHaveLength(1));
    expect(pay).toBeEnabled();
    expect(onPaid).not.toHaveBeenCalled();
  });

  it("shows why the payment could not start", async () => {
    stubFetch({
      "POST /api/v1/payments/stripe/create-intent": () =>
        json(503, { error: { code: "stripe_unavailable", message: "Stripe is not answering; try again in a minute.", request_id: "r1" } }),
    });
    renderModal();
    await userEvent.click(await screen.findByRole("button", { name: "Continue to Payment" }));
    expect(await screen.findByText("Stripe is not answering; try again in a minute.")).toBeInTheDocument();
  });
});
