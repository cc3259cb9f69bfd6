import { Divider, Group, Stack, Table, Text, Title } from "@mantine/core";
import { Money } from "@/components/money";
import type { PayLinkView } from "@/lib/api-types";
import { formatDateTime } from "@/lib/format";

/** What the customer is asked to pay, and for what. */
export function PayLinkSummary({ view }: { view: PayLinkView }) {
  const deposit = view.amount_minor !== view.order_total_minor;
  return (
    <Stack gap="sm">
      <Stack gap={2}>
        <Text size="sm" c="dimmed">Order {view.order_number}</Text>
        <Title order={2} aria-label="Amount to pay">
          <Money minor={view.amount_minor} currency={view.currency} inherit />
        </Title>
        {deposit ? (
          <Text size="sm" c="dimmed">Part of the order total of <Money minor={view.order_total_minor} currency={view.currency} /></Text>
        ) : null}
      </Stack>
      <Table aria-label="Order lines" verticalSpacing={4}>
        <Table.Tbody>
          {view.lines.map((line, index) => (
            <Table.Tr key={index}>
              <Table.Td><Text size="sm">{line.quantity} × {line.description}</Text></Table.Td>
              <Table.Td ta="right"><Money minor={line.total_minor} currency={view.currency} size="sm" /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Divider />
      <Group justify="space-between">
        <Text size="sm" fw={600}>Order total</Text>
        <Money minor={view.order_total_minor} currency={view.currency} size="sm" fw={600} />
      </Group>
      {view.state === "active" ? <Text size="xs" c="dimmed">This link works until {formatDateTime(view.expires_at)}.</Text> : null}
    </Stack>
  );
}
