import type { PaymentStats } from "@/lib/api-types";
import { humanize } from "@/lib/format";
import { CountBars } from "./count-bars";

/** Refunds per reason code; a free-text reason without a code counts under "Other". */
export function RefundReasons({ stats }: { stats: PaymentStats }) {
  const bars = stats.refunds.by_reason.map((reason) => ({ label: humanize(reason.reason_code), count: reason.count }));
  return <CountBars title="Refunds by reason" bars={bars} color="orange" empty="No refunds in this period" />;
}
