import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Order } from "@/lib/api-types";
import { orderKeys } from "./order-keys";

export function getOrder(orderId: string, signal?: AbortSignal): Promise<Order> {
  return api.get<Order>(`/api/v1/orders/${encodeURIComponent(orderId)}`, undefined, signal);
}

/** `pollUntil`: refetch every second until it says the order has reached the wanted state. */
export function useOrder(orderId: string, pollUntil?: (order: Order) => boolean) {
  return useQuery({
    queryKey: orderKeys.detail(orderId),
    queryFn: ({ signal }) => getOrder(orderId, signal),
    refetchInterval: (query) => {
      const order = query.state.data;
      if (!pollUntil || !order) return false;
      return pollUntil(order) ? false : 1000;
    },
  });
}
