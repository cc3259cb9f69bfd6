import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, json, stubFetch } from "@/testing/fetch-stub";
import { makePayment, signInAs } from "@/testing/fixtures";
import { renderWithProviders } from "@/testing/render";
import { CapturePaymentDialog } from "./capture-payment-dialog";

const AUTHORIZED = makePayment({
  id: "pay_7", status: "authorized", capture: "manual", amount: 100, amount_minor: 10000,
  amount_authorized: 100, amount_authorized_minor: 10000, amount_captured: 0, amount_captured_minor: 0,
  refundable: 0, refundable_minor: 0, authorization_expires_at: "2026-03-21T09:30:00Z",
});
const CAPTURE_PATH = "/api/v1/payments/stripe/capture/pay_7";

function renderDialog(onCaptured = vi.fn()) {
  renderWithProviders(<CapturePaymentDialog payment={AUTHORIZED} onClose={vi.fn()} onCaptured={onCaptured} />);
  return onCaptured;
}

describe("CapturePaymentDialog", () => {
  beforeEach(() => signInAs(["sales"]));

  it("offers everything authorized and shows what a smaller amount releases", async () => {
    stubFetch({});
    renderDialog();
    const amount = await screen.findByLabelText(/Amount to capture/);
    expect(amount).toHaveValue("100.00");
    expect(screen.getByTestId("capture-released")).toHaveTextContent("$0.00");
    await userEvent.clear(amount);
    await userEvent.type(amount, "60");
    expect(screen.getByTestId("capture-released")).toHaveTextContent("$40.00");
  });

  it("refuses more than the authorization before asking", async () => {
    const network = stubFetch({});
    renderDialog();
    const amount = await screen.findByLabelText(/Amount to capture/);
    await userEvent.clear(amount);
    await userEvent.type(amount, "100.01");
    await userEvent.click(screen.getByRole("button", { name: "Capture" }));
    expect(await screen.findByText("At most the $100.00 authorized can be captured")).toBeInTheDocument();
    await userEvent.clear(amount);
    await userEvent.type(amount, "0");
    await userEvent.click(screen.getByRole("button", { name: "Capture" }));
    expect(await screen.findByText("The amount must be more than zero")).toBeInTheDocument();
    expect(network.calls).toHaveLength(0);
  });

  it("sends the amount with an idempotency key, the same key when the same capture is asked again", async () => {
    let answers = 0;
    const captured = makePayment({ id: "pay_7", status: "completed", capture: "manual", amount_minor: 10000, amount_captured_minor: 6000 });
    const network = stubFetch({
      [`POST ${CAPTURE_PATH}`]: () => (++answers === 1 ? apiError(502, "stripe_unavailable", "Stripe did not answer; retry.") : json(200, captured)),
    });
    const onCaptured = renderDialog();
    const amount = await screen.findByLabelText(/Amount to capture/);
    await userEvent.clear(amount);
    await userEvent.type(amount, "60.00");
    await userEvent.click(screen.getByRole("button", { name: "Capture" }));
    expect(await screen.findByText("Stripe did not answer; retry.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Capture" }));

    await vi.waitFor(() => expect(onCaptured).toHaveBeenCalledWith(expect.objectContaining({ status: "completed", amount_captured_minor: 6000 })));
    const [first, second] = network.callsTo("POST", CAPTURE_PATH);
    expect(first?.body).toEqual({ amount: "60.00" });
    expect(first?.headers["Idempotency-Key"]).toMatch(/^[0-9a-f]{32}$/);
    expect(second?.headers["Idempotency-Key"]).toBe(first?.headers["Idempotency-Key"]);
  });

  it("shows the service's refusal in the dialog", async () => {
    stubFetch({
      [`POST ${CAPTURE_PATH}`]: () =>
        apiError(422, "validation_error", "The request is not valid.", [
          { field: "amount", message: "The amount is more than the authorization holds (80.00 USD).", type: "amount_exceeds_capturable" },
        ]),
    });
    renderDialog();
    await userEvent.click(await screen.findByRole("button", { name: "Capture" }));
    expect(await screen.findByText("The amount is more than the authorization holds (80.00 USD).")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("The payment was not captured");
  });
});
