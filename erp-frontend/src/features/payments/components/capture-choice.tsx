import { SegmentedControl, Stack, Text } from "@mantine/core";
import type { CaptureMethod } from "@/lib/api-types";

const OPTIONS: { value: CaptureMethod; label: string }[] = [
  { value: "automatic", label: "Charge now" },
  { value: "manual", label: "Authorize only" },
];

const EXPLAINED: Record<CaptureMethod, string> = {
  automatic: "The card is charged as soon as it is confirmed.",
  manual: "The amount is held on the card; the order is charged when someone captures it, within 7 days.",
};

export function CaptureChoice({ value, onChange }: { value: CaptureMethod; onChange: (value: CaptureMethod) => void }) {
  return (
    <Stack gap={4}>
      <SegmentedControl
        aria-label="When to charge the card"
        fullWidth
        data={OPTIONS}
        value={value}
        onChange={(next) => onChange(OPTIONS.find((option) => option.value === next)?.value ?? value)}
      />
      <Text size="xs" c="dimmed">{EXPLAINED[value]}</Text>
    </Stack>
  );
}
