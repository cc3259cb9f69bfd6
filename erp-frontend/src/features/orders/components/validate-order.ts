import type { OrderCreate } from "@/lib/api-types";
import { parseAmount } from "@/lib/money";

/** The checks a user should hear about before a round trip; the API checks everything again. */
export function validateOrder(body: OrderCreate): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!body.customer_id) errors.customer_id = "Enter the customer";
  else if (body.customer_id.length > 64) errors.customer_id = "At most 64 characters";
  body.lines.forEach((line, index) => {
    if (!line.sku) errors[`lines.${index}.sku`] = "Enter a SKU";
    if (!line.description) errors[`lines.${index}.description`] = "Enter a description";
    if (!Number.isInteger(line.quantity) || line.quantity < 1) errors[`lines.${index}.quantity`] = "A whole number, at least 1";
    const price = parseAmount(String(line.unit_price), body.currency);
    if (!price.ok) errors[`lines.${index}.unit_price`] = price.error;
  });
  return errors;
}
