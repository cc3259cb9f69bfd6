import type { Stripe } from "@stripe/stripe-js";
import { useEffect, useState } from "react";
import { errorMessage } from "@/lib/api-error";
import type { PayLinkView } from "@/lib/api-types";
import { initStripe } from "@/lib/stripe/init-stripe";

interface LinkStripe {
  stripe: Stripe | null;
  error: string | null;
}

/** Stripe.js with the key the link's answer names (the ERP's own Stripe provider needs sign-in). */
export function useLinkStripe(view: PayLinkView): LinkStripe {
  const [state, setState] = useState<LinkStripe>({ stripe: null, error: null });
  // Only these matter; the rest of the answer changes while paying.
  const key = view.publishable_key;
  const scriptUrl = view.stripe_js_url;
  useEffect(() => {
    let active = true;
    initStripe({ publishable_key: key, stripe_js_url: scriptUrl }).then(
      (stripe) => active && setState({ stripe, error: null }),
      (error: unknown) => active && setState({ stripe: null, error: `Card payments could not be loaded: ${errorMessage(error)}` }),
    );
    return () => {
      active = false;
    };
  }, [key, scriptUrl]);
  return state;
}
