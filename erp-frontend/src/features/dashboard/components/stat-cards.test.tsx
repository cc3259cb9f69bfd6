import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeStats } from "@/testing/fixtures";
import { renderWithProviders } from "@/testing/render";
import { DeclineReasons } from "./decline-reasons";
import { RefundReasons } from "./refund-reasons";
import { StatCards } from "./stat-cards";

describe("dashboard figures", () => {
  it("shows the rates with what they were computed from", async () => {
    renderWithProviders(<StatCards stats={makeStats()} />);
    const success = await screen.findByRole("group", { name: "Payment success rate" });
    expect(within(success).getByText("80.0%")).toBeInTheDocument();
    expect(within(success).getByText("8 of 10 attempted payments completed")).toBeInTheDocument();
    expect(within(screen.getByRole("group", { name: "Refund rate" })).getByText("12.5%")).toBeInTheDocument();
    expect(within(screen.getByRole("group", { name: "3D Secure rate" })).getByText("30.0%")).toBeInTheDocument();
  });

  it("shows a dash, not 0%, when nothing was attempted", async () => {
    renderWithProviders(<StatCards stats={makeStats({ payments: { attempted: 0, completed: 0, failed: 0, success_rate: null } })} />);
    expect(within(await screen.findByRole("group", { name: "Payment success rate" })).getByText("–")).toBeInTheDocument();
  });

  it("shows what cards hold, per currency, and how many holds expire within a day", async () => {
    const authorizations = {
      held: [
        { currency: "usd", amount: 180, amount_minor: 18000, count: 2 },
        { currency: "eur", amount: 50, amount_minor: 5000, count: 1 },
      ],
      expiring_within_24h: 1,
    };
    renderWithProviders(<StatCards stats={makeStats({ authorizations })} />);
    const held = await screen.findByRole("group", { name: "Authorized, not captured" });
    expect(within(held).getByText(/\$180\.00/)).toHaveTextContent(/\$180\.00 · €50\.00/);
    expect(within(held).getByText("3 authorizations held now, 1 expiring within 24 h")).toBeInTheDocument();
  });

  it("says so when no card holds an authorization", async () => {
    renderWithProviders(<StatCards stats={makeStats()} />);
    const held = await screen.findByRole("group", { name: "Authorized, not captured" });
    expect(within(held).getByText("No card holds an authorization now")).toBeInTheDocument();
  });

  it("lists decline reasons most frequent first", async () => {
    renderWithProviders(<DeclineReasons stats={makeStats()} />);
    const items = within(await screen.findByRole("list", { name: "Top decline reasons" })).getAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual(["Generic decline2", "Insufficient funds1"]);
  });

  it("counts refunds per reason code", async () => {
    const stats = makeStats();
    stats.refunds.by_reason = [
      { reason_code: "product_returned", count: 3 },
      { reason_code: "other", count: 1 },
    ];
    renderWithProviders(<RefundReasons stats={stats} />);
    const items = within(await screen.findByRole("list", { name: "Refunds by reason" })).getAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual(["Product returned3", "Other1"]);
  });

  it("says so when nothing was refunded", async () => {
    const stats = makeStats();
    stats.refunds.by_reason = [];
    renderWithProviders(<RefundReasons stats={stats} />);
    expect(await screen.findByText("No refunds in this period")).toBeInTheDocument();
  });
});
