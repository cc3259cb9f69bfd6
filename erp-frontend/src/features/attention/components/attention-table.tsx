import { Anchor, Badge, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { Money } from "@/components/money";
import type { AttentionItem } from "@/lib/api-types";
import { formatDateTime, humanize } from "@/lib/format";

// What each kind asks of the person reading it (docs/operations.md says more).
const KINDS: Record<AttentionItem["kind"], { label: string; color: string; todo: string }> = {
  event_rejected: { label: "Event rejected", color: "red", todo: "Check the Stripe account and the event; nothing was applied" },
  succeeded_after_cancel: { label: "Paid after cancel", color: "orange", todo: "Refund or keep: Stripe took money on a canceled payment" },
  amount_changed_at_stripe: { label: "Amount changed at Stripe", color: "orange", todo: "Collect the rest or refund: Stripe took another amount" },
  refund_pending_at_stripe: { label: "Refund pending", color: "yellow", todo: "Ask Stripe why the refund has not settled" },
  dispute_open: { label: "Dispute open", color: "grape", todo: "Answer the dispute in Stripe before its deadline" },
  authorization_expiring: { label: "Authorization expiring", color: "teal", todo: "Capture or release before it expires" },
};

export function AttentionTable({ items }: { items: AttentionItem[] }) {
  return (
    <Table.ScrollContainer type="native" minWidth={900}>
      <Table aria-label="Needs attention">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>What happened</Table.Th>
            <Table.Th>Order</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>What to do</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => {
            const kind = KINDS[item.kind];
            return (
              <Table.Tr key={item.id} data-attention-id={item.id} data-kind={item.kind}>
                <Table.Td><Text size="sm" style={{ whiteSpace: "nowrap" }}>{formatDateTime(item.at)}</Text></Table.Td>
                <Table.Td><Badge color={kind.color} variant="light" radius="sm">{kind.label}</Badge></Table.Td>
                <Table.Td maw={340}>
                  <Text size="sm" lineClamp={2} title={item.summary}>{item.summary}</Text>
                  {item.reason && item.kind === "event_rejected" ? <Text size="xs" c="dimmed">{humanize(item.reason)}{item.event_id ? ` · ${item.event_id}` : ""}</Text> : null}
                </Table.Td>
                <Table.Td>
                  {item.order_id ? <Anchor component={Link} to={`/orders/${item.order_id}`} size="sm" fw={600}>Open order</Anchor> : <Text size="sm" c="dimmed">–</Text>}
                </Table.Td>
                <Table.Td ta="right">
                  {item.amount_minor != null && item.currency ? <Money minor={item.amount_minor} currency={item.currency} /> : <Text size="sm" c="dimmed">–</Text>}
                </Table.Td>
                <Table.Td maw={260}><Text size="sm" c="dimmed">{kind.todo}</Text></Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
