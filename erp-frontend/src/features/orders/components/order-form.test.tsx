import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, json, stubFetch } from "@/testing/fetch-stub";
import { makeOrder, signInAs } from "@/testing/fixtures";
import { renderWithProviders } from "@/testing/render";
import { OrderForm } from "./order-form";

async function fillLine(index: number, values: { sku: string; description: string; quantity: string; price: string }) {
  const line = within(screen.getByRole("group", { name: `Line ${index + 1}` }));
  await userEvent.type(line.getByLabelText(/^SKU/), values.sku);
  await userEvent.type(line.getByLabelText(/^Description/), values.description);
  await userEvent.clear(line.getByLabelText(/^Quantity/));
  await userEvent.type(line.getByLabelText(/^Quantity/), values.quantity);
  await userEvent.type(line.getByLabelText(/^Unit price/), values.price);
}

describe("OrderForm", () => {
  beforeEach(() => signInAs(["sales"]));

  it("adds up the lines as they are typed", async () => {
    stubFetch({});
    renderWithProviders(<OrderForm onCreated={vi.fn()} onCancel={vi.fn()} />);
    await fillLine(0, { sku: "CHAIR-01", description: "Office chair", quantity: "2", price: "149.99" });
    await userEvent.click(screen.getByRole("button", { name: "Add line" }));
    await fillLine(1, { sku: "DESK-01", description: "Desk", quantity: "1", price: "0.02" });
    expect(screen.getByTestId("order-total")).toHaveTextContent("Total: $300.00");
  });

  it("creates the order with exact decimal strings and an idempotency key", async () => {
    const created = makeOrder();
    const network = stubFetch({ "POST /api/v1/orders": () => json(201, created) });
    const onCreated = vi.fn();
    renderWithProviders(<OrderForm onCreated={onCreated} onCancel={vi.fn()} />);
    await userEvent.type(await screen.findByLabelText(/^Customer/), "cus_42");
    await fillLine(0, { sku: "CHAIR-01", description: "Office chair", quantity: "2", price: "149.99" });
    await userEvent.click(screen.getByRole("button", { name: "Create order" }));

    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    const [call] = network.calls;
    expect(call?.body).toEqual({
      customer_id: "cus_42", currency: "usd",
      lines: [{ sku: "CHAIR-01", description: "Office chair", quantity: 2, unit_price: "149.99" }],
    });
    expect(call?.headers["Idempotency-Key"]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("shows the API's field errors next to their fields", async () => {
    stubFetch({
      "POST /api/v1/orders": () =>
        apiError(422, "validation_error", "The request is invalid.", [
          { field: "customer_id", location: "body", message: "String should have at most 64 characters", type: "string_too_long" },
          { field: "lines.0.unit_price", location: "body", message: "amount is too large", type: "amount_too_large" },
        ]),
    });
    renderWithProviders(<OrderForm onCreated={vi.fn()} onCancel={vi.fn()} />);
    await userEvent.type(await screen.findByLabelText(/^Customer/), "cus_42");
    await fillLine(0, { sku: "X", description: "Y", quantity: "1", price: "5" });
    await userEvent.click(screen.getByRole("button", { name: "Create order" }));

    expect(await screen.findByText("String should have at most 64 characters")).toBeInTheDocument();
    expect(screen.getByText("amount is too large")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("Fix the highlighted fields and try again.");
  });

  it("catches missing fields and bad prices without a round trip", async () => {
    const network = stubFetch({});
    renderWithProviders(<OrderForm onCreated={vi.fn()} onCancel={vi.fn()} />);
    await fillLine(0, { sku: "X", description: "Y", quantity: "1", price: "9.999" });
    await userEvent.click(screen.getByRole("button", { name: "Create order" }));
    expect(await screen.findByText("Enter the customer")).toBeInTheDocument();
    expect(screen.getByText("At most 2 decimal places")).toBeInTheDocument();
    expect(network.calls).toHaveLength(0);
  });
});
