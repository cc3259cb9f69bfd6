import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { errorMessage } from "@/lib/api-error";
import type { Payment } from "@/lib/api-types";
import { formatMinor } from "@/lib/money";
import { useCancelPayment } from "../api/cancel-payment";
import { isCancelable } from "./cancelable";

// The same request either way; for an authorized payment it releases money held on the card.
function wording(payment: Payment) {
  if (payment.status === "authorized") {
    const amount = formatMinor(payment.amount_authorized_minor, payment.currency);
    return {
      action: "Release",
      title: "Release authorization",
      question: `Release the ${amount} authorized on the card? The hold on the card is lifted and nothing is charged; the order can take a new payment.`,
      failed: "The authorization was not released",
    };
  }
  const amount = formatMinor(payment.amount_minor, payment.currency);
  return {
    action: "Cancel payment",
    title: "Cancel payment",
    question: `Cancel the unfinished payment of ${amount}? Nothing has been charged; the customer can no longer complete it, and the order can take a new payment.`,
    failed: "The payment was not canceled",
  };
}

export function CancelPaymentButton({ payment, onCanceled }: { payment: Payment; onCanceled: (payment: Payment) => void }) {
  const [open, setOpen] = useState(false);
  const cancel = useCancelPayment();
  if (!isCancelable(payment)) return null;
  const text = wording(payment);
  return (
    <>
      <Button size="xs" variant="light" color="red" onClick={() => setOpen(true)}>{text.action}</Button>
      {open ? (
        <Modal opened centered onClose={() => !cancel.isPending && setOpen(false)} title={<Text fw={700}>{text.title}</Text>}>
          <Stack gap="md">
            <Text size="sm">{text.question}</Text>
            {cancel.error ? <Alert color="red" variant="light" role="alert" title={text.failed}>{errorMessage(cancel.error)}</Alert> : null}
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
                {text.action}
              </Button>
            </Group>
          </Stack>
        </Modal>
      ) : null}
    </>
  );
}
