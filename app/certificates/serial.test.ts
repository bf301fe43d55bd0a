import { describe, expect, it } from "vitest";
import { formatSerial, isValidSerial, mod3736Check, parseSerial } from "./serial";

describe("mod3736Check (ISO/IEC 7064 MOD 37,36)", () => {
  it.each([
    // Published example of ISO 7064 MOD 37,36 (also in python-stdnum's iso7064.mod_37_36 docs).
    ["A12425GABC1234002", "M"],
  ])("check(%s) = %s", (body, check) => {
    expect(mod3736Check(body)).toBe(check);
  });
});

describe("formatSerial", () => {
  it.each([
    ["KNS", 2025, 123],
    ["AIC", 2026, 1],
    ["QLD", 2025, 999_999],
    ["HTX", 2030, 45_678],
    ["LDS", 2025, 10],
  ] as const)("%s %i %i is canonical and valid", (prefix, year, seq) => {
    const s = formatSerial(prefix, year, seq);
    expect(s).toMatch(new RegExp(`^${prefix}-${year}-${String(seq).padStart(6, "0")}-[0-9A-Z]$`));
    expect(isValidSerial(s)).toBe(true);
    const p = parseSerial(s);
    expect(p).toEqual({ ok: true, value: { serial: s, prefix, year, sequence: seq, check: s.at(-1) } });
  });

  it.each([
    ["kns", 2025, 1, /prefix/],
    ["K", 2025, 1, /prefix/],
    ["KN5", 2025, 1, /prefix/],
    ["KNS", 1999, 1, /year/],
    ["KNS", 2025.5, 1, /year/],
    ["KNS", 2025, 0, /sequence/],
    ["KNS", 2025, 1_000_000, /sequence/],
  ] as const)("rejects %s %s %s", (prefix, year, seq, msg) => {
    expect(() => formatSerial(prefix, year, seq)).toThrow(msg);
  });
});

describe("parseSerial", () => {
  const good = formatSerial("KNS", 2025, 123);
  const [prefix, year, seq, check] = good.split("-") as [string, string, string, string];

  it.each([
    [good],
    [good.toLowerCase()],
    [`  ${good}  `],
    [`${prefix} ${year} ${seq} ${check}`.toLowerCase()],
    [`${prefix} - ${year} - ${seq} - ${check}`],
    [`${prefix}–${year}—${seq}-${check}`],
  ])("accepts %j", (input) => {
    const r = parseSerial(input);
    expect(r.ok && r.value.serial).toBe(good);
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["KNS-2025-123-" + check, "format"],
    ["KNS-2025-0001234-" + check, "format"],
    ["KNS2025000123" + check, "format"],
    ["KNS-25-000123-" + check, "format"],
    ["KNS-2025-000123", "format"],
    ["KNS-1999-000123-" + mod3736Check("KNS1999000123"), "year"],
    ["KNS-2025-000000-" + mod3736Check("KNS2025000000"), "sequence"],
  ])("rejects %j with reason %s", (input, reason) => {
    const r = parseSerial(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message.length).toBeGreaterThan(10);
    }
  });

  it("isValidSerial is strict about canonical form", () => {
    expect(isValidSerial(good)).toBe(true);
    expect(isValidSerial(good.toLowerCase())).toBe(false);
    expect(isValidSerial(` ${good}`)).toBe(false);
  });
});

describe("typo detection", () => {
  const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const samples = [
    formatSerial("KNS", 2025, 123),
    formatSerial("AIC", 2026, 987_654),
    formatSerial("QLD", 2027, 500_001),
    formatSerial("HTX", 2025, 42),
    formatSerial("LDS", 2031, 777_777),
  ];

  it.each(samples)("every single-character substitution in %s is rejected", (serial) => {
    let tried = 0;
    for (let i = 0; i < serial.length; i++) {
      if (serial[i] === "-") continue;
      for (const c of ALNUM) {
        if (c === serial[i]) continue;
        const typo = serial.slice(0, i) + c + serial.slice(i + 1);
        tried++;
        expect(parseSerial(typo).ok, typo).toBe(false);
      }
    }
    expect(tried).toBe((serial.length - 3) * 35);
  });

  it.each(samples)("every adjacent transposition of different characters in %s is rejected", (serial) => {
    const compact = serial.replace(/-/g, "");
    let tried = 0;
    for (let i = 0; i + 1 < compact.length; i++) {
      if (compact[i] === compact[i + 1]) continue;
      const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
      const pfx = serial.indexOf("-");
      const typo = `${swapped.slice(0, pfx)}-${swapped.slice(pfx, pfx + 4)}-${swapped.slice(pfx + 4, pfx + 10)}-${swapped.slice(pfx + 10)}`;
      tried++;
      expect(parseSerial(typo).ok, typo).toBe(false);
    }
    expect(tried).toBeGreaterThan(5);
  });
});
