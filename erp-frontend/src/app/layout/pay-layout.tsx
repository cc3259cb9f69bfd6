import { Box, Container, Group, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";

/** The customer's page frame: the merchant's name, the content, nothing of the ERP. */
export function PayLayout({ merchantName, children }: { merchantName: string | null; children: ReactNode }) {
  return (
    <Box mih="100vh" bg="gray.0">
      <Box component="header" bg="white" py="sm" style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}>
        <Container size="xs">
          <Group justify="space-between">
            <Text fw={800} size="lg" data-testid="merchant-name">{merchantName ?? "Payment"}</Text>
            <Text size="xs" c="dimmed">Secure card payment</Text>
          </Group>
        </Container>
      </Box>
      <Container size="xs" py="xl" component="main">
        <Stack gap="md">{children}</Stack>
      </Container>
    </Box>
  );
}
