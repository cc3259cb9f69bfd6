import { parseAmount } from "@/lib/money";

export interface LineDraft {
  key: string;
  sku: string;
  description: string;
  quantity: number | string;
  unit_price: string;
}

export function lineTotalMinor(line: LineDraft, currency: string): number | null {
  const price = parseAmount(line.unit_price, currency);
  const quantity = Number(line.quantity);
  if (!price.ok || !Number.isInteger(quantity) || quantity <= 0) return null;
  return price.minor * quantity;
}
