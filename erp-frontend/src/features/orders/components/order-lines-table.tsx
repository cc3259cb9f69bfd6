import { Table } from "@mantine/core";
import { Money } from "@/components/money";
import type { Order } from "@/lib/api-types";

export function OrderLinesTable({ order }: { order: Order }) {
  return (
    <Table.ScrollContainer type="native" minWidth={560}>
      <Table aria-label="Order lines" highlightOnHover={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>SKU</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th ta="right">Quantity</Table.Th>
            <Table.Th ta="right">Unit price</Table.Th>
            <Table.Th ta="right">Line total</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {order.lines.map((line, index) => (
            <Table.Tr key={`${line.sku}-${index}`}>
              <Table.Td ff="monospace">{line.sku}</Table.Td>
              <Table.Td>{line.description}</Table.Td>
              <Table.Td ta="right">{line.quantity}</Table.Td>
              <Table.Td ta="right"><Money minor={line.unit_price_minor} currency={order.currency} /></Table.Td>
              <Table.Td ta="right"><Money minor={line.total_minor} currency={order.currency} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th colSpan={4} ta="right">Total</Table.Th>
            <Table.Th ta="right"><Money minor={order.total_minor} currency={order.currency} /></Table.Th>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}
