import { BarChart } from "@mantine/charts";
import { Paper, Text } from "@mantine/core";
import { EmptyState } from "@/components/query-states";
import type { PaymentStats } from "@/lib/api-types";
import { formatMinor, minorUnitExponent } from "@/lib/money";

const dayLabel = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += 86_400_000) {
    days.push(new Date(time).toISOString().slice(0, 10));
  }
  return days;
}

function shortDay(day: string): string {
  return dayLabel.format(new Date(`${day}T00:00:00Z`));
}

const SERIES_COLORS = ["blue.6", "teal.6", "grape.6", "orange.6", "cyan.6"];

/** Completed payment volume per day, one bar series per currency (they never add up). */
export function VolumeChart({ stats }: { stats: PaymentStats }) {
  const currencies = [...new Set(stats.volume_by_day.map((row) => row.currency))].sort();
  // Every day of the period gets a bar slot, so quiet days show as gaps, not as nothing.
  const byDay = new Map<string, Record<string, string | number>>();
  for (const day of daysBetween(stats.from, stats.to)) {
    byDay.set(day, { date: shortDay(day), ...Object.fromEntries(currencies.map((c) => [c.toUpperCase(), 0])) });
  }
  for (const row of stats.volume_by_day) {
    const day = byDay.get(row.date);
    if (day) day[row.currency.toUpperCase()] = row.amount_minor / 10 ** minorUnitExponent(row.currency);
  }
  const data = stats.volume_by_day.length > 0 ? [...byDay.values()] : [];

  return (
    <Paper withBorder p="md" radius="md">
      <Text fw={600} mb="sm">Volume by day</Text>
      {data.length === 0 ? (
        <EmptyState title="No completed payments in this period" />
      ) : (
        <BarChart
          h={260}
          maxBarWidth={28}
          data={data}
          dataKey="date"
          withLegend={currencies.length > 1}
          aria-label="Completed payment volume by day"
          valueFormatter={(value) => value.toLocaleString()}
          series={currencies.map((currency, index) => ({
            name: currency.toUpperCase(),
            label: currency.toUpperCase(),
            color: SERIES_COLORS[index % SERIES_COLORS.length] ?? "blue.6",
          }))}
        />
      )}
      {currencies.map((currency) => {
        const total = stats.volume_by_day.filter((row) => row.currency === currency).reduce((sum, row) => sum + row.amount_minor, 0);
        return <Text key={currency} size="sm" c="dimmed" mt="xs">Total {currency.toUpperCase()}: {formatMinor(total, currency)}</Text>;
      })}
    </Paper>
  );
}
