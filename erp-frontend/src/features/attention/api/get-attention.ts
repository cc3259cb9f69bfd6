import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { AttentionItem, Page } from "@/lib/api-types";

export interface AttentionQuery {
  page: number;
  page_size: number;
}

export function getAttention(query: AttentionQuery, signal?: AbortSignal): Promise<Page<AttentionItem>> {
  return api.get<Page<AttentionItem>>("/api/v1/payments/stripe/attention", { ...query }, signal);
}

export function useAttention(query: AttentionQuery) {
  return useQuery({
    queryKey: ["attention", query],
    queryFn: ({ signal }) => getAttention(query, signal),
    placeholderData: keepPreviousData,
  });
}
