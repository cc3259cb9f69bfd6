import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Page, Payment } from "@/lib/api-types";
import { PAYMENTS_PATH, paymentKeys, type PaymentFilters } from "./payment-keys";

/** The API filters on RFC 3339 instants (a bare day is refused): a day picked as `from` starts
 * at its UTC midnight, one picked as `to` means up to the end of that UTC day. */
export function dayBounds(filters: Partial<PaymentFilters>) {
  const next = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  return {
    ...filters,
    from: filters.from ? `${filters.from}T00:00:00Z` : undefined,
    to: filters.to ? next(filters.to) : undefined,
  };
}

export function getPayments(filters: PaymentFilters, signal?: AbortSignal): Promise<Page<Payment>> {
  return api.get<Page<Payment>>(PAYMENTS_PATH, dayBounds(filters), signal);
}

export function usePayments(filters: PaymentFilters, options: { refetchInterval?: number | false } = {}) {
  return useQuery({
    queryKey: paymentKeys.list(filters),
    queryFn: ({ signal }) => getPayments(filters, signal),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval ?? false,
  });
}
