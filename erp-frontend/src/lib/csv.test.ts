import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes commas, quotes and newlines, and leaves empty cells empty", () => {
    expect(toCsv(["a", "b", "c"], [["x,y", 'say "hi"', null], [1, "two\nlines", undefined]])).toBe(
      'a,b,c\r\n"x,y","say ""hi""",\r\n1,"two\nlines",\r\n',
    );
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(toCsv(["note"], [["=HYPERLINK(1)"], ["+1"], ["@SUM(A1)"]])).toBe("note\r\n'=HYPERLINK(1)\r\n'+1\r\n'@SUM(A1)\r\n");
  });
});
