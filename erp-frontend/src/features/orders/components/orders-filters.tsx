import { Group, Select, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useState } from "react";
import type { OrderPaymentStatus } from "@/lib/api-types";
import { humanize } from "@/lib/format";
import { ORDER_STATUSES } from "../api/order-keys";

interface OrdersFiltersProps {
  q: string;
  status: OrderPaymentStatus | null;
  onChange: (next: { q: string; status: OrderPaymentStatus | null }) => void;
}

export function OrdersFilters({ q, status, onChange }: OrdersFiltersProps) {
  const [text, setText] = useState(q);
  const [invalid, setInvalid] = useState(false);
  const emitSearch = useDebouncedCallback((value: string) => onChange({ q: value, status }), 300);

  return (
    <Group gap="sm" mb="md" align="flex-start" wrap="wrap">
      <TextInput
        label="Search by order number"
        placeholder="e.g. 000123"
        value={text}
        w={{ base: "100%", xs: 260 }}
        error={invalid ? "Letters, digits and dashes only" : null}
        onChange={(event) => {
          const value = event.currentTarget.value;
          setText(value);
          const ok = /^[A-Za-z0-9-]*$/.test(value.trim());
          setInvalid(!ok);
          if (ok) emitSearch(value.trim());
        }}
      />
      <Select
        label="Payment status"
        placeholder="Any status"
        clearable
        w={{ base: "100%", xs: 220 }}
        value={status}
        data={ORDER_STATUSES.map((value) => ({ value, label: humanize(value) }))}
        onChange={(value) => onChange({ q: text.trim(), status: value as OrderPaymentStatus | null })}
      />
    </Group>
  );
}
