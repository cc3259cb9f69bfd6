import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";
import type { StripeConfig } from "../api-types";
import { loadScript } from "./load-script";

type StripeScript = Pick<StripeConfig, "publishable_key" | "stripe_js_url">;

/**
 * With the emulator, its Stripe.js stand-in is put on the page first: `loadStripe` then finds
 * `window.Stripe` and uses it instead of fetching js.stripe.com, so the same components run
 * offline and against real Stripe. Any answer naming the key and the script will do (the
 * public config, or a payment link's page).
 */
export async function initStripe(config: StripeConfig | StripeScript): Promise<Stripe> {
  if (!config.publishable_key) throw new Error("No Stripe publishable key is configured.");
  if (config.stripe_js_url) await loadScript(config.stripe_js_url);
  const stripe = await loadStripe(config.publishable_key);
  if (!stripe) throw new Error("Stripe.js is not available in this browser.");
  return stripe;
}
