import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";
import type { StripeConfig } from "../api-types";
import { loadScript } from "./load-script";

/**
 * With the emulator, its Stripe.js stand-in is put on the page first: `loadStripe` then finds
 * `window.Stripe` and uses it instead of fetching js.stripe.com, so the same components run
 * offline and against real Stripe.
 */
export async function initStripe(config: StripeConfig): Promise<Stripe> {
  if (!config.publishable_key) throw new Error("No Stripe publishable key is configured.");
  if (config.stripe_js_url) await loadScript(config.stripe_js_url);
  const stripe = await loadStripe(config.publishable_key);
  if (!stripe) throw new Error("Stripe.js is not available in this browser.");
  return stripe;
}
