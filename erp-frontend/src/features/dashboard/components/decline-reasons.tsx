import type { PaymentStats } from "@/lib/api-types";
import { humanize } from "@/lib/format";
import { CountBars } from "./count-bars";

export function DeclineReasons({ stats }: { stats: PaymentStats }) {
  const bars = stats.top_decline_reasons.map((reason) => ({ label: humanize(reason.reason), count: reason.count }));
  return <CountBars title="Top decline reasons" bars={bars} color="red" empty="No declines in this period" />;
}
