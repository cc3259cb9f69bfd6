import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { NavLink as RouterNavLink, Outlet } from "react-router";
import { useAuth } from "@/lib/auth/auth-context";
import type { Permission } from "@/lib/auth/permissions";
import { StripeProvider } from "@/lib/stripe/stripe-provider";

const NAV: { to: string; label: string; permission: Permission }[] = [
  { to: "/orders", label: "Orders", permission: "orders:read" },
  { to: "/payments", label: "Payments", permission: "refunds:read" },
  { to: "/dashboard", label: "Dashboard", permission: "reports:read" },
  { to: "/attention", label: "Needs attention", permission: "audit:read" },
];

export function AppLayout() {
  const { user, can, signOut } = useAuth();
  const [opened, { toggle, close }] = useDisclosure(false);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 210, breakpoint: "md", collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label="Toggle navigation" />
            <Text fw={800} size="lg">ERP <Text span c="blue.7" inherit>Sales</Text></Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Stack gap={0} align="flex-end" visibleFrom="xs">
              <Text size="sm" fw={600} data-testid="signed-in-user">{user?.sub}</Text>
            </Stack>
            {user?.roles.map((role) => <Badge key={role} variant="outline" size="sm">{role}</Badge>)}
            <Button variant="subtle" size="xs" onClick={() => signOut()}>Sign out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        {NAV.filter((item) => can(item.permission)).map((item) => (
          <NavLink
            key={item.to}
            component={RouterNavLink}
            to={item.to}
            label={item.label}
            onClick={close}
            styles={{ root: { borderRadius: 8 } }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <StripeProvider>
          <Outlet />
        </StripeProvider>
      </AppShell.Main>
    </AppShell>
  );
}
