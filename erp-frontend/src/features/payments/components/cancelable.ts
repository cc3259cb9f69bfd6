import type { Payment } from "@/lib/api-types";

// An unfinished payment with an intent holds the order's one open payment (a new amount gets
// 409 open_payment_exists) until it is paid or canceled. An authorized one holds money on the
// card: canceling it releases the hold.
const CANCELABLE = new Set<Payment["status"]>(["pending", "requires_action", "failed", "authorized"]);

export function isCancelable(payment: Payment): boolean {
  return CANCELABLE.has(payment.status) && Boolean(payment.payment_intent_id);
}
