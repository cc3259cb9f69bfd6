// The customer pays by link against the real stack: sales makes the link on the order page, the
// customer opens it signed out in another browser context and pays with 4242 or with 3D Secure
// (3155); two tabs racing on one link make one payment and one charge; a revoked link says so.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GATEWAY_URL, checkStack, createOrder, devToken, getOrder, launchBrowser, openPage, screenshot } from "./support/stack.js";
import { expectOrderStatus, openOrder, payWithCard, signIn } from "./support/screens.js";
import { chargesFor, createLinkByApi, linksOf, openLink, paymentsOf, startCardPayment } from "./support/pay-link.js";

let browser;
let salesToken;

before(async () => {
  await checkStack();
  browser = await launchBrowser();
  salesToken = await devToken("sales");
});
after(async () => { await browser?.close(); });

test("sales makes a link on the order page; the customer pays it with 4242 and both see it paid", async () => {
  const order = await createOrder(salesToken, "86.00");
  const staff = await openPage(browser);
  await signIn(staff.page, "sales");
  await openOrder(staff.page, order);
  await staff.page.getByRole("button", { name: "Create link" }).click();
  const dialog = staff.page.getByRole("dialog", { name: /^Payment link for/ });
  await dialog.getByLabel(/^Amount/).fill("36.00");
  await dialog.getByRole("button", { name: "Create link" }).click();
  const address = dialog.getByLabel("Link", { exact: true });
  await address.waitFor();
  const url = await address.inputValue();
  assert.match(url, /\/pay\/[A-Za-z0-9_-]{43}$/);
  await screenshot(staff.page, "payment-link-created", { fullPage: false });
  await dialog.getByRole("button", { name: "Done" }).click();

  const customer = await openPage(browser, 420);
  await openLink(customer.page, url);
  assert.match(await customer.page.getByLabel("Amount to pay").textContent(), /\$36\.00/);
  await customer.page.getByText(order.number).first().waitFor();
  assert.equal(await customer.page.getByRole("button", { name: "Sign out" }).count(), 0, "no ERP chrome");
  await screenshot(customer.page, "payment-link-page");
  await payWithCard(await startCardPayment(customer.page), "4242424242424242");
  await customer.page.getByText("Payment received").waitFor({ timeout: 15_000 });
  assert.match(await customer.page.getByRole("status").filter({ hasText: "Payment received" }).textContent(), /Visa •••• 4242/);
  await screenshot(customer.page, "payment-link-paid");

  await customer.page.reload();
  await customer.page.getByText("Payment received").waitFor();
  assert.equal(await customer.page.getByRole("button", { name: /by card/ }).count(), 0);

  await staff.page.reload();
  await expectOrderStatus(staff.page, "Partially paid");
  const row = staff.page.getByRole("table", { name: "Payment links" }).locator("tbody tr").first();
  await row.locator('[data-link-status="paid"]').waitFor();
  const stored = await getOrder(salesToken, order.id);
  assert.deepEqual([stored.amount_paid_minor, stored.outstanding_minor], [3600, 5000]);
  assert.deepEqual(staff.problems, []);
  assert.deepEqual(customer.problems, []);
  await staff.close();
  await customer.close();
});

test("4000 0025 0000 3155 asks the customer for 3D Secure; Complete pays the link", async () => {
  const order = await createOrder(salesToken, "31.55");
  const link = await createLinkByApi(salesToken, order.id);
  const customer = await openPage(browser, 420);
  await openLink(customer.page, link.url);
  await payWithCard(await startCardPayment(customer.page), "4000002500003155");
  const challenge = customer.page.getByRole("dialog", { name: "3D Secure authentication" });
  await challenge.waitFor({ timeout: 15_000 });
  await screenshot(customer.page, "payment-link-3ds", { fullPage: false });
  await challenge.getByRole("button", { name: "Complete" }).click();
  await customer.page.getByText("Payment received").waitFor({ timeout: 15_000 });
  const stored = await getOrder(salesToken, order.id);
  assert.deepEqual([stored.payment_status, stored.amount_paid_minor], ["paid", 3155]);
  assert.deepEqual(customer.problems, []);
  await customer.close();
});

test("a failed 3D Secure stays unpaid, and another card then pays the same link", async () => {
  const order = await createOrder(salesToken, "22.00");
  const link = await createLinkByApi(salesToken, order.id);
  const customer = await openPage(browser, 420);
  await openLink(customer.page, link.url);
  const form = await startCardPayment(customer.page);
  await payWithCard(form, "4000002500003155");
  const challenge = customer.page.getByRole("dialog", { name: "3D Secure authentication" });
  await challenge.waitFor({ timeout: 15_000 });
  await challenge.getByRole("button", { name: "Fail" }).click();
  await form.getByRole("alert").filter({ hasText: "Payment not completed" }).waitFor({ timeout: 15_000 });
  assert.equal(await customer.page.getByText("Payment received").count(), 0);
  assert.equal((await getOrder(salesToken, order.id)).amount_paid_minor, 0);
  await payWithCard(form, "4242424242424242");
  await customer.page.getByText("Payment received").waitFor({ timeout: 15_000 });
  assert.equal((await paymentsOf(salesToken, order.id)).length, 1, "the retry used the link's one payment");
  await customer.close();
});

