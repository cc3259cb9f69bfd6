import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Order, Page } from "@/lib/api-types";
import { orderKeys, type OrderFilters } from "./order-keys";

export function getOrders(filters: OrderFilters, signal?: AbortSignal): Promise<Page<Order>> {
  return api.get<Page<Order>>("/api/v1/orders", { ...filters }, signal);
}

export function useOrders(filters: OrderFilters) {
  return useQuery({
    queryKey: orderKeys.list(filters),
    queryFn: ({ signal }) => getOrders(filters, signal),
    placeholderData: keepPreviousData,
  });
}
