import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { errorMessage } from "@/lib/api-error";
import type { Payment } from "@/lib/api-types";
import { formatMinor } from "@/lib/money";
import { useCancelPayment } from "../api/cancel-payment";
import { isCancelable } from "./cancelable";

export function CancelPaymentButton({ payment, onCanceled }: { payment: Payment; onCanceled: (payment: Payment) => void }) {
  const [open, setOpen] = useState(false);
  const cancel = useCancelPayment();
  if (!isCancelable(payment)) return null;
  const amount = formatMinor(payment.amount_minor, payment.currency);
  return (
    <>
      <Button size="xs" variant="light" color="red" onClick={() => setOpen(true)}>Cancel payment</Button>
      {open ? (
        <Modal opened centered onClose={() => !cancel.isPending && setOpen(false)} title={<Text fw={700}>Cancel payment</Text>}>
          <Stack gap="md">
            <Text size="sm">
              Cancel the unfinished payment of {amount}? Nothing has been charged; the customer can no longer complete it, and
              the order can take a new payment.
            </Text>
            {cancel.error ? <Alert color="red" variant="light" role="alert" title="The payment was not canceled">{errorMessage(cancel.error)}</Alert> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)} disabled={cancel.isPending}>Keep it</Button>
              <Button
                color="red"
                loading={cancel.isPending}
                onClick={() =>
                  cancel.mutate(payment.id, {
                    onSuccess: (canceled) => {
                      setOpen(false);
                      onCanceled(canceled);
                    },
                  })
                }
              >
                Cancel payment
              </Button>
            </Group>
          </Stack>
        </Modal>
      ) : null}
    </>
  );
}
