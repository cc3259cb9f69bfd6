import { Alert, Button, Group, Loader, Stack, Text } from "@mantine/core";
import { PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import { useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/api-error";
import type { PayLinkView } from "@/lib/api-types";
import { formatMinor } from "@/lib/money";

interface PayLinkCardFormProps {
  amountMinor: number;
  currency: string;
  /** Where Stripe returns the customer if a method leaves the page (asked for when paying). */
  returnUrl: () => string;
  /** Asks the service what Stripe now says; only its answer may say "paid". */
  record: () => Promise<PayLinkView>;
}

const CARD_ERRORS = new Set(["card_error", "validation_error"]);

export function PayLinkCardForm({ amountMinor, currency, returnUrl, record }: PayLinkCardFormProps) {
  const stripe = useStripe();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function pay(event: FormEvent) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setMessage(null);
    const submitted = await elements.submit();
    if (submitted.error) return setMessage(submitted.error.message ?? "Check the card details.");
    setBusy(true);
    try {
      const result = await stripe.confirmPayment({ elements, redirect: "if_required", confirmParams: { return_url: returnUrl() } });
      if (result.error) {
        // A decline or a failed 3D Secure: Stripe's words, the attempt recorded, another card may follow.
        const fallback = CARD_ERRORS.has(result.error.type) ? "The card was declined." : "The payment could not be completed. Try again.";
        setMessage(result.error.message ?? fallback);
        if (result.error.payment_intent) await record().catch(() => undefined);
        return;
      }
      const view = await record();
      if (view.payment_status === "failed") setMessage("The card was declined.");
      else if (view.state !== "paid" && view.payment_status !== "processing") setMessage("The payment is not complete yet. Try again.");
    } catch (error) {
      setMessage(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void pay(event)} aria-label="Card payment">
      <Stack gap="md">
        {!ready ? <Group gap="xs"><Loader size="xs" /><Text size="sm" c="dimmed">Loading the secure card form…</Text></Group> : null}
        <PaymentElement onReady={() => setReady(true)} onLoadError={(event) => setMessage(event.error.message ?? "The card form could not be loaded.")} />
        {message ? <Alert color="red" variant="light" role="alert" title="Payment not completed">{message}</Alert> : null}
        {busy ? <Group gap="xs" role="status" aria-live="polite"><Loader size="xs" /><Text size="sm">Processing the payment…</Text></Group> : null}
        <Button type="submit" size="md" loading={busy} disabled={!stripe || !elements || !ready}>
          Pay {formatMinor(amountMinor, currency)}
        </Button>
      </Stack>
    </form>
  );
}
