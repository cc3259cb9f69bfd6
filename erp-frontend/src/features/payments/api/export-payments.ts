import type { Payment } from "@/lib/api-types";
import { toCsv } from "@/lib/csv";
import { minorToDecimalString } from "@/lib/money";
import { getPayments } from "./get-payments";
import type { PaymentFilters } from "./payment-keys";

const PAGE_SIZE = 100;
const MAX_PAGES = 200;

/** Every payment matching the filters (all pages), for export. */
export async function getAllPayments(filters: Omit<PaymentFilters, "page" | "page_size">): Promise<Payment[]> {
  const payments: Payment[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const result = await getPayments({ ...filters, page, page_size: PAGE_SIZE });
    payments.push(...result.items);
    if (payments.length >= result.total || result.items.length === 0) break;
  }
  return payments;
}

export function paymentsCsv(payments: Payment[]): string {
  const header = [
    "payment_id", "order_number", "order_id", "created_at", "status", "currency", "amount", "amount_refunded",
    "card_brand", "card_last4", "failure_code", "decline_code", "failure_message", "payment_intent_id",
  ];
  const rows = payments.map((p) => [
    p.id, p.order_number, p.order_id, p.created_at, p.status, p.currency.toUpperCase(),
    minorToDecimalString(p.amount_minor, p.currency), minorToDecimalString(p.amount_refunded_minor, p.currency),
    p.card?.brand, p.card?.last4, p.failure?.code, p.failure?.decline_code, p.failure?.message, p.payment_intent_id,
  ]);
  return toCsv(header, rows);
}
