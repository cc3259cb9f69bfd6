import { Text } from "@mantine/core";
import type { Payment } from "@/lib/api-types";
import { formatDayAndTime } from "@/lib/format";
import { formatMinor } from "@/lib/money";

// Stripe's reason for canceling an authorization nobody captured in time (`automatic` before
// its 2025-03-31 API version).
const EXPIRED_REASONS = new Set(["expired", "automatic"]);

function noteFor(payment: Payment): string | null {
  const { currency } = payment;
  if (payment.status === "authorized") {
    if (payment.capture_pending) return "capture under way";
    return payment.authorization_expires_at ? `expires ${formatDayAndTime(payment.authorization_expires_at)}` : null;
  }
  if (payment.status === "completed" && payment.amount_captured_minor < payment.amount_minor) {
    return `${formatMinor(payment.amount_captured_minor, currency)} captured of ${formatMinor(payment.amount_minor, currency)}`;
  }
  if (payment.status === "canceled" && EXPIRED_REASONS.has(payment.cancellation_reason ?? "")) {
    return "authorization expired";
  }
  return null;
}

/** The line under a payment's status that a manual capture needs: when the hold lapses, what was taken. */
export function PaymentStatusNote({ payment }: { payment: Payment }) {
  const note = noteFor(payment);
  if (!note) return null;
  return <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>{note}</Text>;
}
