import type { OrderPaymentStatus } from "@/lib/api-types";

export interface OrderFilters {
  q?: string;
  payment_status?: OrderPaymentStatus;
  page: number;
  page_size: number;
}

export const orderKeys = {
  all: ["orders"] as const,
  list: (filters: OrderFilters) => ["orders", "list", filters] as const,
  detail: (orderId: string) => ["orders", "detail", orderId] as const,
};

export const ORDER_STATUSES: OrderPaymentStatus[] = [
  "unpaid",
  "processing",
  "authorized",
  "partially_paid",
  "paid",
  "partially_refunded",
  "refunded",
  "disputed",
];
