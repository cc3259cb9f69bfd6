// The sales-service's JSON shapes, generated from docs/openapi.json into api-schema.d.ts
// (`npm run generate:api-types`); these names are what the rest of the app imports.
// Amounts come twice: major units as a JSON number (display) and minor units (arithmetic).
import type { components } from "./api-schema";

type Schemas = components["schemas"];

export type ErrorDetail = Schemas["ErrorDetail"];
export type ErrorBody = Schemas["ErrorResponse"];
export type DevTokenResponse = Schemas["DevTokenResponse"];
export type Role = DevTokenResponse["roles"][number];

export type Order = Schemas["OrderRead"];
export type OrderLine = Schemas["OrderLineRead"];
export type OrderPaymentStatus = Order["payment_status"];
export type OrderCreate = Schemas["OrderCreate"];
export type OrderLineCreate = Schemas["OrderLineCreate"];

export type StripeConfig = Schemas["StripeConfig"];
export type CreateIntentRequest = Schemas["CreateIntentRequest"];
export type CreatedIntent = Schemas["IntentCreated"];
export type CaptureMethod = Schemas["CaptureMethod"];
export type CaptureRequest = Schemas["CaptureRequest"];
export type Payment = Schemas["PaymentRead"];
export type PaymentStatus = Payment["status"];

export type Refund = Schemas["RefundRead"];
export type RefundStatus = Refund["status"];
export type RefundReason = Refund["reason_code"];
export type RefundCreate = Schemas["RefundCreate"];

export type AuditEntry = Schemas["AuditEntry"];
export type AttentionItem = Schemas["AttentionItem"];
export type Readiness = Schemas["Readiness"];
export type PaymentStats = Schemas["PaymentStats"];
export type CurrencyAmount = Schemas["CurrencyAmount"];
export type AuthorizationFigures = Schemas["AuthorizationFigures"];

export type PaymentLink = Schemas["PaymentLinkRead"];
export type PaymentLinkState = PaymentLink["status"];
export type CreatePaymentLinkRequest = Schemas["CreatePaymentLinkRequest"];
export type PayLinkView = Schemas["PayLinkView"];
export type PayIntent = Schemas["PayIntent"];

/** Every list endpoint's page (a generic model, so not named in the document). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}
