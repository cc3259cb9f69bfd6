import { Alert } from "@mantine/core";
import type { Readiness } from "@/lib/api-types";

/** Shown when Stripe has no enabled webhook endpoint for us: news then comes only from the
 *  events sync, up to a minute late, and a person should fix the endpoint. */
export function WebhookEndpointWarning({ readiness }: { readiness: Readiness | undefined }) {
  // The service leaves `detail` out when it has nothing to report.
  const detail: Readiness["detail"] | undefined = readiness?.detail;
  const check = detail?.stripe_webhook_endpoint;
  if (!check || check.status === "ok" || check.status === "unknown") return null;
  return (
    <Alert color="orange" title="Stripe is not sending us events" role="alert" data-testid="webhook-endpoint-warning">
      {check.detail}. Payments and refunds still reach the orders through the events sync, but
      later. Fix the webhook endpoint in the Stripe Dashboard (see the operations runbook).
    </Alert>
  );
}
