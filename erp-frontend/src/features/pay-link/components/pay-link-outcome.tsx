import { Alert, Stack, Text, ThemeIcon } from "@mantine/core";
import type { PayLinkView } from "@/lib/api-types";
import { humanize } from "@/lib/format";
import { formatMinor } from "@/lib/money";

export function PaidNotice({ view }: { view: PayLinkView }) {
  const card = view.card?.last4 ? ` with ${humanize(view.card.brand ?? "card")} •••• ${view.card.last4}` : "";
  return (
    <Stack gap="xs" align="center" py="md" role="status" aria-live="polite">
      <ThemeIcon size={48} radius="xl" color="green" aria-hidden>✓</ThemeIcon>
      <Text fw={700} size="lg">Payment received</Text>
      <Text size="sm" c="dimmed" ta="center">
        {formatMinor(view.amount_minor, view.currency)} paid{card}. Thank you: there is nothing more to pay through this link.
      </Text>
    </Stack>
  );
}

export function ProcessingNotice() {
  return (
    <Alert color="cyan" variant="light" title="Your payment is processing" role="status" aria-live="polite">
      Your bank has not confirmed it yet. This page updates by itself; you do not need to pay again.
    </Alert>
  );
}

const REFUSALS: Record<NonNullable<PayLinkView["refusal"]>, { title: string; text: string }> = {
  amount_exceeds_outstanding: {
    title: "This link can no longer be paid",
    text: "The order's balance has changed since the link was made. Ask the merchant for a new link.",
  },
  order_payment_in_progress: {
    title: "Another payment is under way",
    text: "Another payment on this order has not finished yet. Try this link again later, or ask the merchant.",
  },
};

export function RefusedNotice({ refusal }: { refusal: NonNullable<PayLinkView["refusal"]> }) {
  const { title, text } = REFUSALS[refusal];
  return <Alert color="yellow" variant="light" title={title} role="alert">{text}</Alert>;
}

export function InvalidLinkNotice() {
  return (
    <Stack gap="xs" align="center" py="md" role="alert">
      <Text fw={700} size="lg">This payment link is not valid</Text>
      <Text size="sm" c="dimmed" ta="center">
        It may have expired or been revoked, or the address is incomplete. Ask the merchant for a new link.
      </Text>
    </Stack>
  );
}
