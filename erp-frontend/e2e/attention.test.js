// The needs-attention screen: a signed event that claims a payment Stripe never took is
// refused, and finance sees it listed with its order (screenshots at both widths).
import assert from "node:assert/strict";
import { createHmac, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { GATEWAY_URL, checkStack, createOrder, devToken, launchBrowser, openPage, screenshot } from "./support/stack.js";
import { signIn } from "./support/screens.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let browser;
let forgedEventId;

async function webhookSecret() {
  const raw = process.env.STRIPE_WEBHOOK_SECRET
    ?? (await readFile(path.join(repoRoot, ".env"), "utf8")).split("\n").find((line) => line.startsWith("STRIPE_WEBHOOK_SECRET="))?.slice("STRIPE_WEBHOOK_SECRET=".length);
  if (!raw) throw new Error("STRIPE_WEBHOOK_SECRET is not set and not in .env");
  return raw.split(",")[0].trim();
}

/** A validly signed event whose intent claims an amount Stripe's intent does not have. */
async function sendForgedSucceeded() {
  const sales = await devToken("sales");
  const order = await createOrder(sales, "10.00");
  const response = await fetch(`${GATEWAY_URL}/api/v1/payments/stripe/create-intent`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${sales}` },
    body: JSON.stringify({ order_id: order.id }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const intent = await response.json();
  const event = {
    id: `evt_e2e_${randomUUID().replaceAll("-", "")}`,
    object: "event",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: "payment_intent.succeeded",
    data: {
      object: {
        id: intent.payment_intent_id, object: "payment_intent", amount: 1, amount_received: 1, currency: "usd",
        status: "succeeded", livemode: false, metadata: { payment_id: intent.payment_id, order_id: order.id },
      },
    },
  };
  const body = JSON.stringify(event);
  const stamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", await webhookSecret()).update(`${stamp}.${body}`).digest("hex");
  const delivered = await fetch(`${GATEWAY_URL}/api/v1/payments/stripe/webhook`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${stamp},v1=${signature}` },
    body,
  });
  assert.equal(delivered.status, 200);
  assert.equal((await delivered.json()).status, "queued"); // applied (here: refused) after the answer
  await listedForAttention(event.id);
  return event.id;
}

/** Waits until the service has processed the event and listed it for a person. */
async function listedForAttention(eventId, timeoutMs = 15_000) {
  const finance = await devToken("finance");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${GATEWAY_URL}/api/v1/payments/stripe/attention?page_size=100`, {
      headers: { Authorization: `Bearer ${finance}` },
    });
    assert.equal(response.status, 200, await response.clone().text());
    const { items } = await response.json();
    const item = items.find((entry) => entry.event_id === eventId);
    if (item) return assert.equal(item.kind, "event_rejected");
    if (Date.now() > deadline) throw new Error(`event ${eventId} was not listed within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

before(async () => {
  await checkStack();
  browser = await launchBrowser();
  forgedEventId = await sendForgedSucceeded();
});
after(async () => { await browser?.close(); });

for (const width of [1280, 800]) {
  test(`finance sees a refused event in needs attention at ${width} px`, async () => {
    const finance = await openPage(browser, width);
    await signIn(finance.page, "finance");
    if (width >= 1000) {
      await finance.page.getByRole("link", { name: "Needs attention" }).click();
    } else {
      await finance.page.goto("/attention"); // narrow screens fold the navigation away
    }
    const table = finance.page.getByRole("table", { name: "Needs attention" });
    await table.waitFor();
    const row = table.locator(`tr[data-attention-id="event:${forgedEventId}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /Event rejected/i); // the badge shows it in capitals
    assert.match(await row.innerText(), /Open order/);
    await screenshot(finance.page, `attention-${width}`);
    assert.deepEqual(finance.problems, []);
    await finance.close();
  });
}

test("sales does not see the needs-attention screen", async () => {
  const sales = await openPage(browser);
  await signIn(sales.page, "sales");
  await sales.page.getByRole("navigation", { name: "Main navigation" }).waitFor();
  assert.equal(await sales.page.getByRole("link", { name: "Needs attention" }).count(), 0);
  await sales.close();
});
