import { Button, Group, Pagination, Paper, Text } from "@mantine/core";
import { Link, useSearchParams } from "react-router";
import { PageHeader } from "@/components/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/query-states";
import { useOrders } from "@/features/orders/api/get-orders";
import { ORDER_STATUSES } from "@/features/orders/api/order-keys";
import { OrdersFilters } from "@/features/orders/components/orders-filters";
import { OrdersTable } from "@/features/orders/components/orders-table";
import type { OrderPaymentStatus } from "@/lib/api-types";
import { useAuth } from "@/lib/auth/auth-context";

const PAGE_SIZE = 20;

function readStatus(value: string | null): OrderPaymentStatus | null {
  return ORDER_STATUSES.find((status) => status === value) ?? null;
}

export function OrdersRoute() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const status = readStatus(params.get("status"));
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const orders = useOrders({ q: q || undefined, payment_status: status ?? undefined, page, page_size: PAGE_SIZE });

  function update(next: { q?: string; status?: OrderPaymentStatus | null; page?: number }) {
    const merged = { q, status, page: 1, ...next };
    const search = new URLSearchParams();
    if (merged.q) search.set("q", merged.q);
    if (merged.status) search.set("status", merged.status);
    if (merged.page > 1) search.set("page", String(merged.page));
    setParams(search, { replace: true });
  }

  const pages = orders.data ? Math.max(1, Math.ceil(orders.data.total / PAGE_SIZE)) : 1;
  return (
    <>
      <PageHeader
        title="Orders"
        description="Sales orders and what has been paid on them"
        actions={can("orders:write") ? <Button component={Link} to="/orders/new">New order</Button> : null}
      />
      <OrdersFilters q={q} status={status} onChange={(next) => update(next)} />
      <Paper withBorder radius="md" p={0}>
        {orders.isPending ? <LoadingState label="Loading orders…" /> : null}
        {orders.isError ? <ErrorState error={orders.error} onRetry={() => void orders.refetch()} title="Orders could not be loaded" /> : null}
        {orders.data && orders.data.items.length === 0 ? (
          <EmptyState title={q || status ? "No orders match these filters" : "No orders yet"}>
            {can("orders:write") && !q && !status ? "Create the first one with “New order”." : "Try another search or status."}
          </EmptyState>
        ) : null}
        {orders.data && orders.data.items.length > 0 ? <OrdersTable orders={orders.data.items} /> : null}
      </Paper>
      {orders.data && orders.data.total > 0 ? (
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">{orders.data.total} {orders.data.total === 1 ? "order" : "orders"}</Text>
          <Pagination total={pages} value={page} onChange={(next) => update({ page: next })} aria-label="Orders pages" />
        </Group>
      ) : null}
    </>
  );
}
