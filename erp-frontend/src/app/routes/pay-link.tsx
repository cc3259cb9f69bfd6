import { useParams } from "react-router";
import { usePayLink } from "@/features/pay-link/api/get-pay-link";
import { PayLinkPage } from "@/features/pay-link/components/pay-link-page";
import { PayLayout } from "../layout/pay-layout";

/** `/pay/:token`: outside the ERP sign-in; the token is the only credential. */
export function PayLinkRoute() {
  const { token = "" } = useParams();
  const link = usePayLink(token);
  return (
    <PayLayout merchantName={link.data?.merchant_name ?? null}>
      <PayLinkPage token={token} link={link} />
    </PayLayout>
  );
}
