import { Button, Group, Stack, Text, ThemeIcon } from "@mantine/core";
import type { Payment } from "@/lib/api-types";
import { humanize } from "@/lib/format";
import { formatMinor } from "@/lib/money";

const OUTCOME = {
  completed: { color: "green", title: "Payment successful", verb: "charged to", next: " The order is being updated." },
  authorized: { color: "teal", title: "Card authorized", verb: "authorized on", next: " Nothing is charged yet: the order is charged when the payment is captured." },
  processing: { color: "cyan", title: "Payment is processing", verb: "charged to", next: " The order updates when Stripe confirms it." },
};

/** The modal's last screen: what happened to the card, and what happens to the order next. */
export function PaymentDone({ payment, onClose }: { payment: Payment; onClose: () => void }) {
  const outcome = payment.status === "completed" || payment.status === "authorized" ? OUTCOME[payment.status] : OUTCOME.processing;
  const card = payment.card?.last4 ? ` ${outcome.verb} ${humanize(payment.card.brand ?? "card")} •••• ${payment.card.last4}` : "";
  return (
    <Stack gap="md" align="center" py="md" role="status" aria-live="polite">
      <ThemeIcon size={48} radius="xl" color={outcome.color} aria-hidden>✓</ThemeIcon>
      <Text fw={700} size="lg">{outcome.title}</Text>
      <Text size="sm" c="dimmed" ta="center">
        {formatMinor(payment.amount_minor, payment.currency)}
        {card}.{outcome.next}
      </Text>
      <Group><Button onClick={onClose}>Done</Button></Group>
    </Stack>
  );
}
