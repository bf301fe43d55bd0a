/**
 * The scenario contract of `npm run bench` (scripts/bench.ts). A scenario is a module in scripts/bench/scenarios/
 * whose default export is a `Scenario`; the harness starts the production server once, then calls each selected
 * scenario's `run(ctx)` in turn and prints every returned row in one table.
 *
 * Rows: `value` is a number in `unit`; `target` is optional and reads like "≥ 1500", ">= 1500", "< 50", "≤ 10",
 * "= 0" (a bare number means "≤ that number"). A row whose metric is "errors" or "non-2xx" with a value above 0
 * fails the scenario (the bench prints why and exits 1); a missed target only marks the row "miss".
 */
import type autocannon from "autocannon";

export interface BenchRow {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  target?: string | number;
}

export interface BenchOptions {
  /** People for the national-seed scenario (default 200,000). */
  people: number;
  /** People in the server database's synthetic roster (default 100,000; 0 = demo data only). */
  roster: number;
  /** Seconds per autocannon run unless a scenario says otherwise. */
  duration: number;
  /** Default autocannon connections. */
  connections: number;
  /** Server worker processes (WEB_CONCURRENCY). */
  workers: number;
}

export interface BenchContext {
  /** http://127.0.0.1:<port> of the production server under test. */
  baseUrl: string;
  /** DATABASE_URL of the server's database (a fresh file in .cache/bench/). */
  dbUrl: string;
  /** Logs in through POST /login (demo password unless given) and returns the Cookie header value. */
  login(username: string, password?: string): Promise<string>;
  /**
   * autocannon against the server: `url` may be a path ("/hr") or a loopback URL; anything else is refused.
   * `duration` defaults to the bench's --duration and is capped at 60 s; `connections` is capped at 2,000; a run
   * is stopped after duration + 30 s whatever it was asked to do.
   */
  autocannon(opts: Omit<autocannon.Options, "url"> & { url?: string }): Promise<autocannon.Result>;
  /** Runs `fn` once and returns the elapsed milliseconds (and logs "label: N ms" on stderr). */
  timeIt(label: string, fn: () => unknown): Promise<number>;
  /** Resident memory of the server (primary + workers), in MB, now. */
  serverRss(): number;
  /** Resident memory of the largest single server process, in MB, now. */
  serverMaxProcessRss(): number;
  /** CPU time used so far by the server (primary + workers), in ms: the difference over a run is its cost. */
  serverCpuMs(): number;
  /** The bench's command-line options. */
  options: BenchOptions;
  /** A progress note on stderr. */
  log(message: string): void;
}

export interface Scenario {
  name: string;
  description: string;
  /** false for scenarios that do not talk to the server (the harness then skips starting it). */
  needsServer?: boolean;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
