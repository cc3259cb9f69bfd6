// Authorize now, capture at shipment: sales authorizes a card, captures part of it, finance
// refunds part of what was captured; another authorization is released.
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

/** Sales takes the whole order as an authorization with 4242; the page shows it held, not paid. */
async function authorizeWholeOrder(page, order) {
  const dialog = await startPayment(page, undefined, { authorizeOnly: true });
  assert.match(await dialog.textContent(), /Authorizing \$\d/);
  await screenshot(page, "payment-modal-authorize", { fullPage: false });
  await payWithCard(dialog, "4242424242424242");
  await dialog.getByText("Card authorized").waitFor({ timeout: 15_000 });
  assert.match(await dialog.textContent(), /charged when the payment is captured/);
  await finishPayment(page, "Card authorized");
  await expectOrderStatus(page, "Authorized");
  await page.getByLabel("Authorized", { exact: true }).filter({ hasText: order.total.toFixed(2) }).waitFor();
}

test("authorize, capture part, then finance refunds part of the capture", async () => {
  const order = await createOrder(salesToken, "100.00");
  const { page, problems, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, order);
  await authorizeWholeOrder(page, order);

  const row = paymentRows(page).first();
  await row.locator('[data-status="authorized"]').waitFor();
  await row.getByText(/^expires /).waitFor();
  assert.equal(await page.getByRole("button", { name: "Pay with Stripe" }).count(), 0); // the card holds it all
  assert.equal(await row.getByRole("button", { name: "Refund" }).count(), 0);
  await screenshot(page, "order-authorized");

  await row.getByRole("button", { name: "Capture" }).click();
  const capture = page.getByRole("dialog", { name: "Capture payment" });
  const amount = capture.getByLabel("Amount to capture");
  assert.equal(await amount.inputValue(), "100.00");
  await amount.fill("100.01");
  await capture.getByRole("button", { name: "Capture" }).click();
  await capture.getByText("At most the $100.00 authorized can be captured").waitFor();
  await amount.fill("60.00");
  assert.match(await capture.getByTestId("capture-released").textContent(), /\$40\.00/);
  await screenshot(page, "capture-dialog", { fullPage: false });
  await capture.getByRole("button", { name: "Capture" }).click();
  await capture.waitFor({ state: "hidden", timeout: 15_000 });

  await expectOrderStatus(page, "Partially paid");
  await page.getByLabel("Paid", { exact: true }).filter({ hasText: "$60.00" }).waitFor();
  await row.getByText("$60.00 captured of $100.00").waitFor({ timeout: 15_000 });
  assert.equal(await page.getByLabel("Authorized", { exact: true }).count(), 0); // Stripe released the rest
  const captured = await getOrder(salesToken, order.id);
  assert.deepEqual(
    [captured.payment_status, captured.amount_paid_minor, captured.amount_authorized_minor, captured.outstanding_minor],
    ["partially_paid", 6000, 0, 4000],
  );
  await screenshot(page, "order-captured");
  assert.deepEqual(problems, []);
  await close();

  const finance = await openPage(browser);
  await signIn(finance.page, "finance");
  await openOrder(finance.page, order);
  await paymentRows(finance.page).first().getByRole("button", { name: "Refund" }).click();
  const refund = finance.page.getByRole("dialog", { name: "Refund payment" });
  const refundAmount = refund.getByLabel("Amount to refund");
  assert.equal(await refundAmount.inputValue(), "60.00"); // what was captured, not what was authorized
  await refundAmount.fill("20.00");
  await refund.getByRole("button", { name: "Refund" }).click();
  await refund.waitFor({ state: "hidden" });
  await expectOrderStatus(finance.page, "Partially refunded");
  await finance.page.getByLabel("Refunded", { exact: true }).filter({ hasText: "$20.00" }).waitFor();
  const refunded = await getOrder(salesToken, order.id);
  assert.deepEqual([refunded.amount_paid_minor, refunded.amount_refunded_minor], [6000, 2000]);
  assert.deepEqual(finance.problems, []);
  await finance.close();
});

test("Release lifts the hold: the payment is canceled and nothing is charged", async () => {
  const order = await createOrder(salesToken, "45.00");
  const { page, problems, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, order);
  await authorizeWholeOrder(page, order);

  const row = paymentRows(page).first();
  await row.getByRole("button", { name: "Release" }).click();
  const confirm = page.getByRole("dialog", { name: "Release authorization" });
  await confirm.getByText(/The hold on the card is lifted and nothing is charged/).waitFor();
  await screenshot(page, "release-dialog", { fullPage: false });
  await confirm.getByRole("button", { name: "Release" }).click();
  await confirm.waitFor({ state: "hidden" });
  await row.locator('[data-status="canceled"]').waitFor({ timeout: 15_000 });
  await expectOrderStatus(page, "Unpaid");
  assert.equal(await row.getByRole("button", { name: /Capture|Release/ }).count(), 0);
  await page.getByRole("button", { name: "Pay with Stripe" }).waitFor(); // the order can take a new payment
  assert.equal(await paymentDialog(page).count(), 0);

  const stored = await getOrder(salesToken, order.id);
  assert.deepEqual([stored.payment_status, stored.amount_paid_minor, stored.amount_authorized_minor], ["unpaid", 0, 0]);
  assert.deepEqual(problems, []);
  await close();
});
