import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Refund, RefundCreate } from "@/lib/api-types";

export function createRefund(paymentId: string, body: RefundCreate, idempotencyKey: string): Promise<Refund> {
  return api.post<Refund>(`/api/v1/payments/stripe/refund/${encodeURIComponent(paymentId)}`, body, {
    "Idempotency-Key": idempotencyKey,
  });
}

export function useCreateRefund(paymentId: string) {
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: RefundCreate; idempotencyKey: string }) =>
      createRefund(paymentId, body, idempotencyKey),
  });
}
