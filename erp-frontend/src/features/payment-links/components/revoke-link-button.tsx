import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { errorMessage } from "@/lib/api-error";
import type { PaymentLink } from "@/lib/api-types";
import { formatMinor } from "@/lib/money";
import { useRevokePaymentLink } from "../api/revoke-payment-link";

export function RevokeLinkButton({ link, onRevoked }: { link: PaymentLink; onRevoked: (link: PaymentLink) => void }) {
  const [open, setOpen] = useState(false);
  const revoke = useRevokePaymentLink();
  const underWay = link.payment_status !== null && link.payment_status !== "canceled";
  return (
    <>
      <Button size="xs" variant="light" color="red" onClick={() => setOpen(true)}>Revoke</Button>
      {open ? (
        <Modal opened centered onClose={() => !revoke.isPending && setOpen(false)} title={<Text fw={700}>Revoke payment link</Text>}>
          <Stack gap="md">
            <Text size="sm">
              Revoke the link for {formatMinor(link.amount_minor, link.currency)}? The customer can no longer open or pay it.
              {underWay ? " The payment the customer started through it is canceled." : ""}
            </Text>
            {revoke.error ? <Alert color="red" variant="light" role="alert" title="The link was not revoked">{errorMessage(revoke.error)}</Alert> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)} disabled={revoke.isPending}>Keep it</Button>
              <Button
                color="red"
                loading={revoke.isPending}
                onClick={() =>
                  revoke.mutate(
                    { orderId: link.order_id, linkId: link.id },
                    {
                      onSuccess: (revoked) => {
                        setOpen(false);
                        onRevoked(revoked);
                      },
                    },
                  )
                }
              >
                Revoke link
              </Button>
            </Group>
          </Stack>
        </Modal>
      ) : null}
    </>
  );
}
