import { Badge } from "@mantine/core";
import { humanize } from "@/lib/format";
import type { OrderPaymentStatus, PaymentStatus, RefundStatus } from "@/lib/api-types";

type AnyStatus = OrderPaymentStatus | PaymentStatus | RefundStatus;

const COLORS: Record<AnyStatus, string> = {
  unpaid: "gray",
  processing: "cyan",
  authorized: "teal",
  partially_paid: "yellow",
  paid: "green",
  partially_refunded: "orange",
  refunded: "grape",
  disputed: "red",
  pending: "gray",
  requires_action: "indigo",
  completed: "green",
  failed: "red",
  canceled: "dark",
  succeeded: "green",
};

export function StatusBadge({ status }: { status: AnyStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light" radius="sm" data-status={status}>
      {humanize(status)}
    </Badge>
  );
}
