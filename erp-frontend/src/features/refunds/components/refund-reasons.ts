import type { RefundReason } from "@/lib/api-types";

// The sales-service's refund reasons; Stripe gets the nearest of its own three.
export const REFUND_REASONS: { value: RefundReason; label: string }[] = [
  { value: "requested_by_customer", label: "Requested by customer" },
  { value: "order_canceled", label: "Order canceled" },
  { value: "product_returned", label: "Product returned" },
  { value: "product_unacceptable", label: "Product unacceptable" },
  { value: "duplicate", label: "Duplicate payment" },
  { value: "fraudulent", label: "Fraudulent" },
  { value: "goodwill", label: "Goodwill gesture" },
  { value: "other", label: "Other" },
];
