import { Anchor, Table, Text } from "@mantine/core";
import { Link, useNavigate } from "react-router";
import { Money } from "@/components/money";
import { StatusBadge } from "@/components/status-badge";
import type { Order } from "@/lib/api-types";
import { formatDate } from "@/lib/format";

export function OrdersTable({ orders }: { orders: Order[] }) {
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer type="native" minWidth={760}>
      <Table aria-label="Orders">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Number</Table.Th>
            <Table.Th>Customer</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th ta="right">Total</Table.Th>
            <Table.Th ta="right">Paid</Table.Th>
            <Table.Th ta="right">Outstanding</Table.Th>
            <Table.Th>Payment status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.map((order) => (
            <Table.Tr
              key={order.id}
              style={{ cursor: "pointer" }}
              onClick={() => void navigate(`/orders/${order.id}`)}
              data-order-number={order.number}
            >
              <Table.Td>
                <Anchor component={Link} to={`/orders/${order.id}`} fw={600} onClick={(event) => event.stopPropagation()}>
                  {order.number}
                </Anchor>
              </Table.Td>
              <Table.Td><Text size="sm">{order.customer_id}</Text></Table.Td>
              <Table.Td><Text size="sm" c="dimmed">{formatDate(order.created_at)}</Text></Table.Td>
              <Table.Td ta="right"><Money minor={order.total_minor} currency={order.currency} /></Table.Td>
              <Table.Td ta="right"><Money minor={order.amount_paid_minor} currency={order.currency} /></Table.Td>
              <Table.Td ta="right">
                <Money minor={order.outstanding_minor} currency={order.currency} fw={order.outstanding_minor > 0 ? 600 : 400} />
              </Table.Td>
              <Table.Td><StatusBadge status={order.payment_status} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
