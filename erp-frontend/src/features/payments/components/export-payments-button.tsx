import { Button } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { errorMessage } from "@/lib/api-error";
import { downloadText } from "@/lib/csv";
import { isoDay } from "@/lib/format";
import { exportPaymentsCsv } from "../api/export-payments";
import type { PaymentFilterValues } from "./payments-filters";

/** Downloads every payment matching the current filters as the server's CSV export. */
export function ExportPaymentsButton({ filters }: { filters: PaymentFilterValues }) {
  const [busy, setBusy] = useState(false);

  async function exportCsv() {
    setBusy(true);
    try {
      downloadText(`payments-${isoDay(new Date())}.csv`, await exportPaymentsCsv(filters));
    } catch (error) {
      notifications.show({ color: "red", title: "Export failed", message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Button variant="default" loading={busy} onClick={() => void exportCsv()}>
      Export CSV
    </Button>
  );
}
