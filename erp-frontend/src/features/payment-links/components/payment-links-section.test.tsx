import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { PaymentLink } from "@/lib/api-types";
import { json, stubFetch } from "@/testing/fetch-stub";
import { makeOrder, signInAs } from "@/testing/fixtures";
import { renderWithProviders } from "@/testing/render";
import { PaymentLinksSection } from "./payment-links-section";

const ORDER = makeOrder({ outstanding: 199.98, outstanding_minor: 19998 });
const PATH = `/api/v1/orders/${ORDER.id}/payment-links`;
const URL = "https://shop.example.test/pay/3q2-7wEXAMPLEtokenEXAMPLEtokenEXAMPLEtok12";

function makeLink(overrides: Partial<PaymentLink> = {}): PaymentLink {
  return {
    id: "plink_1",
    url: null,
    order_id: ORDER.id,
    amount: 50,
    amount_minor: 5000,
    currency: "usd",
    expires_at: "2026-03-21T09:00:00Z",
    status: "active",
    payment_id: null,
    payment_status: null,
    email: null,
    email_status: null,
    created_by: "demo-sales",
    created_at: "2026-03-14T09:00:00Z",
    revoked_at: null,
    ...overrides,
  };
}

describe("the order's payment links", () => {
  it("lists each link with its state and its payment", async () => {
    signInAs(["sales"]);
    stubFetch({
      [`GET ${PATH}`]: () =>
        json(200, [
          makeLink({ id: "plink_paid", status: "paid", payment_id: "pay_1", payment_status: "completed" }),
          makeLink({ id: "plink_old", status: "expired", email: "c@example.test", email_status: "failed" }),
        ]),
    });
    renderWithProviders(<PaymentLinksSection order={ORDER} canWrite onChanged={vi.fn()} />);
    const table = await screen.findByRole("table", { name: "Payment links" });
    const [paid, expired] = within(table).getAllByRole("row").slice(1);
    expect(paid).toHaveTextContent(/Paid.*Completed/);
    expect(expired).toHaveTextContent(/Expired/);
    expect(expired).toHaveTextContent("c@example.test (failed)");
    expect(within(table).queryByRole("button", { name: "Revoke" })).toBeNull();
  });

  it("makes a link with an Idempotency-Key, shows its address once and lets it be copied", async () => {
    signInAs(["sales"]);
    let listed: PaymentLink[] = [];
    const network = stubFetch({
      [`GET ${PATH}`]: () => json(200, listed),
      [`POST ${PATH}`]: () => {
        listed = [makeLink({ amount: 25, amount_minor: 2500 })];
        return json(201, makeLink({ url: URL, amount: 25, amount_minor: 2500, email: "c@example.test" }));
      },
    });
    renderWithProviders(<PaymentLinksSection order={ORDER} canWrite onChanged={vi.fn()} />);
    await userEvent.click(await screen.findByRole("button", { name: "Create link" }));
    const amount = screen.getByLabelText(/^Amount/);
    expect(amount).toHaveValue("199.98");
    await userEvent.clear(amount);
    await userEvent.type(amount, "25");
    await userEvent.type(screen.getByLabelText(/Customer email/), "c@example.test");
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Create link" }));

    expect(await screen.findByDisplayValue(URL)).toBeInTheDocument();
    expect(screen.getByText(/No mail server is configured/)).toBeInTheDocument();
    const [call] = network.callsTo("POST", PATH);
    expect(call?.body).toEqual({ amount: "25", expires_in_hours: 168, email: "c@example.test" });
    expect(call?.headers["Idempotency-Key"]).toMatch(/^[0-9a-f]{32}$/);
    await userEvent.click(screen.getByRole("button", { name: "Done" }));
    const table = await screen.findByRole("table", { name: "Payment links" });
    expect(within(table).getByRole("button", { name: "Copy link" })).toBeInTheDocument();
  });

  it("refuses more than the outstanding balance before asking the service", async () => {
    signInAs(["sales"]);
    const network = stubFetch({ [`GET ${PATH}`]: () => json(200, []) });
    renderWithProviders(<PaymentLinksSection order={ORDER} canWrite onChanged={vi.fn()} />);
    await userEvent.click(await screen.findByRole("button", { name: "Create link" }));
    const amount = screen.getByLabelText(/^Amount/);
    await userEvent.clear(amount);
    await userEvent.type(amount, "200");
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Create link" }));
    expect(await screen.findByText(/At most the outstanding \$199\.98/)).toBeInTheDocument();
    expect(network.callsTo("POST", PATH)).toHaveLength(0);
  });

  it("revokes an active link after asking", async () => {
    signInAs(["sales"]);
    const onChanged = vi.fn();
    const network = stubFetch({
      [`GET ${PATH}`]: () => json(200, [makeLink({ payment_status: "requires_action", payment_id: "pay_1" })]),
      [`DELETE ${PATH}/plink_1`]: () => json(200, makeLink({ status: "revoked", payment_status: "canceled" })),
    });
    renderWithProviders(<PaymentLinksSection order={ORDER} canWrite onChanged={onChanged} />);
    await userEvent.click(await screen.findByRole("button", { name: "Revoke" }));
    expect(screen.getByText(/The payment the customer started through it is canceled/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Revoke link" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(network.callsTo("DELETE", `${PATH}/plink_1`)).toHaveLength(1);
  });

  it("offers no creating or revoking without payments:write", async () => {
    signInAs(["sales"]);
    stubFetch({ [`GET ${PATH}`]: () => json(200, [makeLink()]) });
    renderWithProviders(<PaymentLinksSection order={ORDER} canWrite={false} onChanged={vi.fn()} />);
    await screen.findByRole("table", { name: "Payment links" });
    expect(screen.queryByRole("button", { name: "Create link" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Revoke" })).toBeNull();
  });
});
