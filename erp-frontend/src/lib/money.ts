// Money in the browser: integers in minor units for arithmetic, decimal strings for the API,
// Intl for display. The currency lists follow Stripe's (the same as the sales-service's).

const ZERO_DECIMAL = new Set(
  "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split(" "),
);
const THREE_DECIMAL = new Set("bhd jod kwd omr tnd".split(" "));
// Stripe charges three-decimal amounts in steps of 10 minor units and ISK in whole krónur
// (sent with two decimals, always 00); the sales-service refuses the rest.
const CHARGE_STEP_MINOR: Record<string, number> = { isk: 100, ...Object.fromEntries([...THREE_DECIMAL].map((code) => [code, 10])) };

export function chargeStepMinor(currency: string): number {
  return CHARGE_STEP_MINOR[currency.toLowerCase()] ?? 1;
}

export function minorUnitExponent(currency: string): number {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** 1999 USD -> "$19.99" (in the reader's locale). */
export function formatMinor(amountMinor: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  return new Intl.NumberFormat(undefined, {
    style: "currency",
    currency: currency.toUpperCase(),
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(amountMinor / 10 ** exponent);
}

/** 1999 USD -> "19.99": exact, for prefilling inputs and sending to the API. */
export function minorToDecimalString(amountMinor: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  if (exponent === 0) return String(amountMinor);
  const sign = amountMinor < 0 ? "-" : "";
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, "0");
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export type ParsedAmount =
  | { ok: true; minor: number }
  | { ok: false; error: string };

/** "19.99" USD -> 1999, exactly (no floats); refuses signs, junk (only ASCII digits), too many
 * decimals and amounts Stripe cannot charge in the currency. */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const value = text.trim();
  if (value === "") return { ok: false, error: "Enter an amount" };
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(value);
  if (!match) return { ok: false, error: "Enter a number such as 12.50" };
  const exponent = minorUnitExponent(currency);
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > exponent) {
    return {
      ok: false,
      error:
        exponent === 0
          ? `${currency.toUpperCase()} has no decimal places`
          : `At most ${exponent} decimal places`,
    };
  }
  const whole = match[1] ?? "0";
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, "0") || "0");
  const step = chargeStepMinor(currency);
  if (minor % step !== 0) {
    return { ok: false, error: `Stripe charges ${currency.toUpperCase()} in steps of ${minorToDecimalString(step, currency)}` };
  }
  return { ok: true, minor };
}