test("two tabs racing on one link make one payment and one charge", async () => {
  const order = await createOrder(salesToken, "58.00");
  const link = await createLinkByApi(salesToken, order.id);
  const customer = await openPage(browser, 420);
  const second = await customer.page.context().newPage();
  await Promise.all([openLink(customer.page, link.url), openLink(second, link.url)]);
  const [first, other] = await Promise.all([startCardPayment(customer.page), startCardPayment(second)]);
  await Promise.all([payWithCard(first, "4242424242424242"), payWithCard(other, "5555555555554444")]);
  await Promise.all([
    customer.page.getByText("Payment received").waitFor({ timeout: 20_000 }),
    second.getByText("Payment received").waitFor({ timeout: 20_000 }),
  ]);

  const payments = await paymentsOf(salesToken, order.id);
  assert.equal(payments.length, 1, "one payment");
  assert.equal(payments[0].status, "completed");
  const charges = await chargesFor(payments[0].payment_intent_id);
  assert.equal(charges.filter((charge) => charge.paid).length, 1, "one charge");
  const stored = await getOrder(salesToken, order.id);
  assert.deepEqual([stored.payment_status, stored.amount_paid_minor], ["paid", 5800]);
  const [listed] = await linksOf(salesToken, order.id);
  assert.equal(listed.status, "paid");
  await customer.close();
});

test("a revoked link says it is not valid and offers nothing to pay", async () => {
  const order = await createOrder(salesToken, "14.00");
  const link = await createLinkByApi(salesToken, order.id);
  const staff = await openPage(browser);
  await signIn(staff.page, "sales");
  await openOrder(staff.page, order);
  const table = staff.page.getByRole("table", { name: "Payment links" });
  await table.getByRole("button", { name: "Revoke" }).click();
  await staff.page.getByRole("dialog", { name: "Revoke payment link" }).getByRole("button", { name: "Revoke link" }).click();
  await table.locator('[data-link-status="revoked"]').waitFor();

  const customer = await openPage(browser, 420);
  await customer.page.goto(new URL(link.url).pathname);
  await customer.page.getByText("This payment link is not valid").waitFor();
  assert.equal(await customer.page.getByRole("button", { name: /Pay/ }).count(), 0);
  await screenshot(customer.page, "payment-link-invalid");
  assert.deepEqual(staff.problems, []);
  await staff.close();
  await customer.close();
});

test("a link above what the order still owes refuses to pay", async () => {
  const order = await createOrder(salesToken, "40.00");
  const link = await createLinkByApi(salesToken, order.id, { amount: "30.00" });
  const other = await createLinkByApi(salesToken, order.id, { amount: "20.00" });
  const customer = await openPage(browser, 420);
  await openLink(customer.page, other.url);
  await payWithCard(await startCardPayment(customer.page), "4242424242424242");
  await customer.page.getByText("Payment received").waitFor({ timeout: 15_000 });

  await openLink(customer.page, link.url);
  await customer.page.getByText("This link can no longer be paid").waitFor();
  assert.equal(await customer.page.getByRole("button", { name: /by card/ }).count(), 0);
  assert.equal((await getOrder(salesToken, order.id)).amount_paid_minor, 2000);
  await customer.close();
});

test("the link page keeps its token out of what it sends elsewhere", async () => {
  const order = await createOrder(salesToken, "9.00");
  const link = await createLinkByApi(salesToken, order.id);
  const token = new URL(link.url).pathname.split("/").pop() ?? "";
  assert.ok(token.length >= 43);
  const customer = await openPage(browser, 420);
  const leaks = [];
  const ours = (url) => url.startsWith(`${GATEWAY_URL}/api/v1/pay/${token}`) || url === `${GATEWAY_URL}/pay/${token}`;
  customer.page.on("request", (request) => {
    const referer = request.headers().referer ?? "";
    const sent = `${request.url()} ${request.postData() ?? ""}`;
    if (referer.includes(token) || (!ours(request.url()) && sent.includes(token))) {
      leaks.push(`${request.method()} ${request.url()} (referer ${referer})`);
    }
  });
  await openLink(customer.page, link.url);
  await payWithCard(await startCardPayment(customer.page), "4242424242424242");
  await customer.page.getByText("Payment received").waitFor({ timeout: 15_000 });
  assert.deepEqual(leaks, []);
  await customer.close();
});
