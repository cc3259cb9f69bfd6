import { api } from "@/lib/api-client";
import { dayBounds } from "./get-payments";
import { PAYMENTS_PATH, type PaymentFilters } from "./payment-keys";

/** The server's CSV of every payment matching the filters: one consistent read, each payment
 * once, even while payments are being made (paging the list here could repeat or drop rows). */
export function exportPaymentsCsv(filters: Omit<PaymentFilters, "page" | "page_size">): Promise<string> {
  return api.getText(`${PAYMENTS_PATH}/export.csv`, dayBounds(filters));
}
