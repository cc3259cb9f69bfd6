import { ActionIcon, Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { formatMinor } from "@/lib/money";
import { lineTotalMinor, type LineDraft } from "./line-total";

interface LinesEditorProps {
  lines: LineDraft[];
  currency: string;
  errors: Record<string, string>;
  onChange: (lines: LineDraft[]) => void;
  onAdd: () => void;
}

export function OrderLinesEditor({ lines, currency, errors, onChange, onAdd }: LinesEditorProps) {
  function update(index: number, patch: Partial<LineDraft>) {
    onChange(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  }

  return (
    <Stack gap="sm">
      {lines.map((line, index) => {
        const total = lineTotalMinor(line, currency);
        const field = (name: string) => errors[`lines.${index}.${name}`];
        return (
          <Paper key={line.key} withBorder p="sm" radius="md" aria-label={`Line ${index + 1}`} component="fieldset">
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
              <TextInput label="SKU" required value={line.sku} error={field("sku")} onChange={(e) => update(index, { sku: e.currentTarget.value })} />
              <TextInput label="Description" required value={line.description} error={field("description")} onChange={(e) => update(index, { description: e.currentTarget.value })} />
              <NumberInput label="Quantity" required min={1} allowDecimal={false} allowNegative={false} value={line.quantity} error={field("quantity")} onChange={(value) => update(index, { quantity: value })} />
              <TextInput label="Unit price" required inputMode="decimal" placeholder="0.00" value={line.unit_price} error={field("unit_price")} rightSection={<Text size="xs" c="dimmed">{currency.toUpperCase()}</Text>} onChange={(e) => update(index, { unit_price: e.currentTarget.value })} />
            </SimpleGrid>
            <Group justify="space-between" mt="xs">
              <Text size="sm" c="dimmed" aria-live="polite">
                Line total: {total === null ? "–" : formatMinor(total, currency)}
              </Text>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove line ${index + 1}`}
                disabled={lines.length === 1}
                onClick={() => onChange(lines.filter((_, i) => i !== index))}
              >
                ×
              </ActionIcon>
            </Group>
            {errors[`lines.${index}`] ? <Text c="red" size="sm">{errors[`lines.${index}`]}</Text> : null}
          </Paper>
        );
      })}
      <Group>
        <Button variant="light" onClick={onAdd} disabled={lines.length >= 100}>Add line</Button>
      </Group>
    </Stack>
  );
}
