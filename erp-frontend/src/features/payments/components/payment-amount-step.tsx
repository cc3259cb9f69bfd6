import { Alert, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/api-error";
import type { CaptureMethod } from "@/lib/api-types";
import { formatMinor, minorToDecimalString, parseAmount } from "@/lib/money";
import { CaptureChoice } from "./capture-choice";

interface AmountStepProps {
  /** The most a new payment may take (see payable.ts). */
  payableMinor: number;
  /** Already held on cards for this order, not captured yet. */
  authorizedMinor: number;
  currency: string;
  pending: boolean;
  error: unknown;
  onContinue: (amount: string, capture: CaptureMethod) => void;
  onCancel: () => void;
}

/** The amount to take (the rest of the balance, or less for a deposit) and whether to charge it now. */
export function PaymentAmountStep({ payableMinor, authorizedMinor, currency, pending, error, onContinue, onCancel }: AmountStepProps) {
  const [text, setText] = useState(() => minorToDecimalString(payableMinor, currency));
  const [capture, setCapture] = useState<CaptureMethod>("automatic");
  const [problem, setProblem] = useState<string | null>(null);
  const payable = formatMinor(payableMinor, currency);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseAmount(text, currency);
    if (!parsed.ok) return setProblem(parsed.error);
    if (parsed.minor <= 0) return setProblem("The amount must be more than zero");
    if (parsed.minor > payableMinor) {
      return setProblem(authorizedMinor > 0 ? `At most the ${payable} not yet paid or authorized` : `At most the outstanding ${payable}`);
    }
    setProblem(null);
    onContinue(text.trim(), capture);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {authorizedMinor > 0 ? "Still to pay on this order: " : "Outstanding on this order: "}
          <Text span fw={600} c="bright">{payable}</Text>
          {authorizedMinor > 0 ? ` (${formatMinor(authorizedMinor, currency)} more is authorized on a card)` : ""}.
          Lower the amount to take a deposit.
        </Text>
        <CaptureChoice value={capture} onChange={setCapture} />
        <TextInput
          label={capture === "manual" ? "Amount to authorize" : "Amount to charge"}
          inputMode="decimal"
          required
          data-autofocus
          value={text}
          error={problem}
          rightSection={<Text size="xs" c="dimmed">{currency.toUpperCase()}</Text>}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setProblem(null);
          }}
        />
        {error ? <Alert color="red" variant="light" role="alert" title="The payment could not be started">{errorMessage(error)}</Alert> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={pending}>Cancel</Button>
          <Button type="submit" loading={pending}>Continue to Payment</Button>
        </Group>
      </Stack>
    </form>
  );
}
