import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makePayment } from "@/testing/fixtures";
import { renderWithProviders } from "@/testing/render";
import { PaymentsTable } from "./payments-table";

describe("payments table, manual capture", () => {
  it("shows when an authorization expires, what a partial capture took, and an expired hold", async () => {
    renderWithProviders(
      <PaymentsTable
        payments={[
          makePayment({ id: "pay_held", status: "authorized", capture: "manual", amount_minor: 8000, amount_authorized_minor: 8000, amount_captured_minor: 0, authorization_expires_at: "2026-12-08T14:02:00Z" }),
          makePayment({ id: "pay_part", capture: "manual", amount_minor: 8000, amount_captured_minor: 5000 }),
          makePayment({ id: "pay_full", amount_minor: 8000, amount_captured_minor: 8000 }),
          makePayment({ id: "pay_lapsed", status: "canceled", capture: "manual", amount_captured_minor: 0, cancellation_reason: "expired" }),
        ]}
      />,
    );
    const rows = within(await screen.findByRole("table", { name: "Payments" })).getAllByRole("row").slice(1);
    expect(within(rows[0]!).getByText("Authorized").closest("[data-status]")).toHaveAttribute("data-status", "authorized");
    expect(within(rows[0]!).getByText(/^expires /)).toHaveTextContent(/Dec/);
    expect(within(rows[1]!).getByText("$50.00 captured of $80.00")).toBeInTheDocument();
    expect(within(rows[2]!).queryByText(/captured/)).toBeNull();
    expect(within(rows[3]!).getByText("authorization expired")).toBeInTheDocument();
  });
});
