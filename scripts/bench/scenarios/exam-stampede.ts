/**
 * Bench scenario "exam-stampede" (issue 6): N candidates (300 by default; BENCH_EXAM_CANDIDATES=2000 or
 * BENCH_EXAM_FULL=1 for the issue's 2,000) log in, start the same exam within 10 s, save an answer every few
 * seconds and submit. Reports errors (must be 0), p50/p99 per step, saves/s, and checks the database afterwards:
 * every save the server acknowledged must be stored (0 lost answers) and every attempt graded exactly once.
 *
 * Accounts, people and "lessons read" rows are created directly in the server's database (dbUrl) before the run;
 * the candidates' papers are read from the database too (a browser gets them from the page it already loaded).
 * The default stays at 300 because 2,000 takes 4–6 minutes on the shared 2-core machine (docs/decisions/0010).
 */
import { and, eq, inArray } from "drizzle-orm";
import { openDatabase } from "../../../db/client";
import { unitId } from "../../../db/reference";
import { attemptAnswers, attemptEvents, attempts, certificates, lessonProgress, people, roleAssignments, users } from "../../../db/schema";
import { prepareCourseVersion, upsertCourseVersion } from "../../../app/assessments/course-versions.server";
import type { Paper } from "../../../app/assessments/draw";
import { hashPassword } from "../../../app/auth/password.server";
import { newId } from "../../../app/utils/ids";

/** The parts of the bench harness context (scripts/bench/types.ts) this scenario uses. */
interface Ctx {
  baseUrl: string;
  dbUrl: string;
  login(username: string, password?: string): Promise<string>;
  serverRss(): number;
  serverCpuMs?(): number;
  log?(message: string): void;
}
interface Row {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  target?: string | number;
}

const NAME = "exam-stampede";
const env = process.env;
const CANDIDATES = Number(env.BENCH_EXAM_CANDIDATES ?? (env.BENCH_EXAM_FULL === "1" ? 2000 : 300));
const COURSE = env.BENCH_EXAM_COURSE ?? "ky-nang-so-co-ban";
const SAVES_PER_CANDIDATE = Number(env.BENCH_EXAM_SAVES ?? 8);
const SAVE_EVERY_MS = Number(env.BENCH_EXAM_SAVE_EVERY_MS ?? 3000);
const START_WINDOW_MS = 10_000;
const PASSWORD = "bench-exam-stampede-2026";
const LOGIN_CONCURRENCY = 16;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

type Step = "start" | "page" | "save" | "submit";
type Ack = { attemptId: string; questionId: string; seq: number; selected: string[] };

async function setUp(ctx: Ctx, runId: string): Promise<string[]> {
  const database = await openDatabase(ctx.dbUrl);
  try {
    const prepared = await prepareCourseVersion(COURSE);
    if (!prepared) throw new Error(`exam-stampede: course "${COURSE}" with an exam is not in build/content`);
    const passwordHash = await hashPassword(PASSWORD); // once: every bench account shares it
    const now = Date.now();
    const usernames: string[] = [];
    const lessons = prepared.course.lessons.map((l) => l.slug);
    await database.write(async (tx) => {
      const versionId = await upsertCourseVersion(tx, prepared, now);
      for (let i = 0; i < CANDIDATES; i++) {
        const personId = newId();
        const userId = newId();
        const username = `bench.exam.${runId}.${i}`;
        usernames.push(username);
        await tx.insert(people).values({
          id: personId,
          staffCode: `BENCH-${runId}-${i}`,
          fullName: `Thí sinh Thử tải ${i}`,
          orgUnitId: unitId("G06"),
          category: "civil_servant",
          createdAt: now,
          updatedAt: now,
        });
        await tx.insert(users).values({ id: userId, personId, username, displayName: `Thí sinh ${i}`, passwordHash, createdAt: now, passwordChangedAt: now });
        await tx.insert(roleAssignments).values({ id: newId(), userId, role: "learner", orgUnitId: unitId("G06"), grantedBy: "bench", createdAt: now });
        await tx.insert(lessonProgress).values(
          lessons.map((lessonSlug) => ({ id: newId(), personId, courseId: COURSE, lessonSlug, courseVersionId: versionId, firstViewedAt: now, completedAt: now })),
        );
      }
    });
    return usernames;
  } finally {
    database.close();
  }
}

