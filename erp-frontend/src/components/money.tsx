import { Text, type TextProps } from "@mantine/core";
import { formatMinor } from "@/lib/money";

interface MoneyProps extends TextProps {
  minor: number;
  currency: string;
}

/** An amount, right-aligned figures for tables. */
export function Money({ minor, currency, ...props }: MoneyProps) {
  return (
    <Text component="span" inherit style={{ fontVariantNumeric: "tabular-nums" }} {...props}>
      {formatMinor(minor, currency)}
    </Text>
  );
}
