import { Paper, SimpleGrid, Text } from "@mantine/core";
import type { AuthorizationFigures, PaymentStats } from "@/lib/api-types";
import { formatRate } from "@/lib/format";
import { formatMinor } from "@/lib/money";

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function StatCard({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <Paper withBorder p="md" radius="md" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>{label}</Text>
      <Text fz={28} fw={700} mt={4} style={{ fontVariantNumeric: "tabular-nums" }}>{value}</Text>
      <Text size="sm" c="dimmed">{detail}</Text>
    </Paper>
  );
}

// Now, whatever the period: money held on cards that someone still has to capture or release.
function heldOnCards({ held, expiring_within_24h: expiring }: AuthorizationFigures) {
  if (held.length === 0) return { value: "–", detail: "No card holds an authorization now" };
  const total = held.reduce((sum, entry) => sum + entry.count, 0);
  return {
    value: held.map((entry) => formatMinor(entry.amount_minor, entry.currency)).join(" · "),
    detail: `${count(total, "authorization", "authorizations")} held now, ${expiring} expiring within 24 h`,
  };
}

export function StatCards({ stats }: { stats: PaymentStats }) {
  const { payments, three_d_secure: threeDs, refunds } = stats;
  const authorized = heldOnCards(stats.authorizations);
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md">
      <StatCard label="Payment success rate" value={formatRate(payments.success_rate)} detail={`${payments.completed} of ${count(payments.attempted, "attempted payment", "attempted payments")} completed`} />
      <StatCard label="Refund rate" value={formatRate(refunds.refund_rate)} detail={`${count(refunds.refunded_payments, "payment", "payments")} refunded (${count(refunds.count, "refund", "refunds")})`} />
      <StatCard label="3D Secure rate" value={formatRate(threeDs.rate)} detail={`${count(threeDs.required, "payment", "payments")} asked for 3D Secure`} />
      <StatCard label="Authorized, not captured" value={authorized.value} detail={authorized.detail} />
    </SimpleGrid>
  );
}
