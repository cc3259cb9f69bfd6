// @stripe/react-stripe-js on top of the stand-in: <Elements stripe={promise}
// options={{clientSecret}}>, <PaymentElement onReady>, useStripe(), useElements().

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createIntent, fillCard, resultOf, startAll } from "./harness.js";

let servers;

before(async () => { servers = await startAll(); });
after(async () => { await servers?.stop(); });

test("the React wrapper mounts, registers itself and pays", async () => {
  const intent = await createIntent(servers.emulator.url);
  const page = await servers.browser.newPage();
  const problems = [];
  page.on("console", (message) => { if (["error", "warning"].includes(message.type())) { problems.push(message.text()); } });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`${servers.host.url}/react?client_secret=${intent.client_secret}`);

  const pay = page.getByRole("button", { name: "Pay" });
  await page.waitForFunction(() => !document.getElementById("pay")?.disabled);
  await fillCard(page, { number: "4242424242424242" });
  await pay.click();

  assert.deepEqual(await resultOf(page), { status: "succeeded" });
  assert.deepEqual(await page.evaluate(() => window.wrappers), ["react-stripe-js"]);
  assert.deepEqual(problems, []);
  await page.close();
});
