import { Group, Select, TextInput } from "@mantine/core";
import type { PaymentStatus } from "@/lib/api-types";
import { humanize } from "@/lib/format";
import type { PaymentFilters } from "../api/payment-keys";

const STATUSES: PaymentStatus[] = ["pending", "requires_action", "processing", "authorized", "completed", "failed", "canceled"];

export type PaymentFilterValues = Omit<PaymentFilters, "page" | "page_size">;

export function PaymentsFilters({ value, onChange }: { value: PaymentFilterValues; onChange: (next: PaymentFilterValues) => void }) {
  const set = (patch: PaymentFilterValues) => onChange({ ...value, ...patch });
  return (
    <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
      <Select
        label="Status"
        placeholder="Any status"
        clearable
        w={{ base: "100%", xs: 200 }}
        value={value.status ?? null}
        data={STATUSES.map((status) => ({ value: status, label: humanize(status) }))}
        onChange={(status) => set({ status: (status as PaymentStatus | null) ?? undefined })}
      />
      <TextInput type="date" label="From" value={value.from ?? ""} onChange={(e) => set({ from: e.currentTarget.value || undefined })} />
      <TextInput type="date" label="To" value={value.to ?? ""} onChange={(e) => set({ to: e.currentTarget.value || undefined })} />
      <TextInput
        label="Order id"
        placeholder="ord_…"
        w={{ base: "100%", xs: 300 }}
        value={value.order_id ?? ""}
        onChange={(e) => set({ order_id: e.currentTarget.value.trim() || undefined })}
      />
    </Group>
  );
}
