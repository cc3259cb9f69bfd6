import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/api-error";
import type { Order, PaymentLink } from "@/lib/api-types";
import { formatDateTime } from "@/lib/format";
import { formatMinor, minorToDecimalString, parseAmount } from "@/lib/money";
import { randomId } from "@/lib/random-id";
import { useCreatePaymentLink } from "../api/create-payment-link";
import { CopyLinkButton } from "./copy-link-button";
import { DEFAULT_EXPIRY_HOURS, EXPIRY_OPTIONS } from "./expiry-options";

interface CreatePaymentLinkDialogProps {
  order: Order;
  onClose: () => void;
  onCreated: (link: PaymentLink) => void;
}

export function CreatePaymentLinkDialog({ order, onClose, onCreated }: CreatePaymentLinkDialogProps) {
  const create = useCreatePaymentLink();
  const [idempotencyKey] = useState(() => randomId());
  const [amount, setAmount] = useState(() => minorToDecimalString(order.outstanding_minor, order.currency));
  const [hours, setHours] = useState(DEFAULT_EXPIRY_HOURS);
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const created = create.data;

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseAmount(amount, order.currency);
    if (!parsed.ok) return setProblem(parsed.error);
    if (parsed.minor <= 0) return setProblem("The amount must be more than zero");
    if (parsed.minor > order.outstanding_minor) return setProblem(`At most the outstanding ${formatMinor(order.outstanding_minor, order.currency)}`);
    setProblem(null);
    const body = { amount: amount.trim(), expires_in_hours: Number(hours), ...(email.trim() ? { email: email.trim() } : {}) };
    create.mutate({ orderId: order.id, body, idempotencyKey }, { onSuccess: onCreated });
  }

  return (
    <Modal opened centered size="lg" onClose={() => !create.isPending && onClose()} title={<Text fw={700}>Payment link for {order.number}</Text>}>
      {created ? (
        <LinkReady link={created} onClose={onClose} />
      ) : (
        <form onSubmit={submit} noValidate aria-label="New payment link">
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              The customer opens the link on their own device and pays by card. Its amount is fixed; the order has{" "}
              <Text span fw={600} c="bright">{formatMinor(order.outstanding_minor, order.currency)}</Text> outstanding.
            </Text>
            <TextInput
              label="Amount"
              inputMode="decimal"
              required
              data-autofocus
              value={amount}
              error={problem}
              rightSection={<Text size="xs" c="dimmed">{order.currency.toUpperCase()}</Text>}
              onChange={(event) => {
                setAmount(event.currentTarget.value);
                setProblem(null);
              }}
            />
            <Select label="Expires after" data={EXPIRY_OPTIONS} value={hours} onChange={(value) => setHours(value ?? DEFAULT_EXPIRY_HOURS)} allowDeselect={false} />
            <TextInput
              label="Customer email"
              description="Optional: the link is emailed when the service has a mail server; otherwise copy it."
              type="email"
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            {create.error ? <Alert color="red" variant="light" role="alert" title="The link was not created">{errorMessage(create.error)}</Alert> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={create.isPending}>Cancel</Button>
              <Button type="submit" loading={create.isPending}>Create link</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function emailNote(link: PaymentLink): string | null {
  if (!link.email) return null;
  if (link.email_status === "sent") return `Emailed to ${link.email}.`;
  if (link.email_status === "failed") return `The email to ${link.email} could not be sent: copy the link and send it yourself.`;
  return `No mail server is configured: copy the link and send it to ${link.email}.`;
}

function LinkReady({ link, onClose }: { link: PaymentLink; onClose: () => void }) {
  const note = emailNote(link);
  return (
    <Stack gap="md" role="status" aria-live="polite">
      <Text fw={600}>Link ready: {formatMinor(link.amount_minor, link.currency)}, until {formatDateTime(link.expires_at)}</Text>
      {link.url ? (
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <TextInput label="Link" value={link.url} readOnly style={{ flex: 1 }} onFocus={(event) => event.currentTarget.select()} />
          <CopyLinkButton url={link.url} />
        </Group>
      ) : (
        <Alert color="yellow" variant="light" title="The address is not shown again">
          This link was made by an earlier attempt; its address cannot be shown again. Revoke it and make another if it was lost.
        </Alert>
      )}
      {note ? <Text size="sm" c={link.email_status === "failed" ? "red.7" : "dimmed"}>{note}</Text> : null}
      <Text size="xs" c="dimmed">Only this screen shows the address: the service keeps no copy of it.</Text>
      <Group justify="flex-end"><Button onClick={onClose}>Done</Button></Group>
    </Stack>
  );
}
