import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useRef, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/lib/api-error";
import type { Order, OrderCreate } from "@/lib/api-types";
import { formatMinor } from "@/lib/money";
import { randomId } from "@/lib/random-id";
import { useCreateOrder } from "../api/create-order";
import { lineTotalMinor, type LineDraft } from "./line-total";
import { OrderLinesEditor } from "./order-lines-editor";
import { validateOrder } from "./validate-order";

const CURRENCIES = ["usd", "eur", "gbp", "chf", "cad", "aud", "jpy", "kwd"];

const emptyLine = (): LineDraft => ({ key: randomId(4), sku: "", description: "", quantity: 1, unit_price: "" });

export function OrderForm({ onCreated, onCancel }: { onCreated: (order: Order) => void; onCancel: () => void }) {
  const [customerId, setCustomerId] = useState("");
  const [currency, setCurrency] = useState("usd");
  const [notes, setNotes] = useState("");
  const [lines, setLines] = useState<LineDraft[]>([emptyLine()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const createOrder = useCreateOrder();
  // One key per distinct request: a retry of the same body is safe, a changed body is new.
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const totals = lines.map((line) => lineTotalMinor(line, currency));
  const total = totals.every((value) => value !== null) ? totals.reduce((sum, value) => sum + value, 0) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    const body: OrderCreate = {
      customer_id: customerId.trim(),
      currency,
      lines: lines.map((line) => ({
        sku: line.sku.trim(),
        description: line.description.trim(),
        quantity: Number(line.quantity),
        unit_price: line.unit_price.trim(),
      })),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    };
    const problems = validateOrder(body);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const serialized = JSON.stringify(body);
    if (attempt.current?.body !== serialized) attempt.current = { body: serialized, key: randomId() };
    createOrder.mutate(
      { body, idempotencyKey: attempt.current.key },
      {
        onSuccess: (order) => onCreated(order),
        onError: (error) => {
          if (error instanceof ApiError) setErrors(error.fieldErrors());
        },
      },
    );
  }

  const apiError = createOrder.error;
  return (
    <form onSubmit={submit} aria-label="New order" noValidate>
      <Stack gap="md">
        <Paper withBorder p="md" radius="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput label="Customer" description="The customer's id in the ERP" required placeholder="cus_42" value={customerId} error={errors.customer_id} onChange={(e) => setCustomerId(e.currentTarget.value)} />
            <Select label="Currency" required allowDeselect={false} value={currency} error={errors.currency} data={CURRENCIES.map((code) => ({ value: code, label: code.toUpperCase() }))} onChange={(value) => value && setCurrency(value)} />
          </SimpleGrid>
        </Paper>
        <Text fw={600}>Lines</Text>
        {errors.lines ? <Text c="red" size="sm">{errors.lines}</Text> : null}
        <OrderLinesEditor lines={lines} currency={currency} errors={errors} onChange={setLines} onAdd={() => setLines([...lines, emptyLine()])} />
        <Textarea label="Notes" autosize minRows={2} maxLength={2000} value={notes} error={errors.notes} onChange={(e) => setNotes(e.currentTarget.value)} />
        {apiError && !(apiError instanceof ApiError && apiError.details.length > 0) ? (
          <Alert color="red" variant="light" role="alert" title="The order was not created">{errorMessage(apiError)}</Alert>
        ) : null}
        {apiError instanceof ApiError && apiError.details.length > 0 ? (
          <Alert color="red" variant="light" role="alert">Fix the highlighted fields and try again.</Alert>
        ) : null}
        <Group justify="space-between">
          <Text fw={700} size="lg" aria-live="polite" data-testid="order-total">
            Total: {total === null ? "–" : formatMinor(total, currency)}
          </Text>
          <Group>
            <Button variant="default" onClick={onCancel}>Cancel</Button>
            <Button type="submit" loading={createOrder.isPending}>Create order</Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
