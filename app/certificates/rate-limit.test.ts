import { describe, expect, it } from "vitest";
import { CREDENTIAL_IDS } from "#db/schema";
import { CREDENTIAL_OPTIONS, filtersFromUrl, filtersQuery } from "./filters";
import { parseRate, TokenBuckets } from "./rate-limit";

describe("TokenBuckets", () => {
  it("allows a burst of `capacity`, then refills at the configured rate, per key", () => {
    const b = new TokenBuckets(3, 1); // 3 burst, 1 per second
    const t0 = 1_000_000;
    expect([1, 2, 3, 4].map(() => b.take("a", t0).ok)).toEqual([true, true, true, false]);
    expect(b.take("a", t0)).toMatchObject({ ok: false, retryAfter: 1 });
    expect(b.take("b", t0).ok).toBe(true); // other key unaffected
    expect(b.take("a", t0 + 999).ok).toBe(false);
    expect(b.take("a", t0 + 2_000).ok).toBe(true); // 2 tokens refilled, 1 taken
    expect(b.take("a", t0 + 2_000).ok).toBe(true);
    expect(b.check("a", t0 + 2_000).ok).toBe(false);
    expect(b.check("a", t0 + 10_000)).toMatchObject({ ok: true, remaining: 3 });
  });

  it("check does not consume; retryAfter is whole seconds", () => {
    const b = new TokenBuckets(1, 0.5);
    expect(b.check("x", 0).ok).toBe(true);
    expect(b.take("x", 0).ok).toBe(true);
    expect(b.check("x", 0)).toEqual({ ok: false, retryAfter: 2, remaining: 0 });
  });

  it("sweeps full buckets so memory stays bounded", () => {
    const b = new TokenBuckets(2, 1, 10);
    for (let i = 0; i < 10; i++) b.take(`k${i}`, 0);
    expect(b.size).toBe(10);
    b.take("new", 5_000); // all others refilled by now → swept
    expect(b.size).toBe(1);
    for (let i = 0; i < 30; i++) b.take(`busy${i}`, 5_000);
    expect(b.size).toBeLessThanOrEqual(10);
  });
});

describe("parseRate", () => {
  it.each([
    [undefined, { capacity: 20, perSecond: 20 / 60 }],
    ["", { capacity: 20, perSecond: 20 / 60 }],
    ["30/min", { capacity: 30, perSecond: 0.5 }],
    ["5/s", { capacity: 5, perSecond: 5 }],
    ["off", null],
  ])("%j → %j", (v, expected) => expect(parseRate(v, { capacity: 20, perSecond: 20 / 60 })).toEqual(expected));
  it("rejects nonsense", () => {
    expect(() => parseRate("lots", { capacity: 1, perSecond: 1 })).toThrow(/20\/min/);
    expect(() => parseRate("0/min", { capacity: 1, perSecond: 1 })).toThrow(/at least 1/);
  });
});

describe("list filters", () => {
  it("offer exactly the credentials of the schema", () => expect([...CREDENTIAL_OPTIONS]).toEqual([...CREDENTIAL_IDS]));
  it.each([
    ["?unit=G06&status=revoked&credential=leadership_dx&year=2026&q=Lan&page=2", { unit: "G06", status: "revoked", credential: "leadership_dx", year: 2026, q: "Lan", page: 2 }],
    ["?unit=G06&status=bogus&credential=nope&year=abc&page=-1", { unit: "G06" }],
    ["?status=&q=", {}],
  ])("%s", (qs, expected) => expect(filtersFromUrl(new URL(`http://x/hr/certificates${qs}`))).toEqual(expected));
  it("builds the export query without the page or the default status", () => {
    expect(filtersQuery({ unit: "G06", status: "all", page: 3, q: "Lan" })).toBe("unit=G06&q=Lan");
  });
});
