import { Alert, Button, Stack } from "@mantine/core";
import { Elements } from "@stripe/react-stripe-js";
import { LoadingState } from "@/components/query-states";
import { errorMessage } from "@/lib/api-error";
import type { PayLinkView } from "@/lib/api-types";
import { formatMinor } from "@/lib/money";
import { useConfirmPayLink } from "../api/confirm-pay-link";
import { useStartPayLink } from "../api/start-pay-link";
import { PayLinkCardForm } from "./pay-link-card-form";
import { returnUrlFor } from "./return-url";
import { useLinkStripe } from "./use-link-stripe";

const APPEARANCE = { theme: "stripe" as const, variables: { colorPrimary: "#1c7ed6", borderRadius: "8px" } };

/** "Pay by card" starts (or resumes) the link's one payment, then the Payment Element takes the card. */
export function PayLinkCheckout({ token, view, onRefused }: { token: string; view: PayLinkView; onRefused: () => void }) {
  const start = useStartPayLink();
  const record = useConfirmPayLink(token);
  const { stripe, error } = useLinkStripe(view);
  const intent = start.data;

  if (error) return <Alert color="red" variant="light" role="alert" title="Card payments are unavailable">{error}</Alert>;
  if (intent && stripe) {
    return (
      <Elements stripe={stripe} options={{ clientSecret: intent.client_secret, appearance: APPEARANCE }}>
        <PayLinkCardForm amountMinor={intent.amount_minor} currency={intent.currency} returnUrl={() => returnUrlFor(token)} record={record} />
      </Elements>
    );
  }
  if (intent) return <LoadingState label="Loading the secure card form…" />;
  return (
    <Stack gap="sm">
      {start.error ? <Alert color="red" variant="light" role="alert" title="The payment could not be started">{errorMessage(start.error)}</Alert> : null}
      <Button
        size="md"
        loading={start.isPending}
        onClick={() => start.mutate(token, { onError: onRefused })}
      >
        Pay {formatMinor(view.amount_minor, view.currency)} by card
      </Button>
    </Stack>
  );
}
