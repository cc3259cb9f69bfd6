import { Anchor } from "@mantine/core";
import { Link } from "react-router";
import { EmptyState } from "@/components/query-states";

export function NotFoundRoute() {
  return (
    <EmptyState title="Page not found">
      <Anchor component={Link} to="/orders">Back to orders</Anchor>
    </EmptyState>
  );
}
