import type { Stripe } from "@stripe/stripe-js";
import { createContext, useContext } from "react";
import type { StripeConfig } from "../api-types";

export interface StripeState {
  stripe: Stripe | null;
  publishableKey: string | null;
  mode: StripeConfig["mode"] | null;
  loading: boolean;
  error: string | null;
}

export const StripeContext = createContext<StripeState | null>(null);

/** Stripe.js as configured by the sales-service (real Stripe or the local emulator). */
export function useStripe(): StripeState {
  const state = useContext(StripeContext);
  if (!state) throw new Error("useStripe needs a <StripeProvider>");
  return state;
}
