import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Payment } from "@/lib/api-types";
import { paymentKeys } from "./payment-keys";

/** Cancels the payment's intent at Stripe, freeing the order for a new payment. */
export function cancelPayment(paymentId: string): Promise<Payment> {
  return api.post<Payment>(`/api/v1/payments/stripe/cancel/${encodeURIComponent(paymentId)}`);
}

export function useCancelPayment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelPayment,
    onSettled: () => queryClient.invalidateQueries({ queryKey: paymentKeys.all }),
  });
}
