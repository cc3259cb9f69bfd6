// Finance's "Export CSV" downloads the server's export: the list's filters, each payment once.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { GATEWAY_URL, checkStack, createOrder, devToken, launchBrowser, openPage } from "./support/stack.js";
import { signIn } from "./support/screens.js";

let browser;
let paymentId;

before(async () => {
  await checkStack();
  browser = await launchBrowser();
  const token = await devToken("sales");
  const order = await createOrder(token, "33.30");
  const response = await fetch(`${GATEWAY_URL}/api/v1/payments/stripe/create-intent`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ order_id: order.id }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  paymentId = body.payment_id;
});
after(async () => { await browser?.close(); });

test("Export CSV downloads the filtered payments from the server", async () => {
  const { page, problems, close } = await openPage(browser);
  const exports = [];
  page.on("request", (request) => { if (request.url().includes("/payments/export.csv")) exports.push(request.url()); });
  await signIn(page, "finance");
  await page.goto("/payments");
  await page.getByRole("textbox", { name: "Status" }).click();
  await page.getByRole("option", { name: "Pending" }).click();
  await page.getByRole("table", { name: "Payments" }).waitFor();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  const lines = (await readFile(await download.path(), "utf8")).trim().split("\r\n");

  assert.equal(exports.length, 1);
  assert.match(exports[0], /status=pending/);
  assert.equal(lines[0].split(",")[0], "payment_id");
  const rows = lines.slice(1).filter((line) => line.startsWith(`${paymentId},`));
  assert.equal(rows.length, 1);
  assert.match(rows[0], /,pending,USD,33\.30,0\.00,/);
  assert.deepEqual(problems, []);
  await close();
});
