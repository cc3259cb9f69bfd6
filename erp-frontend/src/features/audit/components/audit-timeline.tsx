import { Badge, Group, Text, Timeline } from "@mantine/core";
import { EmptyState, ErrorState, LoadingState } from "@/components/query-states";
import type { AuditEntry } from "@/lib/api-types";
import { formatDateTime, humanize } from "@/lib/format";
import { formatMinor } from "@/lib/money";
import { useAuditTrail } from "../api/get-audit";

const ACTOR_COLORS: Record<AuditEntry["actor"]["type"], string> = {
  user: "blue",
  service: "teal",
  stripe: "violet",
  system: "gray",
  link: "orange",
};

function changeSummary(entry: AuditEntry, currency: string): string | null {
  const after = entry.after ?? {};
  const parts: string[] = [];
  for (const key of ["status", "payment_status"]) {
    const value = after[key];
    if (typeof value === "string") parts.push(`${humanize(key)} → ${humanize(value)}`);
  }
  if (typeof after.amount_minor === "number") parts.push(`Amount ${formatMinor(after.amount_minor, currency)}`);
  return parts.length ? parts.join(", ") : null;
}

/** Who did what to the order and its payments and refunds, oldest first. */
export function AuditTimeline({ orderId, currency, refreshKey }: { orderId: string; currency: string; refreshKey?: unknown }) {
  const audit = useAuditTrail(orderId, refreshKey);
  if (audit.isPending) return <LoadingState label="Loading the history…" />;
  if (audit.isError) return <ErrorState error={audit.error} onRetry={() => void audit.refetch()} title="The history could not be loaded" />;
  if (audit.data.length === 0) return <EmptyState title="No history yet">Payments and refunds on this order will appear here.</EmptyState>;
  return (
    <Timeline active={audit.data.length - 1} bulletSize={14} lineWidth={2} aria-label="Order history">
      {audit.data.map((entry) => {
        const summary = changeSummary(entry, currency);
        return (
          <Timeline.Item
            key={entry.id}
            title={
              <Group gap="xs" wrap="wrap">
                <Text fw={600} size="sm">{humanize(entry.action)}</Text>
                <Badge size="xs" variant="light" color={ACTOR_COLORS[entry.actor.type]}>{entry.actor.id}</Badge>
              </Group>
            }
          >
            {summary ? <Text size="sm">{summary}</Text> : null}
            <Text size="xs" c="dimmed">
              {formatDateTime(entry.at)} · {humanize(entry.entity_type)} {entry.entity_id}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
