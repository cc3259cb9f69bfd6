// What a customer does on a payment link's page, and what the tests ask the stack about it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EMULATOR_URL, GATEWAY_URL } from "./stack.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

async function call(method, pathname, token, body) {
  const response = await fetch(`${GATEWAY_URL}${pathname}`, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** A link made as another ERP service would make it; its `url` is in this answer only. */
export function createLinkByApi(token, orderId, body = {}) {
  return call("POST", `/api/v1/orders/${orderId}/payment-links`, token, body);
}

export function linksOf(token, orderId) {
  return call("GET", `/api/v1/orders/${orderId}/payment-links`, token);
}

export async function paymentsOf(token, orderId) {
  return (await call("GET", `/api/v1/payments/stripe/payments?order_id=${orderId}`, token)).items;
}

async function stripeSecretKey() {
  if (process.env.STRIPE_SECRET_KEY) return process.env.STRIPE_SECRET_KEY;
  const env = await readFile(path.join(repoRoot, ".env"), "utf8");
  const line = env.split("\n").find((entry) => entry.startsWith("STRIPE_SECRET_KEY="));
  if (!line) throw new Error("STRIPE_SECRET_KEY is not set and not in .env");
  return line.slice("STRIPE_SECRET_KEY=".length).trim();
}

/** Stripe's own record (the emulator's) of the charges made on an intent. */
export async function chargesFor(intentId) {
  const response = await fetch(`${EMULATOR_URL}/v1/charges?payment_intent=${intentId}&limit=100`, {
    headers: { Authorization: `Bearer ${await stripeSecretKey()}` },
  });
  if (!response.ok) throw new Error(`the emulator answered ${response.status} for the charges`);
  return (await response.json()).data;
}

/** Opens the link's page (by its path: the gateway under test serves it) signed out. */
export async function openLink(page, url) {
  await page.goto(new URL(url).pathname);
  await page.getByLabel("Amount to pay").waitFor();
}

/** "Pay … by card", then the card form of the link's one payment, ready to take a card. */
export async function startCardPayment(page) {
  await page.getByRole("button", { name: /^Pay \S+ by card$/ }).click();
  const form = cardForm(page);
  await form.getByLabel("Card number").waitFor();
  await form.getByRole("button", { name: /^Pay / }).and(page.locator(":enabled")).waitFor();
  return form;
}

export function cardForm(page) {
  return page.getByRole("form", { name: "Card payment" });
}
