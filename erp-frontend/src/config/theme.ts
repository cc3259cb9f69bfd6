import { createTheme } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "blue",
  defaultRadius: "md",
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif',
  headings: { fontWeight: "650" },
  components: {
    Table: { defaultProps: { verticalSpacing: "sm", highlightOnHover: true } },
  },
});
