// "Cancel payment" on the order page: an unfinished payment (declined, or never paid) holds the
// order's one open payment until someone cancels it; then a new amount can be taken.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GATEWAY_URL, checkStack, createOrder, devToken, getOrder, launchBrowser, openPage, screenshot } from "./support/stack.js";
import { expectOrderStatus, finishPayment, openOrder, payWithCard, paymentDialog, paymentRows, signIn, startPayment } from "./support/screens.js";

let browser;
let salesToken;

before(async () => {
  await checkStack();
  browser = await launchBrowser();
  salesToken = await devToken("sales");
});
after(async () => { await browser?.close(); });

test("sales cancels a declined deposit, then pays the whole order", async () => {
  const order = await createOrder(salesToken, "60.00");
  const { page, problems, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, order);

  const dialog = await startPayment(page, "20.00");
  await payWithCard(dialog, "4000000000000002");
  await dialog.getByRole("alert").filter({ hasText: "Payment not completed" }).waitFor({ timeout: 15_000 });
  await dialog.getByRole("button", { name: /^Pay / }).and(page.locator(":enabled")).waitFor();
  await dialog.locator(".mantine-Modal-close").click();
  await paymentDialog(page).waitFor({ state: "hidden" });

  const row = paymentRows(page).first();
  await row.locator('[data-status="failed"]').waitFor();
  await row.getByRole("button", { name: "Cancel payment" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel payment" });
  await confirm.getByText(/Cancel the unfinished payment of \$20\.00\?/).waitFor();
  await screenshot(page, "order-cancel-payment-dialog", { fullPage: false });
  await confirm.getByRole("button", { name: "Cancel payment" }).click();
  await confirm.waitFor({ state: "hidden" });
  await row.locator('[data-status="canceled"]').waitFor({ timeout: 15_000 });
  assert.equal(await row.getByRole("button", { name: "Cancel payment" }).count(), 0);
  await screenshot(page, "order-payment-canceled");

  // The order's open payment is free again: the full amount, not the old 20.00, can be taken.
  await payWithCard(await startPayment(page, "60.00"), "4242424242424242");
  await finishPayment(page);
  await expectOrderStatus(page, "Paid");
  assert.equal(await page.getByRole("button", { name: "Cancel payment" }).count(), 0); // none is unfinished
  const stored = await getOrder(salesToken, order.id);
  assert.deepEqual([stored.payment_status, stored.amount_paid_minor], ["paid", 6000]);
  assert.deepEqual(problems, []);
  await close();
});

test("finance cancels a payment left pending", async () => {
  const order = await createOrder(salesToken, "15.00");
  const response = await fetch(`${GATEWAY_URL}/api/v1/payments/stripe/create-intent`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${salesToken}` },
    body: JSON.stringify({ order_id: order.id, amount: "5.00" }),
  });
  assert.equal(response.status, 200, await response.clone().text());

  const { page, problems, close } = await openPage(browser);
  await signIn(page, "finance");
  await openOrder(page, order);
  const row = paymentRows(page).first();
  await row.locator('[data-status="pending"]').waitFor();
  await screenshot(page, "order-pending-payment-cancel");
  await row.getByRole("button", { name: "Cancel payment" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel payment" });
  await confirm.getByRole("button", { name: "Cancel payment" }).click();
  await row.locator('[data-status="canceled"]').waitFor({ timeout: 15_000 });
  assert.deepEqual(problems, []);
  await close();
});
