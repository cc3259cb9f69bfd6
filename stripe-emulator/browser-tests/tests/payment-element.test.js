// The Stripe.js stand-in in a real browser: mount, type a test card, confirm, 3D Secure,
// declines and inline validation, on a page served from another origin.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  PUBLISHABLE_KEY, SECRET_KEY, createIntent, fillCard, resultOf, retrieveIntent, startAll,
} from "./harness.js";

let servers;
let page;

before(async () => { servers = await startAll(); });
after(async () => { await servers?.stop(); });

async function openPlain(intent, element = "payment") {
  page = await servers.browser.newPage();
  await page.goto(`${servers.host.url}/plain?client_secret=${intent.client_secret}&element=${element}`);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

describe("Payment Element", () => {
  test("4242 4242 4242 4242 pays: succeeded", async () => {
    const intent = await createIntent(servers.emulator.url);
    await openPlain(intent);

    await fillCard(page, { number: "4242424242424242" });
    assert.equal(await page.getByLabel("Card number").inputValue(), "4242 4242 4242 4242");
    await page.getByRole("button", { name: "Pay" }).click();

    assert.deepEqual(await resultOf(page), { status: "succeeded", id: intent.id });
    const stored = await retrieveIntent(servers.emulator.url, intent.id);
    assert.equal(stored.status, "succeeded");
    assert.equal(stored.amount_received, 1999);
    const changes = await page.evaluate(() => window.changes);
    assert.deepEqual(changes.at(-1), {
      elementType: "payment", empty: false, complete: true, collapsed: false, value: { type: "card" },
    });
    await page.close();
  });

  test("4000 0025 0000 3155 shows the 3D Secure challenge; Complete succeeds", async () => {
    const intent = await createIntent(servers.emulator.url);
    await openPlain(intent);

    await fillCard(page, { number: "4000002500003155" });
    await page.getByRole("button", { name: "Pay" }).click();
    const dialog = page.getByRole("dialog", { name: "3D Secure authentication" });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /VISA •••• 3155/);
    assert.match(await dialog.textContent(), /\$19\.99/);
    await dialog.getByRole("button", { name: "Complete" }).click();

    assert.deepEqual(await resultOf(page), { status: "succeeded", id: intent.id });
    assert.equal(await page.getByRole("dialog").count(), 0);
    await page.close();
  });

  test("failing the challenge returns payment_intent_authentication_failure", async () => {
    const intent = await createIntent(servers.emulator.url);
    await openPlain(intent);

    await fillCard(page, { number: "4000002760003184" });
    await page.getByRole("button", { name: "Pay" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Fail" }).click();

    const result = await resultOf(page);
    assert.equal(result.error.code, "payment_intent_authentication_failure");
    assert.equal(result.error.payment_intent_status, "requires_payment_method");
    await page.close();
  });

  test("a declined card shows Stripe's message inline and in the result", async () => {
    const intent = await createIntent(servers.emulator.url);
    await openPlain(intent);

    await fillCard(page, { number: "4000000000009995" });
    await page.getByRole("button", { name: "Pay" }).click();

    assert.deepEqual(await resultOf(page), {
      error: {
        type: "card_error", code: "card_declined", decline_code: "insufficient_funds",
        message: "Your card has insufficient funds.", payment_intent_status: "requires_payment_method",
      },
    });
    await page.getByText("Your card has insufficient funds.", { exact: true }).waitFor();
    await page.close();
  });

  test("inline validation: incomplete and invalid fields, nothing sent", async () => {
    const intent = await createIntent(servers.emulator.url);
    await openPlain(intent);

    await page.getByRole("button", { name: "Pay" }).click();
    await page.getByText("Your card number is incomplete.", { exact: true }).waitFor();
    await page.getByText("Your card's expiration date is incomplete.", { exact: true }).waitFor();
    await page.getByText("Your card's security code is incomplete.", { exact: true }).waitFor();
    await page.getByLabel("Card number").fill("4242424242424241");
    await page.getByText("Your card number is invalid.", { exact: true }).waitFor();
    await page.getByLabel("Expiration date").fill("01 / 20");
    await page.getByLabel("Expiration date").blur();
    await page.getByText("Your card's expiration year is in the past.", { exact: true }).waitFor();

    assert.equal(await page.getByLabel("Card number").getAttribute("aria-invalid"), "true");
    const result = await resultOf(page);
    assert.equal(result.error.type, "validation_error");
    assert.equal(result.error.code, "incomplete_number");
    const stored = await retrieveIntent(servers.emulator.url, intent.id);
    assert.equal(stored.status, "requires_payment_method");
    assert.equal(stored.latest_charge, null);
    await page.close();
  });

  test("a wrong client secret is a loaderror", async () => {
    const intent = await createIntent(servers.emulator.url);
    page = await servers.browser.newPage();
    await page.goto(`${servers.host.url}/plain?client_secret=${intent.id}_secret_wrong`);

    const result = await resultOf(page);
    assert.equal(result.loaderror.param, "client_secret");
    await page.close();
  });
});

describe("Card Element with confirmCardPayment", () => {
  test("pays with the single-row card element", async () => {
    const intent = await createIntent(servers.emulator.url, 5000);
    await openPlain(intent, "card");

    await fillCard(page, { number: "5555555555554444" });
    await page.getByRole("button", { name: "Pay" }).click();

    assert.deepEqual(await resultOf(page), { status: "succeeded", id: intent.id });
    await page.close();
  });
});

describe("Other Stripe.js methods", () => {
  test("handleNextAction runs the challenge of a server-confirmed intent", async () => {
    const intent = await createIntent(servers.emulator.url);
    await confirmOnServer(intent.id, "pm_card_authenticationRequired");
    await openPlain(intent);

    const outcome = page.evaluate(async ({ clientSecret, key }) => {
      const stripe = Stripe(key);
      const before = await stripe.retrievePaymentIntent(clientSecret);
      const handled = await stripe.handleNextAction({ clientSecret });
      return { before: before.paymentIntent.status, after: handled.paymentIntent.status };
    }, { clientSecret: intent.client_secret, key: PUBLISHABLE_KEY });
    await page.getByRole("dialog").getByRole("button", { name: "Complete" }).click();

    assert.deepEqual(await outcome, { before: "requires_action", after: "succeeded" });
    await page.close();
  });

  test("the emulator's own demo page pays", async () => {
    page = await servers.browser.newPage();
    await page.goto(`${servers.emulator.url}/_emulator/demo`);

    await fillCard(page, { number: "4242424242424242" });
    await page.getByRole("button", { name: "Pay" }).click();

    await page.locator("#result").filter({ hasText: "succeeded" }).waitFor();
    await page.close();
  });
});

async function confirmOnServer(id, paymentMethod) {
  const response = await fetch(`${servers.emulator.url}/v1/payment_intents/${id}/confirm`, {
    method: "POST",
    headers: { Authorization: `Bearer ${SECRET_KEY}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ payment_method: paymentMethod }),
  });
  assert.equal((await response.json()).status, "requires_action");
}
