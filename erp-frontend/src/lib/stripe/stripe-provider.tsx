import type { Stripe } from "@stripe/stripe-js";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { errorMessage } from "../api-error";
import { useStripeConfig } from "./get-stripe-config";
import { initStripe } from "./init-stripe";
import { StripeContext, type StripeState } from "./stripe-context";

export function StripeProvider({ children }: { children: ReactNode }) {
  const config = useStripeConfig();
  const [stripe, setStripe] = useState<Stripe | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    if (!config.data) return;
    let active = true;
    initStripe(config.data).then(
      (loaded) => active && setStripe(loaded),
      (error: unknown) => active && setLoadError(`Stripe.js could not be loaded: ${errorMessage(error)}`),
    );
    return () => {
      active = false;
    };
  }, [config.data]);

  const value = useMemo<StripeState>(() => {
    const error = config.error ? `Payment settings could not be loaded: ${errorMessage(config.error)}` : loadError;
    return {
      stripe,
      publishableKey: config.data?.publishable_key ?? null,
      mode: config.data?.mode ?? null,
      loading: !error && !stripe,
      error,
    };
  }, [stripe, config.data, config.error, loadError]);

  return <StripeContext.Provider value={value}>{children}</StripeContext.Provider>;
}
