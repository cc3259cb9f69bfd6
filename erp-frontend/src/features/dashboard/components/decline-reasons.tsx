import { Paper, Progress, Stack, Group, Text } from "@mantine/core";
import { EmptyState } from "@/components/query-states";
import type { PaymentStats } from "@/lib/api-types";
import { humanize } from "@/lib/format";

export function DeclineReasons({ stats }: { stats: PaymentStats }) {
  const reasons = stats.top_decline_reasons;
  const most = Math.max(1, ...reasons.map((reason) => reason.count));
  return (
    <Paper withBorder p="md" radius="md">
      <Text fw={600} mb="sm">Top decline reasons</Text>
      {reasons.length === 0 ? (
        <EmptyState title="No declines in this period" />
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label="Top decline reasons">
          {reasons.map((reason) => (
            <li key={reason.reason}>
              <Group justify="space-between" mb={4}>
                <Text size="sm">{humanize(reason.reason)}</Text>
                <Text size="sm" fw={600}>{reason.count}</Text>
              </Group>
              <Progress value={(reason.count / most) * 100} color="red" size="sm" aria-hidden />
            </li>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
