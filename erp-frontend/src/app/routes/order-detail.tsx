import { Anchor, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { ErrorState, LoadingState } from "@/components/query-states";
import { StatusBadge } from "@/components/status-badge";
import { AuditTimeline } from "@/features/audit/components/audit-timeline";
import { useOrder } from "@/features/orders/api/get-order";
import { orderKeys } from "@/features/orders/api/order-keys";
import { OrderLinesTable } from "@/features/orders/components/order-lines-table";
import { OrderSummary } from "@/features/orders/components/order-summary";
import { PaymentLinksSection } from "@/features/payment-links/components/payment-links-section";
import { CancelPaymentButton } from "@/features/payments/components/cancel-payment-button";
import { StripePaymentModal } from "@/features/payments/components/stripe-payment-modal";
import { RefundButton } from "@/features/refunds/components/refund-button";
import type { Order } from "@/lib/api-types";
import { useAuth } from "@/lib/auth/auth-context";
import { OrderPayments } from "./order-payments";

// Webhooks may land a moment after the browser knows: poll the order until it shows the change.
const POLL_LIMIT_MS = 30_000;
type Awaiting = ((order: Order) => boolean) | null;

export function OrderDetailRoute() {
  const { orderId = "" } = useParams();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [waitingFor, setAwaiting] = useState<Awaiting>(null);
  const [paying, setPaying] = useState(false);
  const order = useOrder(orderId, waitingFor ?? undefined);
  const reached = Boolean(waitingFor && order.data && waitingFor(order.data));
  const awaiting = reached ? null : waitingFor;

  useEffect(() => {
    if (!waitingFor) return;
    const timer = window.setTimeout(() => setAwaiting(null), POLL_LIMIT_MS);
    return () => window.clearTimeout(timer);
  }, [waitingFor]);

  const refresh = useCallback(
    (until: Awaiting) => {
      setAwaiting(() => until);
      void queryClient.invalidateQueries({ queryKey: orderKeys.detail(orderId) });
      void queryClient.invalidateQueries({ queryKey: ["payments"] });
      void queryClient.invalidateQueries({ queryKey: ["audit", orderId] });
    },
    [queryClient, orderId],
  );

  if (order.isPending) return <LoadingState label="Loading the order…" />;
  if (order.isError) return <ErrorState error={order.error} onRetry={() => void order.refetch()} title="The order could not be loaded" />;
  const current = order.data;
  const canPay = can("payments:write") && current.outstanding_minor > 0;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Anchor component={Link} to="/orders" size="sm">← Orders</Anchor>
          <Group gap="sm">
            <Title order={2}>{current.number}</Title>
            <StatusBadge status={current.payment_status} />
            {awaiting ? <Text size="xs" c="dimmed" role="status">Updating…</Text> : null}
          </Group>
        </Stack>
        {canPay ? <Button size="md" onClick={() => setPaying(true)}>Pay with Stripe</Button> : null}
      </Group>
      <OrderSummary order={current} />
      <Paper withBorder radius="md" p="md">
        <Text fw={600} mb="xs">Lines</Text>
        <OrderLinesTable order={current} />
      </Paper>
      <Paper withBorder radius="md" p="md">
        <Text fw={600} mb="xs">Payments</Text>
        <OrderPayments
          orderId={current.id}
          orderVersion={current.version}
          polling={awaiting !== null}
          actions={can("refunds:write") || can("payments:write") ? (payment) => (
            <Group gap="xs" wrap="nowrap">
              {can("payments:write") ? (
                <CancelPaymentButton payment={payment} onCanceled={() => refresh((next) => next.version > current.version)} />
              ) : null}
              {can("refunds:write") ? (
                <RefundButton
                  payment={payment}
                  onRefunded={(refund) => {
                    const target = current.amount_refunded_minor + refund.amount_minor;
                    refresh((next) => next.amount_refunded_minor >= target);
                  }}
                />
              ) : null}
            </Group>
          ) : undefined}
        />
      </Paper>
      {can("payments:read") ? (
        <PaymentLinksSection order={current} canWrite={can("payments:write")} onChanged={() => refresh(null)} />
      ) : null}
      {can("audit:read") ? (
        <Paper withBorder radius="md" p="md">
          <Text fw={600} mb="sm">History</Text>
          <AuditTimeline orderId={current.id} currency={current.currency} refreshKey={current.version} />
        </Paper>
      ) : null}
      {paying ? (
        <StripePaymentModal
          opened
          order={current}
          onClose={() => setPaying(false)}
          onPaid={(payment) => {
            const target = current.amount_paid_minor + payment.amount_minor;
            refresh((next) => next.amount_paid_minor >= target);
          }}
        />
      ) : null}
    </Stack>
  );
}
