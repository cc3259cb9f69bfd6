import { Button } from "@mantine/core";
import { useState } from "react";
import type { Payment, Refund } from "@/lib/api-types";
import { CurrentRefundDialog } from "./current-refund-dialog";

export function RefundButton({ payment, onRefunded }: { payment: Payment; onRefunded: (refund: Refund) => void }) {
  const [open, setOpen] = useState(false);
  const refundable = payment.status === "completed" ? payment.refundable_minor : 0;
  if (refundable <= 0) return null;
  return (
    <>
      <Button size="xs" variant="light" color="orange" onClick={() => setOpen(true)}>Refund</Button>
      {open ? (
        <CurrentRefundDialog
          paymentId={payment.id}
          onClose={() => setOpen(false)}
          onRefunded={(refund) => {
            setOpen(false);
            onRefunded(refund);
          }}
        />
      ) : null}
    </>
  );
}
