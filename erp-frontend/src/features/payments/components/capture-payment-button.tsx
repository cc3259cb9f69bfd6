import { Button } from "@mantine/core";
import { useState } from "react";
import type { Payment } from "@/lib/api-types";
import { CapturePaymentDialog } from "./capture-payment-dialog";

/** On an authorized (manual-capture) payment: charge the card for what the order ships. */
export function CapturePaymentButton({ payment, onCaptured }: { payment: Payment; onCaptured: (payment: Payment) => void }) {
  const [open, setOpen] = useState(false);
  // Also while a capture is pending (its answer was lost): asking again with the same amount
  // settles it, another amount is refused with the one under way.
  if (payment.status !== "authorized" || payment.amount_authorized_minor <= 0) return null;
  return (
    <>
      <Button size="xs" variant="light" color="teal" onClick={() => setOpen(true)}>Capture</Button>
      {open ? (
        <CapturePaymentDialog
          payment={payment}
          onClose={() => setOpen(false)}
          onCaptured={(captured) => {
            setOpen(false);
            onCaptured(captured);
          }}
        />
      ) : null}
    </>
  );
}
