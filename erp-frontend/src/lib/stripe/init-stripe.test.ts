import { describe, expect, it, vi } from "vitest";
import { initStripe } from "./init-stripe";

describe("initStripe in emulator mode", () => {
  it("puts the emulator's Stripe.js on the page first, so loadStripe uses it and fetches nothing else", async () => {
    const instance = { elements: vi.fn(), _registerWrapper: vi.fn() };
    const StripeGlobal = Object.assign(vi.fn(() => instance), { version: "endive" });
    const appended = vi.spyOn(document.head, "appendChild");

    const pending = initStripe({
      publishable_key: "pk_test_emulator",
      currency: "usd",
      mode: "emulator",
      stripe_js_url: "http://127.0.0.1:18420/v3",
      account: { country: "US", default_currency: "usd", display_name: "ERP Payments (emulated)" },
    });
    const script = appended.mock.calls[0]?.[0] as HTMLScriptElement;
    expect(script.src).toBe("http://127.0.0.1:18420/v3");
    // The browser runs the stand-in, which defines window.Stripe, then fires `load`.
    Object.assign(window, { Stripe: StripeGlobal });
    script.dispatchEvent(new Event("load"));

    await expect(pending).resolves.toBe(instance);
    expect(StripeGlobal).toHaveBeenCalledWith("pk_test_emulator");
    expect(document.querySelectorAll('script[src^="https://js.stripe.com"]')).toHaveLength(0);
  });

  it("refuses a configuration without a publishable key", async () => {
    await expect(
      initStripe({ publishable_key: null, currency: "usd", mode: "test", stripe_js_url: null, account: { country: null, default_currency: null, display_name: null } }),
    ).rejects.toThrow("No Stripe publishable key is configured.");
  });
});
