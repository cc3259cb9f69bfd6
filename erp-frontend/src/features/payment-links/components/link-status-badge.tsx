import { Badge } from "@mantine/core";
import type { PaymentLinkState } from "@/lib/api-types";
import { humanize } from "@/lib/format";

const COLORS: Record<PaymentLinkState, string> = { active: "blue", paid: "green", expired: "gray", revoked: "dark" };

export function LinkStatusBadge({ status }: { status: PaymentLinkState }) {
  return (
    <Badge color={COLORS[status]} variant="light" radius="sm" data-link-status={status}>
      {humanize(status)}
    </Badge>
  );
}
