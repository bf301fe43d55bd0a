/**
 * Bench scenario "reports": the HR coverage reports on the bench's synthetic national roster.
 *  - counters rebuilt from scratch (`reports:rebuild`, the path after a bulk load) — informational;
 *  - the national roll-up (GET /hr as the administrator: every target for Viet Nam and its 56 ministries and
 *    provinces) and a ministry drill-down (GET /hr/units/G06 as its HR officer: targets, chart from month-end
 *    snapshots, departments sorted by status): one cold request each, then a short load run; target < 100 ms;
 *  - a national export of the people lacking basic digital skills as CSV (streamed): rows, seconds (target
 *    < 30 s for 2.5 M rows) and how much the largest server process grew meanwhile (flat memory).
 * Contract of the harness (scripts/bench/types.ts): default export { name, description, run(ctx) } returning rows
 * { scenario, metric, value, unit, target? }. The types are restated here so this module stands alone.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

interface Row {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  target?: string | number;
}

interface LoadResult {
  latency: { p50: number; p99: number };
  requests: { average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}

interface Ctx {
  baseUrl: string;
  dbUrl: string;
  login(username: string, password?: string): Promise<string>;
  autocannon(opts: { url?: string; headers?: Record<string, string>; duration?: number; connections?: number }): Promise<LoadResult>;
  timeIt(label: string, fn: () => unknown): Promise<number>;
  serverMaxProcessRss?(): number;
  log?(message: string): void;
}

const NAME = "reports";
const run = promisify(execFile);

async function fetchOk(ctx: Ctx, pathname: string, cookie: string): Promise<string> {
  const r = await fetch(`${ctx.baseUrl}${pathname}`, { headers: { cookie }, signal: AbortSignal.timeout(120_000) });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`GET ${pathname} answered ${r.status}`);
  return text;
}

function loadRows(label: string, r: LoadResult): Row[] {
  return [
    { scenario: NAME, metric: `${label} p50`, value: r.latency.p50, unit: "ms" },
    { scenario: NAME, metric: `${label} p99`, value: r.latency.p99, unit: "ms" },
    { scenario: NAME, metric: `${label} req/s`, value: r.requests.average, unit: "req/s" },
    { scenario: NAME, metric: "errors", value: r.errors + r.timeouts, unit: "count", target: "= 0" },
    { scenario: NAME, metric: "non-2xx", value: r.non2xx, unit: "count", target: "= 0" },
  ];
}

export default {
  name: NAME,
  description: "HR coverage: national roll-up and ministry drill-down (< 100 ms), counter rebuild, national CSV export",
  async run(ctx: Ctx): Promise<Row[]> {
    const rows: Row[] = [];
    // Log in first: the rebuild below holds the database's write lock and a login writes a session.
    const admin = await ctx.login("quantri");
    const ministry = await ctx.login("nhansu.bo");

    // A bulk load writes own-unit counters only; rebuild them (subtree rows, snapshots, the counters' day) the way
    // an operator does after one, in its own process.
    const rebuildMs = await ctx.timeIt("reports:rebuild", () =>
      run(path.resolve("node_modules/.bin/tsx"), ["scripts/cli.ts", "reports:rebuild"], { env: { ...process.env, DATABASE_URL: ctx.dbUrl }, maxBuffer: 1 << 20 }),
    );
    rows.push({ scenario: NAME, metric: "counters rebuild", value: rebuildMs / 1000, unit: "s" });

    // One request after another (what one officer waits for): the first, then the median of ten.
    const sequential = async (label: string, pathname: string, cookie: string, target?: string) => {
      const first = await ctx.timeIt(`${label}, first request`, () => fetchOk(ctx, pathname, cookie));
      const times: number[] = [];
      for (let i = 0; i < 10; i++) times.push(await ctx.timeIt(label, () => fetchOk(ctx, pathname, cookie)));
      times.sort((a, b) => a - b);
      rows.push({ scenario: NAME, metric: `${label} (first)`, value: first, unit: "ms" });
      rows.push({ scenario: NAME, metric: `${label} (median)`, value: times[5]!, unit: "ms", target });
    };
    await sequential("national roll-up /hr", "/hr", admin, "< 100");
    await sequential("national unit page", "/hr/units/VN", admin);
    await sequential("ministry drill-down", "/hr/units/G06?sort=gap", ministry, "< 100");

    // Under load: a few officers at once.
    rows.push(...loadRows("national roll-up", await ctx.autocannon({ url: "/hr", headers: { cookie: admin }, connections: 2, duration: 5 })));
    rows.push(...loadRows("ministry drill-down", await ctx.autocannon({ url: "/hr/units/G06", headers: { cookie: ministry }, connections: 2, duration: 5 })));

    // The national export, streamed: count rows as they arrive and watch the server's memory meanwhile.
    const rssBefore = ctx.serverMaxProcessRss?.() ?? 0;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, ctx.serverMaxProcessRss?.() ?? 0);
    }, 250);
    let lines = 0;
    let bytes = 0;
    const exportMs = await ctx.timeIt("national CSV export", async () => {
      try {
        const r = await fetch(`${ctx.baseUrl}/hr/units/VN/export?table=missing&target=T-DS-100&format=csv`, { headers: { cookie: admin }, signal: AbortSignal.timeout(600_000) });
        if (r.status !== 200 || !r.body) throw new Error(`export answered ${r.status}`);
        for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.byteLength;
          for (const b of chunk) if (b === 10) lines++;
        }
      } finally {
        clearInterval(sampler);
      }
    });
    const exported = Math.max(0, lines - 1);
    rows.push({ scenario: NAME, metric: "export rows", value: exported, unit: "rows" });
    rows.push({ scenario: NAME, metric: "export time", value: exportMs / 1000, unit: "s", target: "< 30" });
    rows.push({ scenario: NAME, metric: "export rate", value: exported / Math.max(exportMs / 1000, 0.001), unit: "rows/s" });
    rows.push({ scenario: NAME, metric: "export size", value: bytes / 1024 / 1024, unit: "MB" });
    if (ctx.serverMaxProcessRss) rows.push({ scenario: NAME, metric: "server RSS growth during export", value: rssPeak - rssBefore, unit: "MB", target: "< 200" });
    return rows;
  },
};
