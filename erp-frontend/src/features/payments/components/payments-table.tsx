import { Anchor, Table, Text, VisuallyHidden } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Money } from "@/components/money";
import { StatusBadge } from "@/components/status-badge";
import type { Payment } from "@/lib/api-types";
import { formatDateTime } from "@/lib/format";
import { CardLabel } from "./card-label";
import { PaymentStatusNote } from "./payment-status-note";

interface PaymentsTableProps {
  payments: Payment[];
  /** Show the order column (the list across orders). */
  showOrder?: boolean;
  /** Extra cell per row, e.g. a refund button the page adds. */
  actions?: (payment: Payment) => ReactNode;
}

export function PaymentsTable({ payments, showOrder = false, actions }: PaymentsTableProps) {
  return (
    <Table.ScrollContainer type="native" minWidth={showOrder ? 960 : 820}>
      <Table aria-label="Payments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            {showOrder ? <Table.Th>Order</Table.Th> : null}
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Card</Table.Th>
            <Table.Th>Failure reason</Table.Th>
            <Table.Th ta="right">Refunded</Table.Th>
            {actions ? <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {payments.map((payment) => (
            <Table.Tr key={payment.id} data-payment-id={payment.id}>
              <Table.Td><Text size="sm" style={{ whiteSpace: "nowrap" }}>{formatDateTime(payment.created_at)}</Text></Table.Td>
              {showOrder ? (
                <Table.Td>
                  <Anchor component={Link} to={`/orders/${payment.order_id}`} size="sm" fw={600}>
                    {payment.order_number}
                  </Anchor>
                </Table.Td>
              ) : null}
              <Table.Td ta="right"><Money minor={payment.amount_minor} currency={payment.currency} fw={600} /></Table.Td>
              <Table.Td>
                <StatusBadge status={payment.status} />
                <PaymentStatusNote payment={payment} />
              </Table.Td>
              <Table.Td><CardLabel card={payment.card} /></Table.Td>
              <Table.Td maw={260}>
                <Text size="sm" c={payment.failure ? "red.7" : "dimmed"} lineClamp={2} title={payment.failure?.message ?? undefined}>
                  {payment.failure?.message ?? "–"}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                {payment.amount_refunded_minor > 0 ? <Money minor={payment.amount_refunded_minor} currency={payment.currency} /> : <Text size="sm" c="dimmed">–</Text>}
              </Table.Td>
              {actions ? <Table.Td ta="right">{actions(payment)}</Table.Td> : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
