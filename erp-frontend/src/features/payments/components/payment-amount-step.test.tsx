import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/testing/render";
import { PaymentAmountStep } from "./payment-amount-step";

function renderStep(props: { payableMinor?: number; authorizedMinor?: number } = {}) {
  const onContinue = vi.fn();
  renderWithProviders(
    <PaymentAmountStep
      payableMinor={props.payableMinor ?? 10000}
      authorizedMinor={props.authorizedMinor ?? 0}
      currency="usd"
      pending={false}
      error={null}
      onContinue={onContinue}
      onCancel={vi.fn()}
    />,
  );
  return onContinue;
}

describe("PaymentAmountStep", () => {
  it("charges now unless sales choose to authorize only", async () => {
    const onContinue = renderStep();
    expect(await screen.findByRole("radio", { name: "Charge now" })).toBeChecked();
    await userEvent.click(screen.getByRole("button", { name: "Continue to Payment" }));
    expect(onContinue).toHaveBeenLastCalledWith("100.00", "automatic");

    await userEvent.click(screen.getByText("Authorize only"));
    expect(screen.getByRole("radio", { name: "Authorize only" })).toBeChecked();
    expect(screen.getByText(/charged when someone captures it/)).toBeInTheDocument();
    const amount = screen.getByLabelText(/Amount to authorize/);
    await userEvent.clear(amount);
    await userEvent.type(amount, "40");
    await userEvent.click(screen.getByRole("button", { name: "Continue to Payment" }));
    expect(onContinue).toHaveBeenLastCalledWith("40", "manual");
  });

  it("offers only what no card already holds", async () => {
    const onContinue = renderStep({ payableMinor: 6000, authorizedMinor: 4000 });
    const amount = await screen.findByLabelText(/Amount to charge/);
    expect(amount).toHaveValue("60.00");
    expect(screen.getByText(/Still to pay on this order/)).toHaveTextContent("$40.00 more is authorized on a card");
    await userEvent.clear(amount);
    await userEvent.type(amount, "60.01");
    await userEvent.click(screen.getByRole("button", { name: "Continue to Payment" }));
    expect(await screen.findByText("At most the $60.00 not yet paid or authorized")).toBeInTheDocument();
    expect(onContinue).not.toHaveBeenCalled();
  });
});
