import { Group, Table, Text, VisuallyHidden } from "@mantine/core";
import { Money } from "@/components/money";
import { StatusBadge } from "@/components/status-badge";
import type { PaymentLink } from "@/lib/api-types";
import { formatDateTime, humanize } from "@/lib/format";
import { CopyLinkButton } from "./copy-link-button";
import { LinkStatusBadge } from "./link-status-badge";
import { RevokeLinkButton } from "./revoke-link-button";

interface PaymentLinksTableProps {
  links: PaymentLink[];
  /** Addresses made in this session: the service keeps only a hash, so only these can be copied. */
  urls: Record<string, string>;
  canRevoke: boolean;
  onRevoked: (link: PaymentLink) => void;
}

function emailLabel(link: PaymentLink): string {
  if (!link.email) return "–";
  if (!link.email_status) return `${link.email} (not sent)`;
  return `${link.email} (${humanize(link.email_status).toLowerCase()})`;
}

export function PaymentLinksTable({ links, urls, canRevoke, onRevoked }: PaymentLinksTableProps) {
  return (
    <Table.ScrollContainer type="native" minWidth={820}>
      <Table aria-label="Payment links">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Created</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Payment</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {links.map((link) => {
            const url = urls[link.id];
            return (
              <Table.Tr key={link.id} data-link-id={link.id}>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: "nowrap" }}>{formatDateTime(link.created_at)}</Text>
                  <Text size="xs" c="dimmed">{link.created_by}</Text>
                </Table.Td>
                <Table.Td ta="right"><Money minor={link.amount_minor} currency={link.currency} fw={600} /></Table.Td>
                <Table.Td><LinkStatusBadge status={link.status} /></Table.Td>
                <Table.Td>{link.payment_status ? <StatusBadge status={link.payment_status} /> : <Text size="sm" c="dimmed">–</Text>}</Table.Td>
                <Table.Td><Text size="sm" style={{ whiteSpace: "nowrap" }}>{formatDateTime(link.expires_at)}</Text></Table.Td>
                <Table.Td maw={220}><Text size="sm" lineClamp={1} title={link.email ?? undefined}>{emailLabel(link)}</Text></Table.Td>
                <Table.Td ta="right">
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    {url && link.status === "active" ? <CopyLinkButton url={url} /> : null}
                    {canRevoke && link.status === "active" ? <RevokeLinkButton link={link} onRevoked={onRevoked} /> : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
