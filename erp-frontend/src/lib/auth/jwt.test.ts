import { describe, expect, it } from "vitest";
import { fakeToken } from "@/testing/fixtures";
import { isExpired, readClaims } from "./jwt";
import { permissionsFor } from "./permissions";

describe("readClaims", () => {
  it("reads subject, roles and expiry", () => {
    const claims = readClaims(fakeToken(["finance"], { sub: "alice" }));
    expect(claims).toMatchObject({ sub: "alice", roles: ["finance"], scope: "" });
    expect(claims && isExpired(claims)).toBe(false);
  });

  it("rejects text that is not a JWT with a subject", () => {
    expect(readClaims("not a token")).toBeNull();
    expect(readClaims("a.b.c")).toBeNull();
  });

  it("notices an expired token", () => {
    const claims = readClaims(fakeToken(["sales"], { expiresIn: -10 }));
    expect(claims && isExpired(claims)).toBe(true);
  });
});

describe("permissionsFor", () => {
  it("mirrors the service's role table", () => {
    expect([...permissionsFor(["sales"], "")].sort()).toEqual(["orders:read", "orders:write", "payments:capture", "payments:read", "payments:write"]);
    expect(permissionsFor(["finance"], "").has("refunds:write")).toBe(true);
    expect(permissionsFor(["finance"], "").has("payments:write")).toBe(true);
    expect(permissionsFor(["finance"], "").has("payments:capture")).toBe(true);
    expect(permissionsFor(["finance"], "").has("orders:write")).toBe(false);
    expect(permissionsFor(["admin"], "").has("payments:capture")).toBe(true);
    expect([...permissionsFor(["service"], "orders:read bogus")]).toEqual(["orders:read"]);
  });
});
