import { describe, expect, it } from "vitest";
import { failureOf, formatValue, judge, parseTarget, renderTable } from "./table";

describe("bench targets", () => {
  it.each([
    ["≥ 1500", { op: ">=", value: 1500 }],
    [">=1,500", { op: ">=", value: 1500 }],
    ["< 50", { op: "<", value: 50 }],
    ["< 50 ms", { op: "<", value: 50 }],
    ["≤ 10", { op: "<=", value: 10 }],
    ["= 0", { op: "=", value: 0 }],
    ["> 0.5", { op: ">", value: 0.5 }],
    ["300", { op: "<=", value: 300 }],
    [300, { op: "<=", value: 300 }],
  ] as const)("reads %j", (text, expected) => {
    expect(parseTarget(text)).toEqual(expected);
  });

  it("returns null for no target or one it cannot read", () => {
    expect(parseTarget(undefined)).toBeNull();
    expect(parseTarget("fast")).toBeNull();
  });

  it.each([
    [1500, "≥ 1500", "pass"],
    [1499.9, "≥ 1500", "miss"],
    [49.9, "< 50", "pass"],
    [50, "< 50", "miss"],
    [0, "= 0", "pass"],
    [1, "= 0", "miss"],
    [NaN, "< 50", "miss"],
    [5, undefined, ""],
  ] as const)("judges %d against %s as %s", (value, target, verdict) => {
    expect(judge({ value, target })).toBe(verdict);
  });

  it("fails a scenario on errors, unexpected statuses or a throw, not on a missed target", () => {
    const base = { scenario: "x", unit: "count" };
    expect(failureOf([{ ...base, metric: "req/s", value: 1, target: "≥ 1000" }, { ...base, metric: "errors", value: 0 }])).toBeNull();
    expect(failureOf([{ ...base, metric: "errors", value: 3 }])).toBe("errors = 3");
    expect(failureOf([{ ...base, metric: "non-2xx", value: 12 }, { ...base, metric: "failed", value: 1 }])).toBe("non-2xx = 12, failed = 1");
  });

  it("formats values and aligns the table", () => {
    expect(formatValue(1234.56)).toBe("1,235");
    expect(formatValue(12.345)).toBe("12.3");
    expect(formatValue(1.2345)).toBe("1.23");
    expect(formatValue(7)).toBe("7");
    const table = renderTable([
      { scenario: "landing", metric: "req/s", value: 1520.4, unit: "req/s", target: "≥ 1500", ok: "pass" },
      { scenario: "landing", metric: "latency p99", value: 61, unit: "ms", target: "< 50", ok: "miss" },
      { scenario: "server", metric: "start", value: 812, unit: "ms", ok: "" },
    ]).split("\n");
    expect(table[0]).toMatch(/^scenario\s+metric\s+value\s+unit\s+target\s+ok\?$/);
    expect(table[2]).toMatch(/^landing\s+req\/s\s+1,520\s+req\/s\s+≥ 1500\s+PASS$/);
    expect(table[3]).toMatch(/miss$/);
    expect(table[4]).toMatch(/^server\s+start\s+812\s+ms$/);
    // Values are right-aligned in one column.
    expect(table[2]!.indexOf("1,520") + 5).toBe(table[3]!.indexOf("61") + 2);
  });
});
