import { Alert, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/api-error";
import { formatMinor, minorToDecimalString, parseAmount } from "@/lib/money";

interface AmountStepProps {
  outstandingMinor: number;
  currency: string;
  pending: boolean;
  error: unknown;
  onContinue: (amount: string, amountMinor: number) => void;
  onCancel: () => void;
}

/** The amount to take now: the outstanding balance, or less for a deposit. */
export function PaymentAmountStep({ outstandingMinor, currency, pending, error, onContinue, onCancel }: AmountStepProps) {
  const [text, setText] = useState(() => minorToDecimalString(outstandingMinor, currency));
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseAmount(text, currency);
    if (!parsed.ok) return setProblem(parsed.error);
    if (parsed.minor <= 0) return setProblem("The amount must be more than zero");
    if (parsed.minor > outstandingMinor) return setProblem(`At most the outstanding ${formatMinor(outstandingMinor, currency)}`);
    setProblem(null);
    onContinue(text.trim(), parsed.minor);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Outstanding on this order: <Text span fw={600} c="bright">{formatMinor(outstandingMinor, currency)}</Text>.
          Lower the amount to take a deposit.
        </Text>
        <TextInput
          label="Amount to charge"
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
