import type { Order } from "@/lib/api-types";

/** What a new payment may still take: the outstanding balance less what cards already hold for it
 * (an authorization counts against the total until it is captured or released). */
export function payableMinor(order: Pick<Order, "outstanding_minor" | "amount_authorized_minor">): number {
  return Math.max(order.outstanding_minor - order.amount_authorized_minor, 0);
}
