/** Turning an autocannon result into bench rows (shared by the HTTP scenarios). */
import type autocannon from "autocannon";
import type { BenchRow } from "./types";

export interface HttpTargets {
  /** e.g. "≥ 1500" */
  reqPerSec?: string;
  /** e.g. "< 50" */
  p99?: string;
  p50?: string;
  /** Status codes that count as success (default: any 2xx). A login answers 302, for instance. */
  expect?: number[];
  /** Name for the throughput metric (default "req/s"), e.g. "logins/s". */
  rateName?: string;
}

/** Responses whose status is not an expected one (default: not 2xx). */
export function unexpectedResponses(result: Pick<autocannon.Result, "statusCodeStats">, expect?: number[]): number {
  let n = 0;
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    const status = Number(code);
    const ok = expect ? expect.includes(status) : status >= 200 && status < 300;
    if (!ok) n += Number(count);
  }
  return n;
}

export function httpRows(scenario: string, result: autocannon.Result, t: HttpTargets = {}): BenchRow[] {
  const total = Object.values(result.statusCodeStats ?? {}).reduce((a, s) => a + Number(s.count), 0);
  const rate = result.duration > 0 ? total / result.duration : result.requests.average;
  return [
    { scenario, metric: t.rateName ?? "req/s", value: rate, unit: "req/s", target: t.reqPerSec },
    { scenario, metric: "latency p50", value: result.latency.p50, unit: "ms", target: t.p50 },
    { scenario, metric: "latency p99", value: result.latency.p99, unit: "ms", target: t.p99 },
    { scenario, metric: "requests", value: total, unit: "count" },
    { scenario, metric: "errors", value: result.errors + result.timeouts + result.mismatches, unit: "count", target: "= 0" },
    { scenario, metric: "non-2xx", value: unexpectedResponses(result, t.expect), unit: "count", target: "= 0" },
    // A run in which nothing came back (every request slower than the run) is a failure, not "0 errors".
    ...(total === 0 ? [{ scenario, metric: "no responses", value: 1, unit: "count", target: "= 0" }] : []),
  ];
}
