import { Group } from "@mantine/core";
import { CancelPaymentButton } from "@/features/payments/components/cancel-payment-button";
import { CapturePaymentButton } from "@/features/payments/components/capture-payment-button";
import { RefundButton } from "@/features/refunds/components/refund-button";
import type { Order, Payment } from "@/lib/api-types";
import { useAuth } from "@/lib/auth/auth-context";

type Awaiting = (order: Order) => boolean;

interface OrderPaymentActionsProps {
  order: Order;
  payment: Payment;
  /** Re-reads the page until the order shows what the action changed. */
  refresh: (until: Awaiting) => void;
}

/** The buttons on one payment row, each for those allowed to use it. */
export function OrderPaymentActions({ order, payment, refresh }: OrderPaymentActionsProps) {
  const { can } = useAuth();
  return (
    <Group gap="xs" wrap="nowrap" justify="flex-end">
      {can("payments:capture") ? (
        <CapturePaymentButton
          payment={payment}
          onCaptured={(captured) => {
            // A capture whose answer is still pending at Stripe took nothing yet: wait for any rise.
            const target = order.amount_paid_minor + Math.max(captured.amount_captured_minor, 1);
            refresh((next) => next.amount_paid_minor >= target);
          }}
        />
      ) : null}
      {can("payments:write") ? (
        <CancelPaymentButton payment={payment} onCanceled={() => refresh((next) => next.version > order.version)} />
      ) : null}
      {can("refunds:write") ? (
        <RefundButton
          payment={payment}
          onRefunded={(refund) => {
            const target = order.amount_refunded_minor + refund.amount_minor;
            refresh((next) => next.amount_refunded_minor >= target);
          }}
        />
      ) : null}
    </Group>
  );
}
