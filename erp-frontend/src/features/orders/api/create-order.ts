import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Order, OrderCreate } from "@/lib/api-types";
import { orderKeys } from "./order-keys";

export function createOrder(body: OrderCreate, idempotencyKey: string): Promise<Order> {
  return api.post<Order>("/api/v1/orders", body, { "Idempotency-Key": idempotencyKey });
}

export function useCreateOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: OrderCreate; idempotencyKey: string }) =>
      createOrder(body, idempotencyKey),
    onSuccess: (order) => {
      queryClient.setQueryData(orderKeys.detail(order.id), order);
      return queryClient.invalidateQueries({ queryKey: orderKeys.all });
    },
  });
}
