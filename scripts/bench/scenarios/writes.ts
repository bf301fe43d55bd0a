import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { httpRows } from "../http";
import { ROOT } from "../server";
import type { BenchRow, Scenario } from "../types";

interface WriterResult {
  writes: number;
  errors: number;
  errorSample: string[];
  elapsedMs: number;
  latencies: number[];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function runWriter(dbUrl: string, job: object): Promise<WriterResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/bench/writer.ts")], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: dbUrl, BENCH_WRITER_JOB: JSON.stringify(job) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const guard = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("exit", (code) => {
      clearTimeout(guard);
      if (code !== 0) return reject(new Error(`writer process exited ${code}: ${err.trim().split("\n").slice(-3).join(" ")}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()!) as WriterResult);
      } catch (e) {
        reject(e);
      }
    });
  });
}

function summarise(results: WriterResult[]) {
  const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const writes = results.reduce((a, r) => a + r.writes, 0);
  const errors = results.reduce((a, r) => a + r.errors, 0);
  const elapsed = Math.max(...results.map((r) => r.elapsedMs));
  return { all, writes, errors, rate: writes / (elapsed / 1000), samples: results.flatMap((r) => r.errorSample) };
}

/**
 * Write throughput through the single-writer design (docs/decisions/0002 and 0006), in two rounds:
 *  1. one writer process with 50 concurrent one-row write transactions (session inserts, the app's most common
 *     write) through `database.write`: the in-process mutex serialises them;
 *  2. one writer process per server worker, each with 50 concurrent writes, all on the server's database file
 *     while autocannon reads GET /account (session + grants) from the server: across processes SQLite's WAL write
 *     lock and the 5 s busy timeout serialise them, and readers must not be blocked.
 */
export default {
  name: "writes",
  description: "write transactions: 1 process × 50, then 1 process per worker × 50 while GET /account reads",
  async run(ctx) {
    const processes = Math.max(2, ctx.options.workers || os.availableParallelism());
    const durationMs = ctx.options.duration * 1000;
    const job = (i: number, startAt: number) => ({ startAt, durationMs, concurrency: 50, maxWrites: 200_000, username: "hocvien", tag: `w${i}` });

    const one = summarise([await runWriter(ctx.dbUrl, job(0, Date.now() + 2000))]);
    ctx.log(`1 process: ${Math.round(one.rate)} writes/s`);

    const cookie = await ctx.login("hocvien");
    const startAt = Date.now() + 4000; // writer processes need ~1–2 s to start (tsx)
    const writers = Array.from({ length: processes }, (_, i) => runWriter(ctx.dbUrl, job(i + 1, startAt)));
    await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
    const reads = await ctx.autocannon({ url: "/account", headers: { cookie }, connections: 10, duration: ctx.options.duration });
    const many = summarise(await Promise.all(writers));
    for (const r of [one, many]) if (r.errors > 0) ctx.log(`write errors, e.g.: ${r.samples.slice(0, 3).join(" | ")}`);
    const read = httpRows("writes", reads);
    const pick = (metric: string) => read.find((r) => r.metric === metric)!;
    return [
      { scenario: "writes", metric: "1 process: writes/s", value: one.rate, unit: "writes/s", target: "≥ 500" },
      { scenario: "writes", metric: "1 process: write latency p99", value: percentile(one.all, 99), unit: "ms", target: "< 200" },
      { scenario: "writes", metric: `${processes} processes: writes/s`, value: many.rate, unit: "writes/s", target: "≥ 500" },
      { scenario: "writes", metric: `${processes} processes: write latency p50`, value: percentile(many.all, 50), unit: "ms" },
      { scenario: "writes", metric: `${processes} processes: write latency p99`, value: percentile(many.all, 99), unit: "ms", target: "< 200" },
      { scenario: "writes", metric: `${processes} processes: write latency max`, value: many.all.length ? many.all[many.all.length - 1]! : NaN, unit: "ms", target: "< 5000" },
      { scenario: "writes", metric: "errors", value: one.errors + many.errors + reads.errors + reads.timeouts, unit: "count", target: "= 0" },
      { ...pick("req/s"), metric: "GET /account req/s during writes" },
      { ...pick("latency p99"), metric: "GET /account p99 during writes", target: "< 200" },
      pick("non-2xx"),
    ] satisfies BenchRow[];
  },
} satisfies Scenario;
