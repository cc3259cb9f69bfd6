import { Button, Group, TextInput } from "@mantine/core";
import type { StatsRange } from "../api/get-payment-stats";
import { lastDays } from "./last-days";

export function DateRangeFilter({ range, onChange }: { range: StatsRange; onChange: (range: StatsRange) => void }) {
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <TextInput type="date" label="From" value={range.from} max={range.to} onChange={(e) => e.currentTarget.value && onChange({ ...range, from: e.currentTarget.value })} />
      <TextInput type="date" label="To" value={range.to} min={range.from} onChange={(e) => e.currentTarget.value && onChange({ ...range, to: e.currentTarget.value })} />
      <Button variant="default" onClick={() => onChange(lastDays(7))}>Last 7 days</Button>
      <Button variant="default" onClick={() => onChange(lastDays(30))}>Last 30 days</Button>
    </Group>
  );
}
