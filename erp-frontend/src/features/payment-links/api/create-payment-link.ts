import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { CreatePaymentLinkRequest, PaymentLink } from "@/lib/api-types";
import { paymentLinksPath } from "./get-payment-links";
import { paymentLinkKeys } from "./payment-link-keys";

interface CreateLinkInput {
  orderId: string;
  body: Partial<CreatePaymentLinkRequest>;
  /** One per dialog: a double submit or a retry makes one link. */
  idempotencyKey: string;
}

export function createPaymentLink({ orderId, body, idempotencyKey }: CreateLinkInput): Promise<PaymentLink> {
  return api.post<PaymentLink>(paymentLinksPath(orderId), body, { "Idempotency-Key": idempotencyKey });
}

export function useCreatePaymentLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createPaymentLink,
    onSettled: (_link, _error, input) => queryClient.invalidateQueries({ queryKey: paymentLinkKeys.forOrder(input.orderId) }),
  });
}
