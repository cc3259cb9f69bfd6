import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { PaymentLink } from "@/lib/api-types";
import { paymentLinkKeys } from "./payment-link-keys";

export function paymentLinksPath(orderId: string): string {
  return `/api/v1/orders/${encodeURIComponent(orderId)}/payment-links`;
}

export function getPaymentLinks(orderId: string, signal?: AbortSignal): Promise<PaymentLink[]> {
  return api.get<PaymentLink[]>(paymentLinksPath(orderId), undefined, signal);
}

/** `refreshKey`: the order's version; a payment landing through a link changes it. */
export function usePaymentLinks(orderId: string, refreshKey?: unknown) {
  return useQuery({
    queryKey: [...paymentLinkKeys.forOrder(orderId), refreshKey],
    queryFn: ({ signal }) => getPaymentLinks(orderId, signal),
  });
}
