import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "@/lib/api-client";
import type { PaymentLink } from "@/lib/api-types";
import { paymentLinksPath } from "./get-payment-links";
import { paymentLinkKeys } from "./payment-link-keys";

/** Revokes the link; a payment under way through it is canceled at Stripe. */
export function revokePaymentLink({ orderId, linkId }: { orderId: string; linkId: string }): Promise<PaymentLink> {
  return apiRequest<PaymentLink>(`${paymentLinksPath(orderId)}/${encodeURIComponent(linkId)}`, { method: "DELETE" });
}

export function useRevokePaymentLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokePaymentLink,
    onSettled: (_link, _error, input) => queryClient.invalidateQueries({ queryKey: paymentLinkKeys.forOrder(input.orderId) }),
  });
}
