// Real servers for the browser tests: the emulator (a child process on a free port), a host
// page server on another origin, and Debian's chromium driven by playwright-core.

import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { hostPage } from "./host-pages.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const packageRoot = path.resolve(here, "../..");
const repoRoot = path.resolve(packageRoot, "..");

export const SECRET_KEY = "sk_test_browser_tests_secret";
export const PUBLISHABLE_KEY = "pk_test_browser_tests_publishable";

const PYTHON = process.env.EMULATOR_PYTHON || path.join(repoRoot, ".dev/venv/bin/python");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, output) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) { break; }
    try {
      const response = await fetch(`${url}/_emulator/health`);
      if (response.ok) { return; }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the emulator did not become healthy at ${url}:\n${output.join("")}`);
}

async function startEmulator() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(PYTHON, [
    "-m", "stripe_emulator", "--host", "127.0.0.1", "--port", String(port),
    "--secret-key", SECRET_KEY, "--publishable-key", PUBLISHABLE_KEY, "--log-level", "warning",
  ], { cwd: packageRoot, stdio: ["ignore", "pipe", "pipe"] });
  const output = [];
  child.stdout.on("data", (chunk) => output.push(chunk.toString()));
  child.stderr.on("data", (chunk) => output.push(chunk.toString()));
  await waitForHealth(url, child, output);
  return { url, stop: () => new Promise((resolve) => { child.once("exit", resolve); child.kill("SIGTERM"); }) };
}

const VENDOR_FILES = {
  "/vendor/react.js": "react/umd/react.production.min.js",
  "/vendor/react-dom.js": "react-dom/umd/react-dom.production.min.js",
  "/vendor/react-stripe.js": "@stripe/react-stripe-js/dist/react-stripe.umd.js",
};

// Serves the host pages (and React's UMD builds) from an origin other than the emulator's.
async function startHostServer(emulatorUrl) {
  const port = await freePort();
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url, `http://127.0.0.1:${port}`);
    if (url.pathname === "/favicon.ico") {
      response.writeHead(204);
      response.end();
      return;
    }
    const vendor = VENDOR_FILES[url.pathname];
    if (vendor) {
      const source = await readFile(path.join(packageRoot, "browser-tests/node_modules", vendor));
      response.writeHead(200, { "Content-Type": "application/javascript" });
      response.end(source);
      return;
    }
    const page = hostPage(url.pathname, { emulatorUrl, publishableKey: PUBLISHABLE_KEY });
    response.writeHead(page ? 200 : 404, { "Content-Type": "text/html; charset=utf-8" });
    response.end(page || "not found");
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

export async function startAll() {
  const emulator = await startEmulator();
  const host = await startHostServer(emulator.url);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    emulator,
    host,
    browser,
    async stop() {
      await browser.close();
      await host.stop();
      await emulator.stop();
    },
  };
}

// The sales-service's part, done with the secret key: a PaymentIntent for the page to pay.
export async function createIntent(emulatorUrl, amount = 1999) {
  const response = await fetch(`${emulatorUrl}/v1/payment_intents`, {
    method: "POST",
    headers: { Authorization: `Bearer ${SECRET_KEY}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ amount: String(amount), currency: "usd", "payment_method_types[0]": "card" }),
  });
  if (!response.ok) { throw new Error(`create intent failed: ${await response.text()}`); }
  return response.json();
}

export async function retrieveIntent(emulatorUrl, id) {
  const response = await fetch(`${emulatorUrl}/v1/payment_intents/${id}`, {
    headers: { Authorization: `Bearer ${SECRET_KEY}` },
  });
  return response.json();
}

export async function fillCard(page, { number, expiry = "12 / 34", cvc = "123" }) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration date").fill(expiry);
  await page.getByLabel("Security code").fill(cvc);
}

export async function resultOf(page) {
  const result = page.locator("#result");
  await result.filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
  return JSON.parse(await result.textContent());
}
