import { Group, Pagination, Paper, Text } from "@mantine/core";
import { useState } from "react";
import { PageHeader } from "@/components/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/query-states";
import { usePayments } from "@/features/payments/api/get-payments";
import { ExportPaymentsButton } from "@/features/payments/components/export-payments-button";
import { PaymentsFilters, type PaymentFilterValues } from "@/features/payments/components/payments-filters";
import { PaymentsTable } from "@/features/payments/components/payments-table";

const PAGE_SIZE = 25;

export function PaymentsRoute() {
  const [filters, setFilters] = useState<PaymentFilterValues>({});
  const [page, setPage] = useState(1);
  const payments = usePayments({ ...filters, page, page_size: PAGE_SIZE });
  const pages = payments.data ? Math.max(1, Math.ceil(payments.data.total / PAGE_SIZE)) : 1;

  return (
    <>
      <PageHeader title="Payments" description="Card payments across all orders" actions={<ExportPaymentsButton filters={filters} />} />
      <PaymentsFilters value={filters} onChange={(next) => { setFilters(next); setPage(1); }} />
      <Paper withBorder radius="md" p={0}>
        {payments.isPending ? <LoadingState label="Loading payments…" /> : null}
        {payments.isError ? <ErrorState error={payments.error} onRetry={() => void payments.refetch()} title="Payments could not be loaded" /> : null}
        {payments.data?.items.length === 0 ? <EmptyState title="No payments match these filters" /> : null}
        {payments.data && payments.data.items.length > 0 ? <PaymentsTable payments={payments.data.items} showOrder /> : null}
      </Paper>
      {payments.data && payments.data.total > 0 ? (
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">{payments.data.total} {payments.data.total === 1 ? "payment" : "payments"}</Text>
          <Pagination total={pages} value={page} onChange={setPage} aria-label="Payments pages" />
        </Group>
      ) : null}
    </>
  );
}
