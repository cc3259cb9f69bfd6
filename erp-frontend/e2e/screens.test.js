// The main screens at laptop (1280 px) and tablet (800 px) widths, saved as test artifacts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { checkStack, createOrder, devToken, launchBrowser, openPage, screenshot } from "./support/stack.js";
import { openOrder, signIn } from "./support/screens.js";

let browser;
let order;

before(async () => {
  await checkStack();
  browser = await launchBrowser();
  order = await createOrder(await devToken("sales"), "49.99");
});
after(async () => { await browser?.close(); });

for (const width of [1280, 800]) {
  test(`orders, new order, payments and dashboard at ${width} px`, async () => {
    const sales = await openPage(browser, width);
    await signIn(sales.page, "sales");
    await sales.page.getByRole("table", { name: "Orders" }).waitFor();
    await screenshot(sales.page, `orders-${width}`);
    await sales.page.goto("/orders/new");
    await sales.page.getByLabel(/^Customer/).fill("cus_screens");
    await sales.page.getByLabel(/^SKU/).fill("CHAIR-01");
    await sales.page.getByLabel(/^Description/).fill("Office chair");
    await sales.page.getByLabel(/^Unit price/).fill("149.99");
    await sales.page.getByTestId("order-total").filter({ hasText: "$149.99" }).waitFor();
    await screenshot(sales.page, `order-new-${width}`);
    await openOrder(sales.page, order);
    await screenshot(sales.page, `order-detail-${width}`);
    assert.deepEqual(sales.problems, []);
    await sales.close();

    const finance = await openPage(browser, width);
    await signIn(finance.page, "finance");
    await finance.page.goto("/payments");
    await finance.page.getByRole("table", { name: "Payments" }).or(finance.page.getByText("No payments match")).first().waitFor();
    await screenshot(finance.page, `payments-${width}`);
    await finance.page.goto("/dashboard");
    await finance.page.getByRole("group", { name: "Payment success rate" }).waitFor();
    await screenshot(finance.page, `dashboard-${width}`);
    assert.deepEqual(finance.problems, []);
    await finance.close();
  });
}
