// What a person does on the ERP screens, written once for every end-to-end test.
import assert from "node:assert/strict";

const ROLE_LABELS = { sales: "Sales", finance: "Finance", admin: "Admin" };

export async function signIn(page, role) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: `Sign in as ${ROLE_LABELS[role]}` }).click();
  await page.getByTestId("signed-in-user").filter({ hasText: `demo-${role}` }).waitFor();
}

export async function openOrder(page, order) {
  await page.goto(`/orders/${order.id}`);
  await page.getByRole("heading", { name: order.number }).waitFor();
}

/** The order's payment status badge next to its number. */
export function orderStatus(page) {
  return page.locator("h2 + [data-status]");
}

export async function expectOrderStatus(page, label, timeout = 15_000) {
  // Exact text: "Paid" must not match "Partially paid" while the order is still updating.
  await orderStatus(page).filter({ hasText: new RegExp(`^${label}$`) }).waitFor({ timeout });
  assert.equal((await orderStatus(page).textContent())?.trim(), label);
}

/**
 * Opens the payment modal, optionally lowers the amount or chooses "Authorize only", and waits
 * for the card form.
 */
export async function startPayment(page, amount, { authorizeOnly = false } = {}) {
  await page.getByRole("button", { name: "Pay with Stripe" }).click();
  const dialog = paymentDialog(page);
  // The segmented control's radio inputs are hidden; its labels take the click.
  if (authorizeOnly) await dialog.getByText("Authorize only", { exact: true }).click();
  const label = authorizeOnly ? "Amount to authorize" : "Amount to charge";
  if (amount !== undefined) await dialog.getByLabel(label).fill(amount);
  await dialog.getByRole("button", { name: "Continue to Payment" }).click();
  await dialog.getByLabel("Card number").waitFor();
  await page.waitForFunction(() => {
    const button = [...document.querySelectorAll("button")].find((b) => /^(Pay|Authorize) \S/.test(b.textContent ?? ""));
    return button !== undefined && !button.disabled;
  });
  return dialog;
}

export async function payWithCard(dialog, number) {
  await dialog.getByLabel("Card number").fill(number);
  await dialog.getByLabel("Expiration date").fill("12 / 34");
  await dialog.getByLabel("Security code").fill("123");
  await dialog.getByRole("button", { name: /^(Pay|Authorize) / }).click();
}

export function paymentDialog(page) {
  return page.getByRole("dialog", { name: /^Pay order/ });
}

/** `outcome`: the done screen's title, "Card authorized" for an authorize-only payment. */
export async function finishPayment(page, outcome = "Payment successful") {
  const dialog = paymentDialog(page);
  await dialog.getByText(outcome).waitFor({ timeout: 15_000 });
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "hidden" });
}

export function paymentRows(page) {
  return page.getByRole("table", { name: "Payments" }).locator("tbody tr");
}
