import { Alert, Center, Divider, Paper, Stack, Text, Title } from "@mantine/core";
import { Navigate, useLocation } from "react-router";
import { DemoSignIn } from "@/features/auth/components/demo-sign-in";
import { TokenSignIn } from "@/features/auth/components/token-sign-in";
import { useAuth } from "@/lib/auth/auth-context";

export function SignInRoute() {
  const { user, notice, signIn } = useAuth();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? "/orders";
  if (user) return <Navigate to={from.startsWith("/sign-in") ? "/orders" : from} replace />;

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" radius="lg" p="xl" w="100%" maw={560}>
        <Stack gap="lg">
          <Stack gap={4}>
            <Title order={2}>Sign in</Title>
            <Text c="dimmed" size="sm">ERP sales: orders, card payments and refunds.</Text>
          </Stack>
          {notice ? <Alert color="orange" variant="light" role="alert" title="Signed out">{notice}</Alert> : null}
          <DemoSignIn onToken={(token) => signIn(token)} />
          <Divider label="or" labelPosition="center" />
          <TokenSignIn onToken={signIn} />
        </Stack>
      </Paper>
    </Center>
  );
}
