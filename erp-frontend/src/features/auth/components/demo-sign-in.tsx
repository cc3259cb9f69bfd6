import { Alert, Button, SimpleGrid, Stack, Text } from "@mantine/core";
import { ApiError, errorMessage } from "@/lib/api-error";
import { useCreateDevToken, type DemoRole } from "../api/create-dev-token";

const DEMO_USERS: { role: DemoRole; label: string; description: string }[] = [
  { role: "sales", label: "Sales", description: "Orders and card payments" },
  { role: "finance", label: "Finance", description: "Refunds and reports" },
  { role: "admin", label: "Admin", description: "Everything" },
];

export function DemoSignIn({ onToken }: { onToken: (token: string) => void }) {
  const devToken = useCreateDevToken();
  const disabled = devToken.error instanceof ApiError && devToken.error.status === 404;

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">Sign in as a demo user (development sign-in):</Text>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        {DEMO_USERS.map((user) => (
          <Button
            key={user.role}
            variant="light"
            h="auto"
            py="sm"
            loading={devToken.isPending && devToken.variables === user.role}
            disabled={disabled}
            onClick={() => devToken.mutate(user.role, { onSuccess: (data) => onToken(data.access_token) })}
            aria-label={`Sign in as ${user.label}`}
          >
            <Stack gap={2} align="center">
              <Text fw={600} size="sm">{user.label}</Text>
              <Text size="xs" c="dimmed" style={{ whiteSpace: "normal" }}>{user.description}</Text>
            </Stack>
          </Button>
        ))}
      </SimpleGrid>
      {devToken.error ? (
        <Alert color={disabled ? "gray" : "red"} variant="light" role="alert">
          {disabled ? "Demo sign-in is turned off on this server: paste a token instead." : errorMessage(devToken.error)}
        </Alert>
      ) : null}
    </Stack>
  );
}
