import { useEffect, type ReactNode } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/query-states";
import { usePayments } from "@/features/payments/api/get-payments";
import { PaymentsTable } from "@/features/payments/components/payments-table";
import type { Payment } from "@/lib/api-types";

interface OrderPaymentsProps {
  orderId: string;
  /** The order's version: when it moves (a webhook landed), the payments are read again. */
  orderVersion: number;
  polling: boolean;
  actions?: (payment: Payment) => ReactNode;
}

export function OrderPayments({ orderId, orderVersion, polling, actions }: OrderPaymentsProps) {
  const payments = usePayments({ order_id: orderId, page: 1, page_size: 100 }, { refetchInterval: polling ? 1000 : false });
  const { refetch } = payments;
  useEffect(() => {
    void refetch();
  }, [orderVersion, refetch]);
  if (payments.isPending) return <LoadingState label="Loading payments…" />;
  if (payments.isError) return <ErrorState error={payments.error} onRetry={() => void payments.refetch()} title="Payments could not be loaded" />;
  if (payments.data.items.length === 0) return <EmptyState title="No payments yet" />;
  return <PaymentsTable payments={payments.data.items} actions={actions} />;
}