async function loginAll(ctx: Ctx, usernames: string[], timings: number[]): Promise<{ cookies: string[]; errors: number }> {
  const cookies: string[] = new Array(usernames.length);
  let errors = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: LOGIN_CONCURRENCY }, async () => {
      while (next < usernames.length) {
        const i = next++;
        const t0 = performance.now();
        try {
          cookies[i] = await ctx.login(usernames[i]!, PASSWORD);
          timings.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { cookies, errors };
}

export default {
  name: NAME,
  description: `${CANDIDATES} candidates start the same exam within 10 s, save an answer every ~${SAVE_EVERY_MS / 1000} s (${SAVES_PER_CANDIDATE} each) and submit; 0 errors and 0 lost answers required`,
  async run(ctx: Ctx): Promise<Row[]> {
    const log = (m: string) => (ctx.log ? ctx.log(m) : console.error(m));
    const runId = Date.now().toString(36);
    log(`${NAME}: creating ${CANDIDATES} candidates…`);
    const usernames = await setUp(ctx, runId);
    const loginTimes: number[] = [];
    log(`${NAME}: logging ${CANDIDATES} candidates in…`);
    const { cookies, errors: loginErrors } = await loginAll(ctx, usernames, loginTimes);

    const times: Record<Step, number[]> = { start: [], page: [], save: [], submit: [] };
    const errors: Record<Step, number> = { start: 0, page: 0, save: 0, submit: 0 };
    const errorSamples: string[] = [];
    const acks: Ack[] = [];
    const attemptIds = new Set<string>();
    const reader = await openDatabase(ctx.dbUrl);

    async function call(step: Step, path: string, init: RequestInit, ok: (r: Response) => boolean): Promise<Response | null> {
      const t0 = performance.now();
      try {
        const res = await fetch(ctx.baseUrl + path, { ...init, redirect: "manual" });
        const body = await res.text();
        times[step].push(performance.now() - t0);
        if (!ok(res)) {
          errors[step]++;
          if (errorSamples.length < 5) errorSamples.push(`${step} ${res.status} ${body.slice(0, 120)}`);
          return null;
        }
        return new Response(body, { status: res.status, headers: res.headers });
      } catch (e) {
        errors[step]++;
        const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
        if (errorSamples.length < 5) errorSamples.push(`${step} ${(e as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ""}`);
        return null;
      }
    }

    async function candidate(cookie: string | undefined): Promise<void> {
      if (!cookie) return;
      const headers = { Cookie: cookie };
      await sleep(Math.random() * START_WINDOW_MS);
      const started = await call("start", `/courses/${COURSE}/exam`, { method: "POST", headers }, (r) => r.status === 302 && /\/exam\/[0-9a-z]+$/.test(r.headers.get("location") ?? ""));
      if (!started) return;
      const attemptId = started.headers.get("location")!.split("/").pop()!;
      attemptIds.add(attemptId);
      if (!(await call("page", `/exam/${attemptId}`, { headers }, (r) => r.status === 200))) return;
      const [row] = await reader.read.select({ paperJson: attempts.paperJson }).from(attempts).where(eq(attempts.id, attemptId));
      const paper = JSON.parse(row!.paperJson) as Paper;
      let seq = 0;
      for (let i = 0; i < SAVES_PER_CANDIDATE; i++) {
        await sleep(SAVE_EVERY_MS * (0.5 + Math.random()));
        const q = paper.questions[Math.floor(Math.random() * paper.questions.length)]!;
        const selected = [q.optionOrder[Math.floor(Math.random() * q.optionOrder.length)]!];
        seq = Math.max(seq + 1, Date.now());
        const res = await call(
          "save",
          `/exam/${attemptId}/save`,
          { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify({ questionId: q.id, selected, seq }) },
          (r) => r.status === 200,
        );
        if (res) {
          const body = (await res.json()) as { ok: boolean; stored: boolean; seq: number };
          if (body.ok && body.stored) acks.push({ attemptId, questionId: q.id, seq, selected });
        }
      }
      await call(
        "submit",
        `/exam/${attemptId}`,
        { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=submit&reason=candidate" },
        (r) => r.status === 302 && (r.headers.get("location") ?? "").endsWith(`/exam/${attemptId}/result`),
      );
    }

    log(`${NAME}: stampede (start window ${START_WINDOW_MS / 1000} s, ${SAVES_PER_CANDIDATE} saves each)…`);
    const t0 = performance.now();
    const rssBefore = ctx.serverRss();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, ctx.serverRss())), 1000);
    const serverCpu0 = ctx.serverCpuMs?.() ?? 0;
    const clientCpu0 = process.cpuUsage();
    await Promise.all(cookies.map((c) => candidate(c)));
    const serverCpuMs = (ctx.serverCpuMs?.() ?? 0) - serverCpu0;
    const clientCpu = process.cpuUsage(clientCpu0);
    clearInterval(sampler);
    const elapsedS = (performance.now() - t0) / 1000;
    const saveWindowS = Math.max(1, elapsedS - START_WINDOW_MS / 2000);

    // The database afterwards: every acknowledged save stored (a newer seq of the same question may replace it).
    const ids = [...attemptIds];
    const stored = new Map<string, { seq: number; selected: string }>();
    const closed = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const a of await reader.read.select().from(attemptAnswers).where(inArray(attemptAnswers.attemptId, chunk))) {
        stored.set(`${a.attemptId}/${a.questionId}`, { seq: a.seq, selected: a.selectedJson });
      }
      for (const a of await reader.read.select({ id: attempts.id, status: attempts.status }).from(attempts).where(inArray(attempts.id, chunk))) {
        closed.set(a.id, a.status);
      }
    }
    let lost = 0;
    for (const ack of acks) {
      const row = stored.get(`${ack.attemptId}/${ack.questionId}`);
      if (!row || row.seq < ack.seq || (row.seq === ack.seq && row.selected !== JSON.stringify(ack.selected))) lost++;
    }
    const notGraded = ids.filter((id) => closed.get(id) !== "submitted").length;
    let doubleGraded = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const ev = await reader.read
        .select({ attemptId: attemptEvents.attemptId })
        .from(attemptEvents)
        .where(and(inArray(attemptEvents.attemptId, chunk), eq(attemptEvents.kind, "submitted")));
      const seen = new Set<string>();
      for (const e of ev) {
        if (seen.has(e.attemptId)) doubleGraded++;
        seen.add(e.attemptId);
      }
    }
    const certs = ids.length
      ? (await reader.read.select({ id: certificates.id }).from(certificates).where(inArray(certificates.attemptId, ids.slice(0, 30_000)))).length
      : 0;
    reader.close();
    if (errorSamples.length) log(`${NAME}: first errors:\n  ${errorSamples.join("\n  ")}`);

    const examRequests = times.start.length + times.page.length + times.save.length + times.submit.length;
    const totalErrors = loginErrors + Object.values(errors).reduce((a, b) => a + b, 0) + notGraded + doubleGraded;
    const rows: Row[] = [
      { scenario: NAME, metric: "candidates", value: CANDIDATES, unit: "people" },
      { scenario: NAME, metric: "errors", value: totalErrors, unit: "count", target: "= 0" },
      { scenario: NAME, metric: "lost answers", value: lost, unit: "count", target: "= 0" },
      { scenario: NAME, metric: "acknowledged saves", value: acks.length, unit: "count" },
      { scenario: NAME, metric: "saves/s", value: Math.round((times.save.length / saveWindowS) * 10) / 10, unit: "req/s" },
      { scenario: NAME, metric: "login p50", value: percentile(loginTimes, 50), unit: "ms" },
      { scenario: NAME, metric: "login p99", value: percentile(loginTimes, 99), unit: "ms" },
    ];
    for (const step of ["start", "page", "save", "submit"] as const) {
      rows.push({ scenario: NAME, metric: `${step} p50`, value: percentile(times[step], 50), unit: "ms" });
      rows.push({ scenario: NAME, metric: `${step} p99`, value: percentile(times[step], 99), unit: "ms", target: "< 200" });
    }
    rows.push(
      { scenario: NAME, metric: "attempts graded once", value: ids.length - notGraded - doubleGraded, unit: "count", target: `>= ${CANDIDATES}` },
      { scenario: NAME, metric: "certificates issued", value: certs, unit: "count" },
      { scenario: NAME, metric: "duration", value: Math.round(elapsedS * 10) / 10, unit: "s" },
      // CPU per request hardly depends on the machine's other load, unlike the latencies above: compare this first.
      { scenario: NAME, metric: "server CPU per exam request", value: Math.round((serverCpuMs / Math.max(1, examRequests)) * 100) / 100, unit: "ms" },
      { scenario: NAME, metric: "server CPU, stampede", value: Math.round(serverCpuMs / 100) / 10, unit: "s" },
      { scenario: NAME, metric: "bench client CPU, stampede", value: Math.round((clientCpu.user + clientCpu.system) / 1e5) / 10, unit: "s" },
      { scenario: NAME, metric: "server RSS peak", value: Math.round(rssPeak), unit: "MB" },
    );
    return rows;
  },
};
