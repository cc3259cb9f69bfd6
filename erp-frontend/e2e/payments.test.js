// Sales takes card payments in the browser against the real stack (gateway, sales-service,
// emulator and its Stripe.js stand-in): full, deposit then balance, a decline, 3D Secure.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { checkStack, createOrder, devToken, getOrder, launchBrowser, openPage, screenshot } from "./support/stack.js";
import {
  expectOrderStatus, finishPayment, openOrder, payWithCard, paymentDialog, paymentRows, signIn, startPayment,
} from "./support/screens.js";

let browser;
let salesToken;

before(async () => {
  await checkStack();
  browser = await launchBrowser();
  salesToken = await devToken("sales");
});
after(async () => { await browser?.close(); });

test("sales pays an order with 4242 and it becomes Paid", async () => {
  const order = await createOrder(salesToken, "120.00");
  const { page, problems, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, order);
  await expectOrderStatus(page, "Unpaid");

  const dialog = await startPayment(page);
  await screenshot(page, "payment-modal-card-form", { fullPage: false });
  await payWithCard(dialog, "4242424242424242");
  await dialog.getByText("Payment successful").waitFor({ timeout: 15_000 });
  await screenshot(page, "payment-modal-success", { fullPage: false });
  await finishPayment(page);

  await expectOrderStatus(page, "Paid");
  assert.equal(await page.getByRole("button", { name: "Pay with Stripe" }).count(), 0);
  const row = paymentRows(page).first();
  await row.getByText("Visa •••• 4242").waitFor();
  assert.match(await row.textContent(), /Completed/);
  const stored = await getOrder(salesToken, order.id);
  assert.deepEqual([stored.payment_status, stored.amount_paid_minor, stored.outstanding_minor], ["paid", 12000, 0]);
  await screenshot(page, "order-paid");
  assert.deepEqual(problems, []);
  await close();
});

test("a deposit, then the balance", async () => {
  const order = await createOrder(salesToken, "200.00");
  const { page, problems, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, order);

  await payWithCard(await startPayment(page, "50.00"), "4242424242424242");
  await finishPayment(page);
  await expectOrderStatus(page, "Partially paid");
  await page.getByLabel("Outstanding").filter({ hasText: "$150.00" }).waitFor();

  const dialog = await startPayment(page);
  assert.match(await dialog.textContent(), /Charging \$150\.00/);
  await payWithCard(dialog, "5555555555554444");
  await finishPayment(page);
  await expectOrderStatus(page, "Paid");
  await paymentRows(page).nth(1).waitFor();
  assert.equal(await paymentRows(page).count(), 2);
  const stored = await getOrder(salesToken, order.id);
  assert.deepEqual([stored.payment_status, stored.amount_paid_minor], ["paid", 20000]);
  assert.deepEqual(problems, []);
  await close();
});

test("4000 0000 0000 0002 shows the decline and the order stays unpaid; another card then pays", async () => {
  const order = await createOrder(salesToken, "42.00");
  const { page, problems, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, order);

  const dialog = await startPayment(page);
  await payWithCard(dialog, "4000000000000002");
  const alert = dialog.getByRole("alert").filter({ hasText: "Payment not completed" });
  await alert.waitFor({ timeout: 15_000 });
  assert.match(await alert.textContent(), /Your card was declined\./);
  await dialog.getByRole("button", { name: /^Pay / }).and(page.locator(":enabled")).waitFor();
  await screenshot(page, "payment-modal-declined", { fullPage: false });
  const stored = await getOrder(salesToken, order.id);
  assert.deepEqual([stored.payment_status, stored.amount_paid_minor], ["unpaid", 0]);

  await payWithCard(dialog, "4242424242424242");
  await finishPayment(page);
  await expectOrderStatus(page, "Paid");
  assert.deepEqual(problems, []);
  await close();
});

test("4000 0025 0000 3155 asks for 3D Secure; Complete pays the order", async () => {
  const order = await createOrder(salesToken, "75.50");
  const { page, problems, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, order);

  await payWithCard(await startPayment(page), "4000002500003155");
  const challenge = page.getByRole("dialog", { name: "3D Secure authentication" });
  await challenge.waitFor({ timeout: 15_000 });
  await screenshot(page, "payment-3ds-challenge", { fullPage: false });
  await challenge.getByRole("button", { name: "Complete" }).click();
  await finishPayment(page);

  await expectOrderStatus(page, "Paid");
  const stored = await getOrder(salesToken, order.id);
  assert.deepEqual([stored.payment_status, stored.amount_paid_minor], ["paid", 7550]);
  assert.equal(await paymentDialog(page).count(), 0);
  assert.deepEqual(problems, []);
  await close();
});
