import { useQuery } from "@tanstack/react-query";
import { api } from "../api-client";
import type { StripeConfig } from "../api-types";

export const STRIPE_CONFIG_PATH = "/api/v1/payments/stripe/config";

export function getStripeConfig(signal?: AbortSignal): Promise<StripeConfig> {
  return api.get<StripeConfig>(STRIPE_CONFIG_PATH, undefined, signal);
}

export function useStripeConfig(enabled = true) {
  return useQuery({
    queryKey: ["stripe", "config"],
    queryFn: ({ signal }) => getStripeConfig(signal),
    staleTime: 10 * 60_000,
    enabled,
  });
}
