// Signing in and an expired session, against the real API.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { checkStack, expiredToken, launchBrowser, openPage, screenshot } from "./support/stack.js";
import { signIn } from "./support/screens.js";

const EXPIRED = "Your session has expired. Sign in again to continue.";
let browser;

before(async () => {
  await checkStack();
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

test("a signed-out visitor is sent to sign-in, and the sign-in screen renders cleanly", async () => {
  const { page, problems, close } = await openPage(browser);
  const response = await page.goto("/orders");
  // The app runs under the gateway's policy: any inline script or foreign origin would be
  // refused and show up in `problems`.
  assert.match(response?.headers()["content-security-policy"] ?? "", /script-src 'self'/);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/sign-in");
  await screenshot(page, "sign-in");
  assert.deepEqual(problems, []);
  await close();
});

test("a token the API finds expired sends the user back to sign-in with a message", async () => {
  const { page, close } = await openPage(browser);
  await signIn(page, "sales");
  await page.getByRole("table", { name: "Orders" }).or(page.getByText("No orders yet")).first().waitFor();

  // Time passes: the session's token is now one the API refuses as expired.
  const token = await expiredToken("sales");
  await page.evaluate((value) => sessionStorage.setItem("erp.session", JSON.stringify({ token: value })), token);
  await page.getByRole("link", { name: "Orders" }).click();
  await page.getByRole("textbox", { name: "Payment status" }).click();
  await page.getByRole("option", { name: "Paid", exact: true }).click();

  await page.getByText(EXPIRED).waitFor({ timeout: 10_000 });
  assert.equal(new URL(page.url()).pathname, "/sign-in");
  assert.equal(await page.evaluate(() => sessionStorage.getItem("erp.session")), null);
  await screenshot(page, "sign-in-expired");
  await close();
});

test("an expired token found on reload is dropped before any request", async () => {
  const { page, close } = await openPage(browser);
  await page.goto("/sign-in");
  const token = await expiredToken("finance");
  await page.evaluate((value) => sessionStorage.setItem("erp.session", JSON.stringify({ token: value })), token);
  await page.goto("/orders");
  await page.getByText(EXPIRED).waitFor();
  assert.equal(new URL(page.url()).pathname, "/sign-in");
  await close();
});
