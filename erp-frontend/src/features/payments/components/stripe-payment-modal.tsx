import { Alert, Modal, Text } from "@mantine/core";
import { Elements } from "@stripe/react-stripe-js";
import { useState } from "react";
import type { CaptureMethod, CreatedIntent, Order, Payment } from "@/lib/api-types";
import { formatMinor } from "@/lib/money";
import { useStripe } from "@/lib/stripe/stripe-context";
import { LoadingState } from "@/components/query-states";
import { useConfirmPayment } from "../api/confirm-payment";
import { useCreateIntent } from "../api/create-intent";
import { payableMinor } from "./payable";
import { PaymentAmountStep } from "./payment-amount-step";
import { PaymentCardStep } from "./payment-card-step";
import { PaymentDone } from "./payment-done";

interface StripePaymentModalProps {
  opened: boolean;
  order: Order;
  onClose: () => void;
  /** The payment went through, was authorized, or is processing; the page refreshes the order. */
  onPaid: (payment: Payment) => void;
}

const APPEARANCE = { theme: "stripe" as const, variables: { colorPrimary: "#1c7ed6", borderRadius: "8px" } };

export function StripePaymentModal({ opened, order, onClose, onPaid }: StripePaymentModalProps) {
  const { stripe, loading, error } = useStripe();
  const createIntent = useCreateIntent();
  const confirm = useConfirmPayment();
  const [intent, setIntent] = useState<CreatedIntent | null>(null);
  const [paid, setPaid] = useState<Payment | null>(null);
  const [busy, setBusy] = useState(false);

  function close() {
    if (busy) return;
    setIntent(null);
    setPaid(null);
    createIntent.reset();
    onClose();
  }

  function startIntent(amount: string, capture: CaptureMethod) {
    createIntent.mutate({ order_id: order.id, amount, currency: order.currency, capture }, { onSuccess: (created) => setIntent(created) });
  }

  function finished(payment: Payment) {
    setPaid(payment);
    onPaid(payment);
  }

  let body;
  if (error) {
    body = <Alert color="red" variant="light" role="alert" title="Card payments are unavailable">{error}</Alert>;
  } else if (paid) {
    body = <PaymentDone payment={paid} onClose={close} />;
  } else if (intent && stripe) {
    const authorizeOnly = intent.capture === "manual";
    body = (
      <Elements stripe={stripe} options={{ clientSecret: intent.client_secret, appearance: APPEARANCE }}>
        <Text size="sm" c="dimmed" mb="sm">
          {authorizeOnly ? "Authorizing " : "Charging "}
          <Text span fw={600} c="bright">{formatMinor(intent.amount_minor, intent.currency)}</Text>
          {authorizeOnly ? " on the card below; it is charged when the payment is captured." : " to the card below."}
        </Text>
        <PaymentCardStep
          amountMinor={intent.amount_minor}
          currency={intent.currency}
          authorizeOnly={authorizeOnly}
          onBusyChange={setBusy}
          onFinished={finished}
          record={() => confirm.mutateAsync({ payment_intent_id: intent.payment_intent_id, order_id: order.id })}
        />
      </Elements>
    );
  } else if (loading) {
    body = <LoadingState label="Loading Stripe…" />;
  } else {
    body = (
      <PaymentAmountStep
        payableMinor={payableMinor(order)}
        authorizedMinor={order.amount_authorized_minor}
        currency={order.currency}
        pending={createIntent.isPending}
        error={createIntent.error}
        onContinue={startIntent}
        onCancel={close}
      />
    );
  }

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={700}>Pay order {order.number}</Text>}
      size="lg"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      withCloseButton={!busy}
      centered
    >
      {body}
    </Modal>
  );
}
