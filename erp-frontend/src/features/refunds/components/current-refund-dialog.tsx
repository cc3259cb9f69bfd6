import { Modal, Text } from "@mantine/core";
import { ErrorState, LoadingState } from "@/components/query-states";
import type { Refund } from "@/lib/api-types";
import { useCurrentPayment } from "../api/get-payment";
import { RefundDialog } from "./refund-dialog";

interface CurrentRefundDialogProps {
  paymentId: string;
  onClose: () => void;
  onRefunded: (refund: Refund) => void;
}

/** Reads the payment afresh first, so the amount offered is what can be refunded right now. */
export function CurrentRefundDialog({ paymentId, onClose, onRefunded }: CurrentRefundDialogProps) {
  const payment = useCurrentPayment(paymentId);
  // Not a cached copy from an earlier opening: this one was read since the dialog opened.
  if (payment.data && payment.isFetchedAfterMount) {
    return <RefundDialog payment={payment.data} refundableMinor={payment.data.refundable_minor} onClose={onClose} onRefunded={onRefunded} />;
  }
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>Refund payment</Text>} centered size="md">
      {payment.isError ? (
        <ErrorState error={payment.error} onRetry={() => void payment.refetch()} title="The payment could not be loaded" />
      ) : (
        <LoadingState label="Reading the payment…" />
      )}
    </Modal>
  );
}
