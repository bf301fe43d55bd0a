/**
 * `npm run bench [scenario…] [-- --people N --roster N --duration S --connections N --workers N --keep --strict]`
 *
 * Builds if needed, prepares a fresh database in .cache/bench/<run>/ (migrations, reference tree, demo accounts and
 * a synthetic national roster of --roster people), starts the production server on 127.0.0.1 with one worker per
 * core, runs the scenarios in scripts/bench/scenarios/ one after another (every HTTP request goes to loopback,
 * every load run is bounded in time), prints one table and writes it to bench/results/latest.json.
 * Exit code 1 when a scenario failed (errors, unexpected statuses, or it threw); missed targets are reported as
 * "miss" but only fail the run with --strict.
 */
import autocannon from "autocannon";
import { Command } from "commander";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { migrateDatabase, openDatabase } from "../../db/client";
import { loadReferenceData } from "../../db/reference";
import { DEMO_PASSWORD, seedDemo } from "../../db/seed/demo";
import { seedNational } from "../../db/seed/national";
import { createProgressBar, formatDuration } from "./progress";
import { treeCpuMs, treeRss } from "./proc";
import { ROOT, ensureBuild, isLoopbackUrl, startServer, type RunningServer } from "./server";
import { failureOf, judge, renderTable, type JudgedRow } from "./table";
import type { BenchContext, BenchOptions, BenchRow, Scenario } from "./types";

export const SCENARIO_DIR = path.join(ROOT, "scripts/bench/scenarios");
/** Scenarios in this order first; any others after them, alphabetically, and these two last. */
const FIRST = ["healthz", "landing", "login", "hr-home"];
const LAST = ["writes", "national-seed"];
const MAX_DURATION_S = 60;
const MAX_CONNECTIONS = 2000;

const log = (m: string) => process.stderr.write(`${m}\n`);

/**
 * The harness's own requests (readiness, warm-up, drain checks, logins) close their connection. A kept-alive
 * socket left in fetch's pool is closed by the server after 5 idle seconds; a scenario that then blocks its event
 * loop for longer (synchronous libSQL setup writes) never sees the close and sends its first request down the dead
 * socket: "fetch failed (other side closed)". That is how `certificates` failed in the full bench run.
 */
export const CLOSE: Record<string, string> = { connection: "close" };

export async function loadScenarios(dir = SCENARIO_DIR): Promise<Scenario[]> {
  const files = readdirSync(dir).filter((f) => /\.(ts|mts|js)$/.test(f) && !/\.(test|d)\.[mc]?ts$/.test(f));
  const out: Scenario[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default?: Scenario };
    const s = mod.default;
    if (!s || typeof s.name !== "string" || typeof s.run !== "function") throw new Error(`scripts/bench/scenarios/${f} must export default { name, description, run(ctx) }`);
    out.push(s);
  }
  return orderScenarios(out);
}

export function orderScenarios(list: Scenario[]): Scenario[] {
  const rank = (s: Scenario) => (FIRST.includes(s.name) ? FIRST.indexOf(s.name) : LAST.includes(s.name) ? 1000 + LAST.indexOf(s.name) : 100);
  return [...list].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

function cookieFrom(setCookies: string[], name = "lms_session"): string | null {
  for (const c of setCookies) {
    const m = new RegExp(`^${name}=([^;]+)`).exec(c);
    if (m && m[1]) return `${name}=${m[1]}`;
  }
  return null;
}

export function createContext(server: { baseUrl: string; pid: number } | null, dbUrl: string, options: BenchOptions): BenchContext {
  const baseUrl = server?.baseUrl ?? "http://127.0.0.1:0";
  const needServer = () => {
    if (!server) throw new Error("this scenario needs the server, but the bench was started without one");
  };
  return {
    baseUrl,
    dbUrl,
    options,
    log: (m) => log(`  ${m}`),
    async login(username, password = DEMO_PASSWORD) {
      needServer();
      const r = await fetch(`${baseUrl}/login`, {
        method: "POST",
        body: new URLSearchParams({ username, password }),
        headers: CLOSE,
        redirect: "manual",
        signal: AbortSignal.timeout(15_000),
      });
      const cookie = cookieFrom(r.headers.getSetCookie());
      if (!cookie) throw new Error(`login as ${username} failed: HTTP ${r.status}`);
      return cookie;
    },
    async autocannon(opts) {
      needServer();
      const url = opts.url === undefined ? baseUrl : opts.url.startsWith("/") ? `${baseUrl}${opts.url}` : opts.url;
      if (!isLoopbackUrl(url)) throw new Error(`bench requests go to loopback only; refused ${url}`);
      const duration = Math.min(Number(opts.duration ?? options.duration), MAX_DURATION_S);
      const connections = Math.min(opts.connections ?? options.connections, MAX_CONNECTIONS);
      const amount = opts.amount === undefined ? undefined : Math.min(opts.amount, 5_000_000);
      const instance = autocannon({ ...opts, url, duration, connections, amount });
      const guard = setTimeout(() => instance.stop(), (duration + 30) * 1000); // hard stop, whatever the options
      try {
        return await instance;
      } finally {
        clearTimeout(guard);
      }
    },
    async timeIt(label, fn) {
      const t = performance.now();
      await fn();
      const ms = performance.now() - t;
      log(`  ${label}: ${ms.toFixed(1)} ms`);
      return ms;
    },
    serverRss: () => (server ? Math.round(treeRss(server.pid).totalMb) : 0),
    serverMaxProcessRss: () => (server ? Math.round(treeRss(server.pid).maxMb) : 0),
    serverCpuMs: () => (server ? treeCpuMs(server.pid) : 0),
  };
}

/** Counts the server's worker processes (children of the primary running build/server/worker.js, or scripts/start.ts for a build without the worker bundle). */
function workerCount(pid: number): number {
  const { pids } = treeRss(pid);
  let n = 0;
  for (const p of pids) {
    if (p === pid) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
      if (cmd.includes("build/server/worker.js") || cmd.includes("scripts/start.ts")) n++;
    } catch {
      // gone
    }
  }
  return n;
}

