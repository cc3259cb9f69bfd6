import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Payment } from "@/lib/api-types";

/** The payment as it is now: what it can still refund may have moved since the list was read. */
export function getPayment(paymentId: string, signal?: AbortSignal): Promise<Payment> {
  return api.get<Payment>(`/api/v1/payments/stripe/payments/${encodeURIComponent(paymentId)}`, undefined, signal);
}

export function useCurrentPayment(paymentId: string) {
  return useQuery({
    queryKey: ["payments", "detail", paymentId],
    queryFn: ({ signal }) => getPayment(paymentId, signal),
    staleTime: 0,
    gcTime: 0,
  });
}
