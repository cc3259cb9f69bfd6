import { Paper, Stack } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { ErrorState, LoadingState } from "@/components/query-states";
import { ApiError } from "@/lib/api-error";
import type { PayLinkView } from "@/lib/api-types";
import { PayLinkCheckout } from "./pay-link-checkout";
import { InvalidLinkNotice, PaidNotice, ProcessingNotice, RefusedNotice } from "./pay-link-outcome";
import { PayLinkSummary } from "./pay-link-summary";

/** The customer's page: what the link asks, then paying it, and what became of it. */
export function PayLinkPage({ token, link }: { token: string; link: UseQueryResult<PayLinkView> }) {
  if (link.isPending) return <LoadingState label="Loading the payment…" />;
  if (link.isError) {
    if (link.error instanceof ApiError && link.error.status === 404) return <InvalidLinkNotice />;
    return <ErrorState error={link.error} onRetry={() => void link.refetch()} title="The payment could not be loaded" />;
  }
  const view = link.data;
  let action;
  if (view.state === "paid") action = <PaidNotice view={view} />;
  else if (view.payment_status === "processing") action = <ProcessingNotice />;
  else if (view.refusal) action = <RefusedNotice refusal={view.refusal} />;
  else action = <PayLinkCheckout token={token} view={view} onRefused={() => void link.refetch()} />;
  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="lg">
        <PayLinkSummary view={view} />
        {action}
      </Stack>
    </Paper>
  );
}
