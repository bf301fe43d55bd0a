/**
 * Bench scenario "lesson-pages": a logged-in learner reading lesson pages (full server render of the lesson, the
 * shell and the session check), cycling through every lesson of every course in the default language (vi).
 * Target on a 2-core machine (issue 4): ≥ 1,500 req/s and p99 < 50 ms.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

/*
 * Structural subsets of scripts/bench/types.ts (BenchContext, BenchRow), kept local so this module stands alone:
 * the harness passes its full context; only what is used here is declared.
 */
type AutocannonResult = {
  requests: { average: number; total?: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts?: number;
  non2xx: number;
};

export type LessonBenchContext = {
  baseUrl: string;
  login(username: string): Promise<string>;
  autocannon(opts: { url?: string; headers?: Record<string, string>; requests?: { method: string; path: string }[]; connections?: number; duration?: number }): Promise<AutocannonResult>;
  /** Resident memory of the server processes, in MB (the harness provides it). */
  serverRss?(): number;
  /** CPU time used so far by the server processes, in ms (the harness provides it). */
  serverCpuMs?(): number;
  log?(message: string): void;
};

export type BenchRow = { scenario: string; metric: string; value: number; unit: string; target?: string };

/** Every lesson URL of the compiled content (build/content/index.json, or LMS_CONTENT_DIR). */
export function lessonPaths(contentDir = process.env.LMS_CONTENT_DIR ?? "build/content"): string[] {
  const index = JSON.parse(readFileSync(path.resolve(contentDir, "index.json"), "utf8")) as {
    courses: { slug: string; lessons: { slug: string }[] }[];
  };
  return index.courses.flatMap((c) => c.lessons.map((l) => `/courses/${c.slug}/${l.slug}`));
}

const NAME = "lesson-pages";

export default {
  name: NAME,
  description: "Logged-in learner reading lesson pages (every lesson of every course, server-rendered)",
  async run(ctx: LessonBenchContext): Promise<BenchRow[]> {
    const paths = lessonPaths();
    if (paths.length === 0) throw new Error("lesson-pages: no lessons in build/content; run npm run build first");
    const cookie = await ctx.login("hocvien");
    const headers = { cookie, "accept-encoding": "gzip" };
    // Warm-up: every page once (content is parsed on first use, then kept in memory), and check each one works.
    for (const p of paths) {
      const res = await fetch(new URL(p, ctx.baseUrl), { headers, redirect: "manual" });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`lesson-pages: GET ${p} answered ${res.status} (is the learner logged in?)`);
    }
    ctx.log?.(`lesson-pages: ${paths.length} lessons, warmed up`);
    // Duration and connections: the bench's defaults (--duration, --connections).
    const cpu0 = ctx.serverCpuMs?.();
    const result = await ctx.autocannon({ url: "/", headers, requests: paths.map((p) => ({ method: "GET", path: p })) });
    const cpuMs = cpu0 === undefined ? undefined : ctx.serverCpuMs!() - cpu0;
    const rows: BenchRow[] = [
      { scenario: NAME, metric: "req/s", value: Math.round(result.requests.average), unit: "req/s", target: "≥ 1500" },
      { scenario: NAME, metric: "latency p50", value: result.latency.p50, unit: "ms" },
      { scenario: NAME, metric: "latency p99", value: result.latency.p99, unit: "ms", target: "< 50" },
      { scenario: NAME, metric: "errors", value: result.errors + (result.timeouts ?? 0), unit: "count", target: "= 0" },
      { scenario: NAME, metric: "non-2xx", value: result.non2xx, unit: "count", target: "= 0" },
    ];
    // Server CPU per page: hardly depends on other load on the machine, unlike req/s and latency.
    if (cpuMs !== undefined && result.requests.total) rows.push({ scenario: NAME, metric: "server CPU per page", value: Math.round((cpuMs / result.requests.total) * 100) / 100, unit: "ms" });
    if (ctx.serverRss) rows.push({ scenario: NAME, metric: "server RSS", value: Math.round(ctx.serverRss()), unit: "MB" });
    return rows;
  },
};
