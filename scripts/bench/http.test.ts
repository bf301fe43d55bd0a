import { describe, expect, it } from "vitest";
import { httpRows, unexpectedResponses } from "./http";

const result = (stats: Record<string, number>, extra: Partial<{ errors: number; timeouts: number; mismatches: number; duration: number }> = {}) =>
  ({
    statusCodeStats: Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, { count: v }])),
    duration: 10,
    errors: 0,
    timeouts: 0,
    mismatches: 0,
    requests: { average: 0 },
    latency: { p50: 4, p99: 20 },
    ...extra,
  }) as never;

describe("autocannon results as rows", () => {
  it("counts non-2xx responses, or responses outside the expected statuses", () => {
    expect(unexpectedResponses(result({ 200: 90, 304: 5, 500: 5 }))).toBe(10);
    expect(unexpectedResponses(result({ 302: 40, 400: 2 }), [302])).toBe(2);
  });

  it("derives req/s from the responses and reports errors including timeouts", () => {
    const rows = httpRows("x", result({ 200: 1000 }, { errors: 1, timeouts: 2 }), { reqPerSec: "≥ 50", p99: "< 50" });
    const by = Object.fromEntries(rows.map((r) => [r.metric, r]));
    expect(by["req/s"]).toMatchObject({ value: 100, target: "≥ 50" });
    expect(by["latency p99"]).toMatchObject({ value: 20, target: "< 50" });
    expect(by["errors"]!.value).toBe(3);
    expect(by["non-2xx"]!.value).toBe(0);
    expect(httpRows("x", result({ 302: 10 }), { expect: [302], rateName: "logins/s" }).map((r) => r.metric)).toContain("logins/s");
    expect(rows.map((r) => r.metric)).not.toContain("no responses");
  });

  it("reports a run in which no response came back", () => {
    expect(httpRows("x", result({})).find((r) => r.metric === "no responses")?.value).toBe(1);
  });
});
