import { Button, Group, Paper, Text } from "@mantine/core";
import { useState } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/query-states";
import type { Order, PaymentLink } from "@/lib/api-types";
import { usePaymentLinks } from "../api/get-payment-links";
import { CreatePaymentLinkDialog } from "./create-payment-link-dialog";
import { PaymentLinksTable } from "./payment-links-table";

interface PaymentLinksSectionProps {
  order: Order;
  canWrite: boolean;
  /** A link was revoked (its payment may have been canceled): the page reads the order again. */
  onChanged: () => void;
}

/** The order's payment links: make one for the customer, copy it, revoke it. */
export function PaymentLinksSection({ order, canWrite, onChanged }: PaymentLinksSectionProps) {
  const links = usePaymentLinks(order.id, order.version);
  const [creating, setCreating] = useState(false);
  const [urls, setUrls] = useState<Record<string, string>>({});

  function created(link: PaymentLink) {
    const url = link.url;
    if (url) setUrls((known) => ({ ...known, [link.id]: url }));
  }

  let body;
  if (links.isPending) body = <LoadingState label="Loading payment links…" />;
  else if (links.isError) body = <ErrorState error={links.error} onRetry={() => void links.refetch()} title="Payment links could not be loaded" />;
  else if (links.data.length === 0) body = <EmptyState title="No payment links">A link lets the customer pay by card on their own device.</EmptyState>;
  else body = <PaymentLinksTable links={links.data} urls={urls} canRevoke={canWrite} onRevoked={onChanged} />;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Payment links">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Payment links</Text>
        {canWrite && order.outstanding_minor > 0 ? <Button size="xs" variant="light" onClick={() => setCreating(true)}>Create link</Button> : null}
      </Group>
      {body}
      {creating ? <CreatePaymentLinkDialog order={order} onClose={() => setCreating(false)} onCreated={created} /> : null}
    </Paper>
  );
}
