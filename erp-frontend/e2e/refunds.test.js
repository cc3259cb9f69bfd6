// Finance refunds in the browser; sales cannot.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GATEWAY_URL, checkStack, createOrder, devToken, getOrder, launchBrowser, openPage, screenshot } from "./support/stack.js";
import { expectOrderStatus, finishPayment, openOrder, payWithCard, paymentRows, signIn, startPayment } from "./support/screens.js";

let browser;
let salesToken;
let paidOrder;

before(async () => {
  await checkStack();
  browser = await launchBrowser();
  salesToken = await devToken("sales");
  paidOrder = await createOrder(salesToken, "80.00");
  const { page, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, paidOrder);
  await payWithCard(await startPayment(page), "4242424242424242");
  await finishPayment(page);
  await expectOrderStatus(page, "Paid");
  await close();
});
after(async () => { await browser?.close(); });

test("sales sees no refund button", async () => {
  const { page, problems, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, paidOrder);
  await paymentRows(page).first().waitFor();
  assert.equal(await page.getByRole("button", { name: "Refund" }).count(), 0);
  assert.equal(await page.getByRole("link", { name: "Payments" }).count(), 0);
  assert.deepEqual(problems, []);
  await close();
});

test("finance refunds part (Partially refunded), then the rest (Refunded)", async () => {
  const { page, problems, close } = await openPage(browser);
  await signIn(page, "finance");
  await openOrder(page, paidOrder);

  await paymentRows(page).first().getByRole("button", { name: "Refund" }).click();
  const dialog = page.getByRole("dialog", { name: "Refund payment" });
  const amount = dialog.getByLabel("Amount to refund");
  assert.equal(await amount.inputValue(), "80.00");
  await amount.fill("30.00");
  assert.match(await dialog.getByTestId("refund-remainder").textContent(), /\$50\.00/);
  await dialog.getByRole("textbox", { name: "Reason", exact: true }).click();
  await page.getByRole("option", { name: "Product returned" }).click();
  await dialog.getByLabel("Reason in your words").fill("Customer returned one chair");
  await dialog.getByLabel("Notes").fill("Returned one item");
  await screenshot(page, "refund-dialog", { fullPage: false });
  await dialog.getByRole("button", { name: "Refund" }).click();
  await dialog.waitFor({ state: "hidden" });
  await expectOrderStatus(page, "Partially refunded");
  await paymentRows(page).first().getByText("$30.00").waitFor();

  await paymentRows(page).first().getByRole("button", { name: "Refund" }).click();
  assert.equal(await dialog.getByLabel("Amount to refund").inputValue(), "50.00");
  await dialog.getByRole("button", { name: "Refund" }).click();
  await dialog.waitFor({ state: "hidden" });
  await expectOrderStatus(page, "Refunded");
  await page.getByRole("button", { name: "Refund" }).waitFor({ state: "detached" });
  await page.getByRole("list", { name: "Order history" }).or(page.getByText("Refund")).first().waitFor();
  await screenshot(page, "order-refunded");

  const stored = await getOrder(salesToken, paidOrder.id);
  assert.deepEqual([stored.payment_status, stored.amount_refunded_minor], ["refunded", 8000]);
  const listed = await fetch(`${GATEWAY_URL}/api/v1/payments/stripe/payments?order_id=${paidOrder.id}`, {
    headers: { Authorization: `Bearer ${await devToken("finance")}` },
  }).then((response) => response.json());
  const reasons = listed.items[0].refunds.map((r) => [r.reason_code, r.reason, r.notes]);
  assert.deepEqual(reasons, [
    ["product_returned", "Customer returned one chair", "Returned one item"],
    ["requested_by_customer", null, null],
  ]);
  assert.deepEqual(problems, []);
  await close();
});

test("a refund larger than what remains is refused in the dialog", async () => {
  const order = await createOrder(salesToken, "10.00");
  const { page, close } = await openPage(browser);
  await signIn(page, "sales");
  await openOrder(page, order);
  await payWithCard(await startPayment(page), "4242424242424242");
  await finishPayment(page);
  await close();

  const finance = await openPage(browser);
  await signIn(finance.page, "finance");
  await openOrder(finance.page, order);
  await paymentRows(finance.page).first().getByRole("button", { name: "Refund" }).click();
  const dialog = finance.page.getByRole("dialog", { name: "Refund payment" });
  await dialog.getByLabel("Amount to refund").fill("10.01");
  await dialog.getByRole("button", { name: "Refund" }).click();
  await dialog.getByText("At most $10.00 can be refunded").waitFor();
  assert.equal((await getOrder(salesToken, order.id)).amount_refunded_minor, 0);
  await finance.close();
});
