import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { CaptureRequest, Payment } from "@/lib/api-types";
import { paymentKeys } from "./payment-keys";

/** Charges all or part of an authorized payment; Stripe releases the rest of the hold. */
export function capturePayment(paymentId: string, body: CaptureRequest, idempotencyKey: string): Promise<Payment> {
  return api.post<Payment>(`/api/v1/payments/stripe/capture/${encodeURIComponent(paymentId)}`, body, {
    "Idempotency-Key": idempotencyKey,
  });
}

export function useCapturePayment(paymentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CaptureRequest; idempotencyKey: string }) =>
      capturePayment(paymentId, body, idempotencyKey),
    onSettled: () => queryClient.invalidateQueries({ queryKey: paymentKeys.all }),
  });
}
