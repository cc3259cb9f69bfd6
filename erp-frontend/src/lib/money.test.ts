import { describe, expect, it } from "vitest";
import { formatMinor, minorToDecimalString, minorUnitExponent, parseAmount } from "./money";

describe("minor units", () => {
  it("follows Stripe's zero- and three-decimal currencies", () => {
    expect(minorUnitExponent("USD")).toBe(2);
    expect(minorUnitExponent("jpy")).toBe(0);
    expect(minorUnitExponent("kwd")).toBe(3);
  });

  it("writes minor amounts as exact decimal strings", () => {
    expect(minorToDecimalString(29998, "usd")).toBe("299.98");
    expect(minorToDecimalString(5, "usd")).toBe("0.05");
    expect(minorToDecimalString(1000, "jpy")).toBe("1000");
    expect(minorToDecimalString(12345, "kwd")).toBe("12.345");
  });

  it("formats for display with the currency's decimals", () => {
    expect(formatMinor(29998, "usd")).toMatch(/299\.98/);
    expect(formatMinor(1000, "jpy")).not.toMatch(/\./);
  });
});

describe("parseAmount", () => {
  it.each([
    ["19.99", "usd", 1999],
    ["0.1", "usd", 10],
    ["1000.00", "jpy", 1000],
    ["12.340", "kwd", 12340],
    ["12.34", "kwd", 12340],
    ["2", "isk", 200],
    ["10.55", "huf", 1055],
    [" 7 ", "usd", 700],
  ])("reads %s %s exactly as %i", (text, currency, minor) => {
    expect(parseAmount(text, currency)).toEqual({ ok: true, minor });
  });

  it.each([
    ["", "usd", "Enter an amount"],
    ["-5", "usd", "Enter a number such as 12.50"],
    ["1e3", "usd", "Enter a number such as 12.50"],
    ["9.999", "usd", "At most 2 decimal places"],
    ["10.5", "jpy", "JPY has no decimal places"],
    ["10.005", "kwd", "Stripe charges KWD in steps of 0.010"],
    ["1.50", "isk", "Stripe charges ISK in steps of 1.00"],
    ["\u0661\u0660", "usd", "Enter a number such as 12.50"],
    ["\uff11\uff10", "usd", "Enter a number such as 12.50"],
  ])("refuses %j in %s", (text, currency, error) => {
    expect(parseAmount(text, currency)).toEqual({ ok: false, error });
  });
});
