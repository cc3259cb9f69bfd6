import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { json, stubFetch } from "@/testing/fetch-stub";
import { makePayment, signInAs } from "@/testing/fixtures";
import { renderWithProviders } from "@/testing/render";
import { CancelPaymentButton } from "./cancel-payment-button";

describe("CancelPaymentButton", () => {
  beforeEach(() => signInAs(["sales"]));

  it("releases an authorization: says the hold is lifted and nothing charged", async () => {
    const authorized = makePayment({ id: "pay_3", status: "authorized", capture: "manual", amount_minor: 8000, amount_authorized_minor: 8000, amount_captured_minor: 0 });
    const network = stubFetch({ "POST /api/v1/payments/stripe/cancel/pay_3": () => json(200, { ...authorized, status: "canceled" }) });
    const onCanceled = vi.fn();
    renderWithProviders(<CancelPaymentButton payment={authorized} onCanceled={onCanceled} />);

    await userEvent.click(await screen.findByRole("button", { name: "Release" }));
    const dialog = await screen.findByRole("dialog", { name: "Release authorization" });
    expect(dialog).toHaveTextContent("Release the $80.00 authorized on the card? The hold on the card is lifted and nothing is charged");
    await userEvent.click(within(dialog).getByRole("button", { name: "Release" }));
    await vi.waitFor(() => expect(onCanceled).toHaveBeenCalledWith(expect.objectContaining({ status: "canceled" })));
    expect(network.callsTo("POST", "/api/v1/payments/stripe/cancel/pay_3")).toHaveLength(1);
  });
});