/**
 * Waits (at most 60 s) until the server answers /healthz quickly twice in a row: requests still queued from a
 * scenario whose load outlived its run must not be billed to the next one.
 */
async function settle(baseUrl: string): Promise<void> {
  const started = performance.now();
  let quick = 0;
  while (quick < 2 && performance.now() - started < 60_000) {
    const t = performance.now();
    try {
      await fetch(`${baseUrl}/healthz`, { headers: CLOSE, signal: AbortSignal.timeout(5000) }).then((r) => r.arrayBuffer());
      quick = performance.now() - t < 500 ? quick + 1 : 0;
    } catch {
      quick = 0;
    }
    if (quick < 2) await new Promise((r) => setTimeout(r, 100));
  }
  const waited = performance.now() - started;
  if (waited > 1000) log(`  (waited ${formatDuration(waited)} for the server to drain the previous load)`);
}

async function prepareBenchDatabase(dbFile: string, roster: number): Promise<void> {
  const database = await openDatabase(`file:${dbFile}`);
  try {
    await migrateDatabase(database);
    await loadReferenceData(database);
    await seedDemo(database);
    if (roster > 0) {
      const bar = createProgressBar();
      await seedNational(database, { people: roster, seed: 42, onProgress: (p, d, t) => bar.update(`roster ${p}`, d, t) });
      bar.end();
    }
  } finally {
    database.close();
  }
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const program = new Command()
    .name("npm run bench")
    .argument("[scenarios...]", "scenario names (default: all)")
    .option("--people <n>", "people for the national-seed scenario", (v) => Number(v.replace(/[_,]/g, "")), 200_000)
    .option("--roster <n>", "synthetic roster in the server's database (0: demo data only)", (v) => Number(v.replace(/[_,]/g, "")), 100_000)
    .option("--duration <s>", "seconds per load run", Number, 8)
    .option("--connections <n>", "default concurrent connections", Number, 20)
    .option("--workers <n>", "server worker processes (WEB_CONCURRENCY)", Number, os.availableParallelism())
    .option("--port <n>", "the server's port on 127.0.0.1 (default: BENCH_PORT, else any free port)", Number, process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined)
    .option("--json <file>", "where to write the results", "bench/results/latest.json")
    .option("--keep", "keep the database and server log in .cache/bench/")
    .option("--strict", "also exit 1 when a target is missed")
    .option("--list", "list the scenarios and exit")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const o = program.opts<{ people: number; roster: number; duration: number; connections: number; workers: number; port?: number; json: string; keep?: boolean; strict?: boolean; list?: boolean }>();
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 1024 && o.port <= 65535)) throw new Error(`--port must be a whole number from 1024 to 65535, got ${o.port}`);
  for (const [k, v] of Object.entries({ people: o.people, roster: o.roster, duration: o.duration, connections: o.connections, workers: o.workers })) {
    if (!Number.isFinite(v) || v < 0 || (k !== "roster" && v === 0)) throw new Error(`--${k} must be a positive number, got ${v}`);
  }
  const all = await loadScenarios();
  if (o.list) {
    for (const s of all) console.log(`${s.name.padEnd(16)} ${s.description}`);
    return 0;
  }
  const wanted = program.args;
  const unknown = wanted.filter((w) => !all.some((s) => s.name === w));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(", ")}; known: ${all.map((s) => s.name).join(", ")}`);
  const selected = wanted.length > 0 ? all.filter((s) => wanted.includes(s.name)) : all;
  const options: BenchOptions = { people: o.people, roster: o.roster, duration: Math.min(o.duration, MAX_DURATION_S), connections: o.connections, workers: o.workers };

  const started = Date.now();
  const runDir = path.join(ROOT, ".cache/bench", new Date(started).toISOString().replace(/[:.]/g, "-"));
  const dbFile = path.join(runDir, "lms.db");
  const dbUrl = `file:${dbFile}`;
  mkdirSync(runDir, { recursive: true });
  const rows: JudgedRow[] = [];
  const failures: { scenario: string; reason: string }[] = [];
  let server: RunningServer | null = null;
  const cleanup = async () => {
    await server?.stop();
    server = null;
  };
  const onSignal = () => {
    void cleanup().then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // Other work on the machine skews every number below: record how busy it was.
  rows.push({ scenario: "machine", metric: "load average (1 min) at start", value: os.loadavg()[0]!, unit: `on ${os.availableParallelism()} cores`, ok: "" });
  try {
    const needsServer = selected.some((s) => s.needsServer !== false);
    if (needsServer) {
      ensureBuild(log);
      log(`Preparing a fresh database in ${path.relative(ROOT, runDir)} (demo accounts${options.roster > 0 ? ` + ${options.roster.toLocaleString("en")}-person roster` : ""})…`);
      await prepareBenchDatabase(dbFile, options.roster);
      const t = performance.now();
      server = await startServer({ dbUrl, dataDir: path.join(runDir, "data"), workers: options.workers, logFile: path.join(runDir, "server.log"), port: o.port });
      const startMs = performance.now() - t;
      // Warm every worker (first requests open the database and load the build).
      for (let i = 0; i < 20 * options.workers; i++) await fetch(`${server.baseUrl}/`, { headers: CLOSE }).then((r) => r.arrayBuffer());
      const workers = options.workers > 1 ? workerCount(server.pid) : 1;
      log(`Server ${server.baseUrl} ready in ${Math.round(startMs)} ms with ${workers} worker(s).`);
      rows.push(
        { scenario: "server", metric: "start to /healthz", value: startMs, unit: "ms", ok: "" },
        { scenario: "server", metric: "worker processes", value: workers, unit: "count", target: `= ${options.workers}`, ok: judge({ value: workers, target: `= ${options.workers}` }) },
      );
    }
    const ctx = createContext(server, dbUrl, options);
    for (const s of selected) {
      if (server && s.needsServer !== false) await settle(server.baseUrl);
      log(`▶ ${s.name}: ${s.description}`);
      let peakTotal = 0;
      let peakMax = 0;
      const sample = () => {
        if (!server) return;
        const r = treeRss(server.pid);
        peakTotal = Math.max(peakTotal, r.totalMb);
        peakMax = Math.max(peakMax, r.maxMb);
      };
      const timer = setInterval(sample, 250);
      const t = performance.now();
      let got: BenchRow[] = [];
      try {
        got = await s.run(ctx);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        got = [{ scenario: s.name, metric: "failed", value: 1, unit: "count", target: "= 0" }];
        failures.push({ scenario: s.name, reason });
      } finally {
        clearInterval(timer);
        sample();
      }
      if (server && s.needsServer !== false) {
        got.push(
          { scenario: s.name, metric: "server RSS peak, all processes", value: peakTotal, unit: "MB" },
          { scenario: s.name, metric: "server RSS peak, largest process", value: peakMax, unit: "MB", target: "< 300" },
        );
      }
      for (const r of got) rows.push({ ...r, scenario: r.scenario || s.name, ok: judge(r) });
      const why = failureOf(got);
      if (why && !failures.some((f) => f.scenario === s.name)) failures.push({ scenario: s.name, reason: why });
      log(`  done in ${formatDuration(performance.now() - t)}`);
    }
  } finally {
    await cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (!o.keep) rmSync(runDir, { recursive: true, force: true });
  }

  console.log("");
  console.log(renderTable(rows));
  console.log("");
  const misses = rows.filter((r) => r.ok === "miss");
  for (const f of failures) console.log(`FAILED: ${f.scenario}: ${f.reason}`);
  if (misses.length > 0) console.log(`${misses.length} target(s) missed: ${misses.map((r) => `${r.scenario} ${r.metric}`).join("; ")}`);
  const jsonPath = path.resolve(ROOT, o.json);
  mkdirSync(path.dirname(jsonPath), { recursive: true });
  const cpus = os.cpus();
  writeFileSync(
    jsonPath,
    `${JSON.stringify(
      {
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        machine: { cpus: cpus.length, model: cpus[0]?.model ?? "", memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg() },
        options,
        scenarios: selected.map((s) => s.name),
        rows,
        failures,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`Results written to ${path.relative(ROOT, jsonPath)} (${formatDuration(Date.now() - started)} in all).`);
  return failures.length > 0 || (o.strict && misses.length > 0) ? 1 : 0;
}
