import { Alert, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useRef, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/lib/api-error";
import type { Payment } from "@/lib/api-types";
import { formatDayAndTime } from "@/lib/format";
import { formatMinor, minorToDecimalString, parseAmount } from "@/lib/money";
import { randomId } from "@/lib/random-id";
import { useCapturePayment } from "../api/capture-payment";

interface CapturePaymentDialogProps {
  payment: Payment;
  onClose: () => void;
  onCaptured: (payment: Payment) => void;
}

export function CapturePaymentDialog({ payment, onClose, onCaptured }: CapturePaymentDialogProps) {
  const { currency, amount_authorized_minor: authorizedMinor } = payment;
  const [amount, setAmount] = useState(() => minorToDecimalString(authorizedMinor, currency));
  const [problem, setProblem] = useState<string | null>(null);
  const capture = useCapturePayment(payment.id);
  // Submitting the same capture again (after a lost answer) reuses its key: never taken twice.
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const parsed = parseAmount(amount, currency);
  const released = parsed.ok && parsed.minor <= authorizedMinor ? authorizedMinor - parsed.minor : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!parsed.ok) return setProblem(parsed.error);
    if (parsed.minor <= 0) return setProblem("The amount must be more than zero");
    if (parsed.minor > authorizedMinor) return setProblem(`At most the ${formatMinor(authorizedMinor, currency)} authorized can be captured`);
    setProblem(null);
    const body = { amount: amount.trim() };
    const serialized = JSON.stringify(body);
    if (attempt.current?.body !== serialized) attempt.current = { body: serialized, key: randomId() };
    capture.mutate({ body, idempotencyKey: attempt.current.key }, { onSuccess: (captured) => onCaptured(captured) });
  }

  const apiError = capture.error;
  const fieldErrors = apiError instanceof ApiError ? apiError.fieldErrors() : {};
  return (
    <Modal opened onClose={() => !capture.isPending && onClose()} title={<Text fw={700}>Capture payment</Text>} centered size="md">
      <form onSubmit={submit} noValidate aria-label="Capture">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            <Text span fw={600} c="bright">{formatMinor(authorizedMinor, currency)}</Text> is authorized on the card
            {payment.authorization_expires_at ? ` until ${formatDayAndTime(payment.authorization_expires_at)}` : ""}. Capture
            charges it; a smaller amount charges that and releases the rest.
          </Text>
          <TextInput
            label="Amount to capture"
            inputMode="decimal"
            required
            data-autofocus
            value={amount}
            error={problem ?? fieldErrors.amount}
            rightSection={<Text size="xs" c="dimmed">{currency.toUpperCase()}</Text>}
            onChange={(event) => {
              setAmount(event.currentTarget.value);
              setProblem(null);
            }}
          />
          <Text size="sm" aria-live="polite" data-testid="capture-released">
            Released from the card:{" "}
            <Text span fw={600}>{released === null ? "–" : formatMinor(released, currency)}</Text>
          </Text>
          {apiError ? <Alert color="red" variant="light" role="alert" title="The payment was not captured">{errorMessage(apiError)}</Alert> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={capture.isPending}>Cancel</Button>
            <Button type="submit" color="teal" loading={capture.isPending}>Capture</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
