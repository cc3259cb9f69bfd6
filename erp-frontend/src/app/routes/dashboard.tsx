import { Grid, Stack } from "@mantine/core";
import { useState } from "react";
import { PageHeader } from "@/components/page-header";
import { ErrorState, LoadingState } from "@/components/query-states";
import { usePaymentStats } from "@/features/dashboard/api/get-payment-stats";
import { useReadiness } from "@/features/dashboard/api/get-readiness";
import { DateRangeFilter } from "@/features/dashboard/components/date-range-filter";
import { lastDays } from "@/features/dashboard/components/last-days";
import { DeclineReasons } from "@/features/dashboard/components/decline-reasons";
import { RefundReasons } from "@/features/dashboard/components/refund-reasons";
import { StatCards } from "@/features/dashboard/components/stat-cards";
import { VolumeChart } from "@/features/dashboard/components/volume-chart";
import { WebhookEndpointWarning } from "@/features/dashboard/components/webhook-endpoint-warning";

export default function DashboardRoute() {
  const [range, setRange] = useState(() => lastDays(30));
  const stats = usePaymentStats(range);
  const readiness = useReadiness();

  return (
    <>
      <PageHeader title="Dashboard" description="Card payments in the chosen period (UTC days)" />
      <Stack gap="md">
        <WebhookEndpointWarning readiness={readiness.data} />
        <DateRangeFilter range={range} onChange={setRange} />
        {stats.isPending ? <LoadingState label="Loading the figures…" /> : null}
        {stats.isError ? <ErrorState error={stats.error} onRetry={() => void stats.refetch()} title="The figures could not be loaded" /> : null}
        {stats.data ? (
          <>
            <StatCards stats={stats.data} />
            <Grid gutter="md">
              <Grid.Col span={{ base: 12, lg: 8 }}><VolumeChart stats={stats.data} /></Grid.Col>
              <Grid.Col span={{ base: 12, lg: 4 }}>
                <Stack gap="md">
                  <DeclineReasons stats={stats.data} />
                  <RefundReasons stats={stats.data} />
                </Stack>
              </Grid.Col>
            </Grid>
          </>
        ) : null}
      </Stack>
    </>
  );
}
