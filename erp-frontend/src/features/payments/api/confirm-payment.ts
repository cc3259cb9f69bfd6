import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Payment } from "@/lib/api-types";
import { paymentKeys } from "./payment-keys";

export interface ConfirmRequest {
  payment_intent_id: string;
  order_id: string;
}

/** Tells the sales-service to read the intent from Stripe and record what happened. */
export function confirmPayment(body: ConfirmRequest): Promise<Payment> {
  return api.post<Payment>("/api/v1/payments/stripe/confirm", body);
}

export function useConfirmPayment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: confirmPayment,
    onSettled: () => queryClient.invalidateQueries({ queryKey: paymentKeys.all }),
  });
}
