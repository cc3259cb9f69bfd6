import { Alert, Button, Group, Loader, Stack, Text } from "@mantine/core";
import { PaymentElement, useElements, useStripe as useStripeJs } from "@stripe/react-stripe-js";
import { useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/api-error";
import type { Payment } from "@/lib/api-types";
import { formatMinor } from "@/lib/money";

interface CardStepProps {
  amountMinor: number;
  currency: string;
  /** A manual-capture intent: the card is authorized now and charged at capture. */
  authorizeOnly: boolean;
  /** Records the attempt on our side (the sales-service asks Stripe) and returns the payment. */
  record: () => Promise<Payment>;
  onFinished: (payment: Payment) => void;
  onBusyChange: (busy: boolean) => void;
}

const CARD_ERRORS = new Set(["card_error", "validation_error"]);

export function PaymentCardStep({ amountMinor, currency, authorizeOnly, record, onFinished, onBusyChange }: CardStepProps) {
  const stripe = useStripeJs();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  function working(value: boolean) {
    setBusy(value);
    onBusyChange(value);
  }

  async function pay(event: FormEvent) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setMessage(null);
    const submitted = await elements.submit();
    if (submitted.error) return setMessage(submitted.error.message ?? "Check the card details.");
    working(true);
    try {
      const result = await stripe.confirmPayment({
        elements,
        redirect: "if_required",
        confirmParams: { return_url: window.location.href },
      });
      if (result.error) {
        // A decline or a failed 3D Secure: show Stripe's words, record the attempt, stay here
        // so another card can be tried on the same intent.
        const fallback = CARD_ERRORS.has(result.error.type) ? "The card was declined." : "The payment could not be completed. Try again.";
        setMessage(result.error.message ?? fallback);
        if (result.error.payment_intent) await record().catch(() => undefined);
        return;
      }
      const payment = await record();
      if (payment.status === "failed") {
        setMessage(payment.failure?.message ?? "The card was declined.");
        return;
      }
      onFinished(payment);
    } catch (error) {
      setMessage(errorMessage(error));
    } finally {
      working(false);
    }
  }

  return (
    <form onSubmit={(event) => void pay(event)} aria-label="Card payment">
      <Stack gap="md">
        {!ready ? (
          <Group gap="xs"><Loader size="xs" /><Text size="sm" c="dimmed">Loading the secure card form…</Text></Group>
        ) : null}
        <PaymentElement onReady={() => setReady(true)} onLoadError={(event) => setMessage(event.error.message ?? "The card form could not be loaded.")} />
        {message ? <Alert color="red" variant="light" role="alert" title="Payment not completed">{message}</Alert> : null}
        {busy ? (
          <Group gap="xs" role="status" aria-live="polite"><Loader size="xs" /><Text size="sm">{authorizeOnly ? "Authorizing the card…" : "Processing the payment…"}</Text></Group>
        ) : null}
        <Button type="submit" size="md" loading={busy} disabled={!stripe || !elements || !ready}>
          {authorizeOnly ? "Authorize" : "Pay"} {formatMinor(amountMinor, currency)}
        </Button>
      </Stack>
    </form>
  );
}
