import { Navigate } from "react-router";
import { InvalidLinkNotice } from "@/features/pay-link/components/pay-link-outcome";
import { returningToken } from "@/features/pay-link/components/return-url";
import { PayLayout } from "../layout/pay-layout";

/** Where Stripe brings the customer back: to the link this tab was paying. */
export function PayReturnRoute() {
  const token = returningToken();
  if (token) return <Navigate to={`/pay/${encodeURIComponent(token)}`} replace />;
  return (
    <PayLayout merchantName={null}>
      <InvalidLinkNotice />
    </PayLayout>
  );
}
