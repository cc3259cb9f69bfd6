import type { Order, Payment, PaymentStats } from "@/lib/api-types";

function base64Url(value: object): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** An unsigned-looking JWT with the claims the UI reads (the API is stubbed in these tests). */
export function fakeToken(roles: string[], options: { sub?: string; expiresIn?: number } = {}): string {
  const exp = Math.floor(Date.now() / 1000) + (options.expiresIn ?? 3600);
  return `${base64Url({ alg: "HS256", typ: "JWT" })}.${base64Url({ sub: options.sub ?? `demo-${roles[0] ?? "user"}`, roles, exp })}.signature`;
}

export function signInAs(roles: string[], options: { expiresIn?: number } = {}): string {
  const token = fakeToken(roles, options);
  window.sessionStorage.setItem("erp.session", JSON.stringify({ token }));
  return token;
}

export function makeOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: "ord_0d718364563349368ae7240aadcc0893",
    number: "ORD-2026-000123",
    customer_id: "cus_42",
    currency: "usd",
    lines: [
      { sku: "CHAIR-01", description: "Office chair", quantity: 2, unit_price: 149.99, unit_price_minor: 14999, total: 299.98, total_minor: 29998 },
    ],
    notes: null,
    total: 299.98,
    total_minor: 29998,
    amount_paid: 0,
    amount_paid_minor: 0,
    amount_refunded: 0,
    amount_refunded_minor: 0,
    amount_authorized: 0,
    amount_authorized_minor: 0,
    outstanding: 299.98,
    outstanding_minor: 29998,
    payment_status: "unpaid",
    version: 0,
    created_by: "demo-sales",
    created_at: "2026-03-14T09:26:53.589000Z",
    updated_at: "2026-03-14T09:26:53.589000Z",
    ...overrides,
  };
}

export function makePayment(overrides: Partial<Payment> = {}): Payment {
  return {
    id: "pay_1",
    order_id: "ord_0d718364563349368ae7240aadcc0893",
    order_number: "ORD-2026-000123",
    payment_intent_id: "pi_1",
    amount: 299.98,
    amount_minor: 29998,
    currency: "usd",
    status: "completed",
    capture: "automatic",
    amount_authorized: 0,
    amount_authorized_minor: 0,
    authorization_expires_at: null,
    amount_captured: 299.98,
    amount_captured_minor: 29998,
    capture_pending: false,
    cancellation_reason: null,
    card: { brand: "visa", last4: "4242" },
    failure: null,
    amount_refunded: 0,
    amount_refunded_minor: 0,
    refundable: 299.98,
    refundable_minor: 29998,
    refunds: [],
    disputes: [],
    stripe_error: null,
    created_by: "demo-sales",
    created_at: "2026-03-14T09:30:00.000000Z",
    updated_at: "2026-03-14T09:30:00.000000Z",
    ...overrides,
  };
}

export function makeStats(overrides: Partial<PaymentStats> = {}): PaymentStats {
  return {
    from: "2026-03-01",
    to: "2026-03-30",
    payments: { attempted: 10, completed: 8, failed: 2, success_rate: 0.8 },
    three_d_secure: { required: 3, rate: 0.3 },
    refunds: {
      count: 2,
      refunded_payments: 1,
      refund_rate: 0.125,
      by_currency: [{ currency: "usd", amount: 25, amount_minor: 2500, count: 2 }],
      by_reason: [{ reason_code: "product_returned", count: 2 }],
    },
    volume_by_day: [
      { date: "2026-03-14", currency: "usd", amount: 199.98, amount_minor: 19998, payments: 2 },
      { date: "2026-03-15", currency: "usd", amount: 50, amount_minor: 5000, payments: 1 },
    ],
    top_decline_reasons: [
      { reason: "generic_decline", count: 2 },
      { reason: "insufficient_funds", count: 1 },
    ],
    authorizations: { held: [], expiring_within_24h: 0 },
    ...overrides,
  };
}
