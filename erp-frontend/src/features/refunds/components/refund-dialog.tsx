import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useRef, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/lib/api-error";
import type { Payment, Refund, RefundReason } from "@/lib/api-types";
import { formatMinor, minorToDecimalString, parseAmount } from "@/lib/money";
import { randomId } from "@/lib/random-id";
import { useCreateRefund } from "../api/create-refund";
import { REFUND_REASONS } from "./refund-reasons";

interface RefundDialogProps {
  payment: Payment;
  refundableMinor: number;
  onClose: () => void;
  onRefunded: (refund: Refund) => void;
}

export function RefundDialog({ payment, refundableMinor, onClose, onRefunded }: RefundDialogProps) {
  const { currency } = payment;
  const [amount, setAmount] = useState(() => minorToDecimalString(refundableMinor, currency));
  const [reasonCode, setReasonCode] = useState<RefundReason>("requested_by_customer");
  const [reasonText, setReasonText] = useState("");
  const [notes, setNotes] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const refund = useCreateRefund(payment.id);
  // Submitting the same refund again (after a lost answer) reuses its key: never refunded twice.
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const parsed = parseAmount(amount, currency);
  const remainder = parsed.ok ? refundableMinor - parsed.minor : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!parsed.ok) return setProblem(parsed.error);
    if (parsed.minor <= 0) return setProblem("The amount must be more than zero");
    if (parsed.minor > refundableMinor) return setProblem(`At most ${formatMinor(refundableMinor, currency)} can be refunded`);
    setProblem(null);
    const body = {
      amount: amount.trim(),
      reason_code: reasonCode,
      ...(reasonText.trim() ? { reason: reasonText.trim() } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    };
    const serialized = JSON.stringify(body);
    if (attempt.current?.body !== serialized) attempt.current = { body: serialized, key: randomId() };
    refund.mutate({ body, idempotencyKey: attempt.current.key }, { onSuccess: (created) => onRefunded(created) });
  }

  const apiError = refund.error;
  const fieldErrors = apiError instanceof ApiError ? apiError.fieldErrors() : {};
  return (
    <Modal opened onClose={() => !refund.isPending && onClose()} title={<Text fw={700}>Refund payment</Text>} centered size="md">
      <form onSubmit={submit} noValidate aria-label="Refund">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Paid {formatMinor(payment.amount_captured_minor, currency)}; up to{" "}
            <Text span fw={600} c="bright">{formatMinor(refundableMinor, currency)}</Text> can still be refunded.
          </Text>
          <TextInput
            label="Amount to refund"
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
          <Select label="Reason" required allowDeselect={false} data={REFUND_REASONS} value={reasonCode} onChange={(value) => setReasonCode(REFUND_REASONS.find((option) => option.value === value)?.value ?? reasonCode)} error={fieldErrors.reason_code} />
          <TextInput label="Reason in your words" description="Shown with the refund and sent to Stripe" maxLength={500} placeholder="Customer requested refund" value={reasonText} onChange={(e) => setReasonText(e.currentTarget.value)} error={fieldErrors.reason} />
          <Textarea label="Notes" description="Kept with the refund for finance" autosize minRows={2} maxLength={500} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} error={fieldErrors.notes} />
          <Text size="sm" aria-live="polite" data-testid="refund-remainder">
            Refundable after this refund:{" "}
            <Text span fw={600}>{remainder === null || remainder < 0 ? "–" : formatMinor(remainder, currency)}</Text>
          </Text>
          {apiError ? <Alert color="red" variant="light" role="alert" title="The refund was not made">{errorMessage(apiError)}</Alert> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={refund.isPending}>Cancel</Button>
            <Button type="submit" color="orange" loading={refund.isPending}>Refund</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
