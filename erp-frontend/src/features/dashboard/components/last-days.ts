import { isoDay } from "@/lib/format";
import type { StatsRange } from "../api/get-payment-stats";

/** The last `days` UTC days, today included. */
export function lastDays(days: number, today = new Date()): StatsRange {
  const from = new Date(today.getTime() - (days - 1) * 86_400_000);
  return { from: isoDay(from), to: isoDay(today) };
}
