import { Text } from "@mantine/core";
import type { Payment } from "@/lib/api-types";
import { humanize } from "@/lib/format";

export function CardLabel({ card }: { card: Payment["card"] }) {
  if (!card?.last4) return <Text size="sm" c="dimmed">–</Text>;
  return (
    <Text size="sm" style={{ whiteSpace: "nowrap" }}>
      {humanize(card.brand ?? "card")} •••• {card.last4}
    </Text>
  );
}
