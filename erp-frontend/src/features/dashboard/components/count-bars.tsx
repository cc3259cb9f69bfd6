import { Paper, Progress, Stack, Group, Text } from "@mantine/core";
import { EmptyState } from "@/components/query-states";

export interface CountBar {
  label: string;
  count: number;
}

interface CountBarsProps {
  title: string;
  bars: CountBar[];
  color: string;
  empty: string;
}

/** A titled list of counts, each with a bar against the largest, most frequent first. */
export function CountBars({ title, bars, color, empty }: CountBarsProps) {
  const most = Math.max(1, ...bars.map((bar) => bar.count));
  return (
    <Paper withBorder p="md" radius="md">
      <Text fw={600} mb="sm">{title}</Text>
      {bars.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={title}>
          {bars.map((bar) => (
            <li key={bar.label}>
              <Group justify="space-between" mb={4}>
                <Text size="sm">{bar.label}</Text>
                <Text size="sm" fw={600}>{bar.count}</Text>
              </Group>
              <Progress value={(bar.count / most) * 100} color={color} size="sm" aria-hidden />
            </li>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
