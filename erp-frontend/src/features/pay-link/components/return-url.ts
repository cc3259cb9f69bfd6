// Where Stripe sends the customer back after a payment method that leaves the page (cards stay
// on it). The token stays out of that address, so Stripe never holds it: this tab remembers it.
const KEY = "erp.pay-link.returning";
export const RETURN_PATH = "/pay/return";

export function returnUrlFor(token: string): string {
  window.sessionStorage.setItem(KEY, token);
  return `${window.location.origin}${RETURN_PATH}`;
}

export function returningToken(): string | null {
  return window.sessionStorage.getItem(KEY);
}
