import { Group, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { Money } from "@/components/money";
import type { Order } from "@/lib/api-types";

function Figure({ label, minor, currency, strong }: { label: string; minor: number; currency: string; strong?: boolean }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Money minor={minor} currency={currency} size="lg" fw={strong ? 700 : 500} aria-label={label} />
    </Stack>
  );
}

export function OrderSummary({ order }: { order: Order }) {
  // Held on a card, not charged yet: shown only while an order has such a payment.
  const authorized = order.amount_authorized_minor > 0;
  return (
    <Paper withBorder p="md" radius="md">
      <SimpleGrid cols={{ base: 2, sm: authorized ? 5 : 4 }} spacing="md">
        <Figure label="Total" minor={order.total_minor} currency={order.currency} />
        {authorized ? <Figure label="Authorized" minor={order.amount_authorized_minor} currency={order.currency} /> : null}
        <Figure label="Paid" minor={order.amount_paid_minor} currency={order.currency} />
        <Figure label="Refunded" minor={order.amount_refunded_minor} currency={order.currency} />
        <Figure label="Outstanding" minor={order.outstanding_minor} currency={order.currency} strong />
      </SimpleGrid>
      <Group gap="lg" mt="md">
        <Text size="sm" c="dimmed">Customer <Text span c="bright" fw={500}>{order.customer_id}</Text></Text>
        <Text size="sm" c="dimmed">Currency <Text span c="bright" fw={500}>{order.currency.toUpperCase()}</Text></Text>
        <Text size="sm" c="dimmed">Created by <Text span c="bright" fw={500}>{order.created_by}</Text></Text>
      </Group>
      {order.notes ? <Text size="sm" mt="xs">{order.notes}</Text> : null}
    </Paper>
  );
}
