import { Group, Pagination, Paper, Text } from "@mantine/core";
import { useState } from "react";
import { PageHeader } from "@/components/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/query-states";
import { useAttention } from "@/features/attention/api/get-attention";
import { AttentionTable } from "@/features/attention/components/attention-table";

const PAGE_SIZE = 25;

export function AttentionRoute() {
  const [page, setPage] = useState(1);
  const attention = useAttention({ page, page_size: PAGE_SIZE });
  const pages = attention.data ? Math.max(1, Math.ceil(attention.data.total / PAGE_SIZE)) : 1;

  return (
    <>
      <PageHeader title="Needs attention" description="Stripe events we refused to apply, money taken unexpectedly, stuck refunds and open disputes" />
      <Paper withBorder radius="md" p={0}>
        {attention.isPending ? <LoadingState label="Loading what needs attention…" /> : null}
        {attention.isError ? <ErrorState error={attention.error} onRetry={() => void attention.refetch()} title="The list could not be loaded" /> : null}
        {attention.data?.items.length === 0 ? <EmptyState title="Nothing needs attention" /> : null}
        {attention.data && attention.data.items.length > 0 ? <AttentionTable items={attention.data.items} /> : null}
      </Paper>
      {attention.data && attention.data.total > 0 ? (
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">{attention.data.total} {attention.data.total === 1 ? "entry" : "entries"}</Text>
          <Pagination total={pages} value={page} onChange={setPage} aria-label="Needs attention pages" />
        </Group>
      ) : null}
    </>
  );
}
