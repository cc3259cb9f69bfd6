import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { PaymentStats } from "@/lib/api-types";

export interface StatsRange {
  from: string;
  to: string;
}

export function getPaymentStats(range: StatsRange, signal?: AbortSignal): Promise<PaymentStats> {
  return api.get<PaymentStats>("/api/v1/payments/stripe/stats", { ...range }, signal);
}

export function usePaymentStats(range: StatsRange) {
  return useQuery({
    queryKey: ["payment-stats", range],
    queryFn: ({ signal }) => getPaymentStats(range, signal),
    placeholderData: keepPreviousData,
  });
}
