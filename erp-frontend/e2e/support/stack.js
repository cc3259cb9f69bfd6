// The running stack (gateway, sales-service, emulator) and a browser: Debian's chromium driven
// by playwright-core, no browser download. Addresses come from the same variables the other
// suites use, defaulting to the test profile.
import { createHmac } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");
export const ARTIFACTS = path.resolve(here, "../../e2e-artifacts");

export const GATEWAY_URL = process.env.GATEWAY_URL ?? "http://127.0.0.1:18080";
export const EMULATOR_URL = process.env.STRIPE_EMULATOR_URL ?? "http://127.0.0.1:18420";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Fails with a message that says what to start, rather than timing out in the browser. */
export async function checkStack() {
  const problems = [];
  const probe = async (url, check) => {
    try {
      const response = await fetch(url);
      const text = await response.text();
      if (!response.ok || !check(text)) problems.push(`${url} answered ${response.status}`);
    } catch (error) {
      const reason = error instanceof Error ? (/** @type {any} */ (error).cause?.code ?? error.message) : String(error);
      problems.push(`${url} is not reachable (${reason})`);
    }
  };
  await probe(`${GATEWAY_URL}/health/ready`, () => true);
  await probe(`${GATEWAY_URL}/`, (html) => html.includes('<div id="root">'));
  await probe(`${EMULATOR_URL}/_emulator/health`, () => true);
  if (problems.length > 0) {
    throw new Error(
      `the end-to-end stack is not ready:\n  ${problems.join("\n  ")}\n` +
        "Build first (npm run build), then start it: DEV_PROFILE=test dev/services.sh start",
    );
  }
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A page at a given width that records console errors, failed requests and CSP violations, so a
 * test can assert the screens ran cleanly under the gateway's Content-Security-Policy.
 */
export async function openPage(browser, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: GATEWAY_URL });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 4\d\d/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return { page, problems, close: () => context.close() };
}

/** Saves a test artifact; `fullPage: false` for dialogs, whose overlay covers only the viewport. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
}

async function api(method, pathname, token, body) {
  const response = await fetch(`${GATEWAY_URL}${pathname}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

export async function devToken(role) {
  return (await api("POST", "/api/v1/auth/dev-token", null, { role })).access_token;
}

/** A fresh order of its own for one test (the stack is shared: no test reuses another's). */
export async function createOrder(token, unitPrice = "120.00") {
  const suffix = Math.random().toString(36).slice(2, 8);
  return api("POST", "/api/v1/orders", token, {
    customer_id: `cus_e2e_${suffix}`,
    currency: "usd",
    lines: [{ sku: `E2E-${suffix}`, description: "End-to-end test item", quantity: 1, unit_price: unitPrice }],
  });
}

export function getOrder(token, orderId) {
  return api("GET", `/api/v1/orders/${orderId}`, token);
}

async function jwtSecret() {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const env = await readFile(path.join(repoRoot, ".env"), "utf8");
  const line = env.split("\n").find((entry) => entry.startsWith("JWT_SECRET="));
  if (!line) throw new Error("JWT_SECRET is not set and not in .env");
  return line.slice("JWT_SECRET=".length).trim();
}

/** An HS256 token signed as the local stack signs them, expired `agoSeconds` ago. */
export async function expiredToken(role, agoSeconds = 120) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const head = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ sub: `demo-${role}`, roles: [role], iat: now - 3600, exp: now - agoSeconds })}`;
  const signature = createHmac("sha256", await jwtSecret()).update(head).digest("base64url");
  return `${head}.${signature}`;
}
