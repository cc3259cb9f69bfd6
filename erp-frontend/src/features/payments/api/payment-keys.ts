import type { PaymentStatus } from "@/lib/api-types";

export interface PaymentFilters {
  order_id?: string;
  status?: PaymentStatus;
  from?: string;
  to?: string;
  page: number;
  page_size: number;
}

export const paymentKeys = {
  all: ["payments"] as const,
  list: (filters: PaymentFilters) => ["payments", "list", filters] as const,
};

export const PAYMENTS_PATH = "/api/v1/payments/stripe/payments";
