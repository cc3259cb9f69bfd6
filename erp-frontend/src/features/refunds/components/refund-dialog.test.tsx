import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, json, stubFetch } from "@/testing/fetch-stub";
import { makePayment, signInAs } from "@/testing/fixtures";
import { renderWithProviders } from "@/testing/render";
import { RefundDialog } from "./refund-dialog";

const PAYMENT = makePayment({ id: "pay_9", amount_minor: 10000, amount_refunded_minor: 2500, refundable_minor: 7500 });

describe("RefundDialog", () => {
  beforeEach(() => signInAs(["finance"]));

  it("prefills what remains refundable and shows the remainder as the amount changes", async () => {
    stubFetch({});
    renderWithProviders(<RefundDialog payment={PAYMENT} refundableMinor={7500} onClose={vi.fn()} onRefunded={vi.fn()} />);
    const amount = await screen.findByLabelText(/Amount to refund/);
    expect(amount).toHaveValue("75.00");
    expect(screen.getByTestId("refund-remainder")).toHaveTextContent("$0.00");
    await userEvent.clear(amount);
    await userEvent.type(amount, "20");
    expect(screen.getByTestId("refund-remainder")).toHaveTextContent("$55.00");
  });

  it("sends amount, reason code, reason text and notes with an idempotency key", async () => {
    const network = stubFetch({
      "POST /api/v1/payments/stripe/refund/pay_9": () => json(201, { id: "re_1", payment_id: "pay_9", amount: 20, amount_minor: 2000, status: "succeeded" }),
    });
    const onRefunded = vi.fn();
    renderWithProviders(<RefundDialog payment={PAYMENT} refundableMinor={7500} onClose={vi.fn()} onRefunded={onRefunded} />);
    const amount = await screen.findByLabelText(/Amount to refund/);
    await userEvent.clear(amount);
    await userEvent.type(amount, "20");
    await userEvent.type(screen.getByLabelText("Reason in your words"), "Customer requested refund");
    await userEvent.type(screen.getByLabelText("Notes"), "Scratched armrest");
    await userEvent.click(screen.getByRole("button", { name: "Refund" }));

    await vi.waitFor(() => expect(onRefunded).toHaveBeenCalled());
    const [call] = network.calls;
    expect(call?.body).toEqual({
      amount: "20",
      reason_code: "requested_by_customer",
      reason: "Customer requested refund",
      notes: "Scratched armrest",
    });
    expect(call?.headers["Idempotency-Key"]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("refuses more than refundable before asking, and shows the API's refusal inline", async () => {
    const network = stubFetch({
      "POST /api/v1/payments/stripe/refund/pay_9": () => apiError(409, "conflict", "Only $10.00 of this payment can still be refunded."),
    });
    renderWithProviders(<RefundDialog payment={PAYMENT} refundableMinor={7500} onClose={vi.fn()} onRefunded={vi.fn()} />);
    const amount = await screen.findByLabelText(/Amount to refund/);
    await userEvent.clear(amount);
    await userEvent.type(amount, "75.01");
    await userEvent.click(screen.getByRole("button", { name: "Refund" }));
    expect(await screen.findByText("At most $75.00 can be refunded")).toBeInTheDocument();
    expect(network.calls).toHaveLength(0);

    await userEvent.clear(amount);
    await userEvent.type(amount, "50");
    await userEvent.click(screen.getByRole("button", { name: "Refund" }));
    expect(await screen.findByText("Only $10.00 of this payment can still be refunded.")).toBeInTheDocument();
  });
});
