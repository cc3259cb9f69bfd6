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
import { payableMinor } from "@/features/payments/components/payable";
import { StripePaymentModal } from "@/features/payments/components/stripe-payment-modal";
import type { Order, Payment } from "@/lib/api-types";
import { useAuth } from "@/lib/auth/auth-context";
import { OrderPaymentActions } from "./order-payment-actions";
import { OrderPayments } from "./order-payments";

// Webhooks may land a moment after the browser knows: poll the order until it shows the change.
const POLL_LIMIT_MS = 30_000;
type Awaiting = ((order: Order) => boolean) | null;

/** What the order shows once a payment from the modal is counted: an authorization is held, not paid. */
function showsPayment(order: Order, payment: Payment): (next: Order) => boolean {
  if (payment.capture === "manual") {
    const target = order.amount_authorized_minor + payment.amount_minor;
    return (next) => next.amount_authorized_minor >= target;
  }
  const target = order.amount_paid_minor + payment.amount_minor;
  return (next) => next.amount_paid_minor >= target;
}

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
  const canPay = can("payments:write") && payableMinor(current) > 0;
  const canActOnPayments = can("payments:capture") || can("payments:write") || can("refunds:write");

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
          actions={canActOnPayments ? (payment) => <OrderPaymentActions order={current} payment={payment} refresh={refresh} /> : undefined}
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
          onPaid={(payment) => refresh(showsPayment(current, payment))}
        />
      ) : null}
    </Stack>
  );
}
