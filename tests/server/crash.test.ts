/**
 * Crash safety (issue 9): the production server is killed with SIGKILL in the middle of real work, restarted on
 * the same database, and what it had acknowledged must all be there, with nothing half-written:
 *  1. an exam rush — every answer that got "saved" is stored; a submit retried after the restart grades once;
 *  2. a roster import commit — killed inside its write (pause point, NODE_ENV=test only): none of it is there
 *     after the restart, and committing again applies all of it;
 *  3. a bulk certificate issue (`cert:issue-bulk`, a CLI process next to the running server) — killed half-way
 *     through its one write: no certificate of the file exists, and running the file again issues all of it.
 */
import { and, eq, inArray, like } from "drizzle-orm";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareCourseVersion, upsertCourseVersion } from "../../app/assessments/course-versions.server";
import type { Paper } from "../../app/assessments/draw";
import { hashPassword } from "../../app/auth/password.server";
import { newId } from "../../app/utils/ids";
import { unitId } from "../../db/reference";
import { attemptAnswers, attemptEvents, attempts, certificates, lessonProgress, people, roleAssignments, rosterImports, users } from "../../db/schema";
import { bootServer, login, sleep, type TestServer } from "./harness";

const COURSE = "ky-nang-so-co-ban";
const CANDIDATES = 12;
const PASSWORD = "crash-test-2026";
let srv: TestServer;

beforeAll(async () => {
  srv = await bootServer("crash", 0, { NODE_ENV: "test" });
});
afterAll(async () => {
  await srv?.stop();
});

async function createCandidates(): Promise<string[]> {
  const database = await srv.db();
  const prepared = await prepareCourseVersion(COURSE);
  if (!prepared) throw new Error(`course ${COURSE} is not in build/content`);
  const passwordHash = await hashPassword(PASSWORD);
  const now = Date.now();
  const names: string[] = [];
  await database.write(async (tx) => {
    const versionId = await upsertCourseVersion(tx, prepared, now);
    for (let i = 0; i < CANDIDATES; i++) {
      const personId = newId();
      const userId = newId();
      names.push(`crash.exam.${i}`);
      await tx.insert(people).values({ id: personId, staffCode: `CRASH-${i}`, fullName: `Thí sinh ${i}`, orgUnitId: unitId("G06"), category: "civil_servant", createdAt: now, updatedAt: now });
      await tx.insert(users).values({ id: userId, personId, username: `crash.exam.${i}`, displayName: `Thí sinh ${i}`, passwordHash, createdAt: now, passwordChangedAt: now });
      await tx.insert(roleAssignments).values({ id: newId(), userId, role: "learner", orgUnitId: unitId("G06"), grantedBy: "test", createdAt: now });
      await tx.insert(lessonProgress).values(prepared.course.lessons.map((l) => ({ id: newId(), personId, courseId: COURSE, lessonSlug: l.slug, courseVersionId: versionId, firstViewedAt: now, completedAt: now })));
    }
  });
  return names;
}

type Ack = { attemptId: string; questionId: string; seq: number; selected: string[] };

describe("SIGKILL during an exam rush", () => {
  it("keeps every acknowledged answer and grades each attempt exactly once after the restart", async () => {
    const names = await createCandidates();
    const cookies = await Promise.all(names.map((n) => login(srv.baseUrl, n, PASSWORD)));
    const database = await srv.db();
    const sessions: { cookie: string; attemptId: string; paper: Paper }[] = [];
    for (const cookie of cookies) {
      const r = await fetch(`${srv.baseUrl}/courses/${COURSE}/exam`, { method: "POST", headers: { Cookie: cookie }, redirect: "manual" });
      expect(r.status).toBe(302);
      const attemptId = r.headers.get("location")!.split("/").pop()!;
      const [row] = await database.read.select({ paperJson: attempts.paperJson }).from(attempts).where(eq(attempts.id, attemptId));
      sessions.push({ cookie, attemptId, paper: JSON.parse(row!.paperJson) as Paper });
    }

    const acks: Ack[] = [];
    let failures = 0;
    let killed = false;
    let seqClock = Date.now();
    async function candidate(s: (typeof sessions)[number], index: number) {
      for (let i = 0; !killed && i < 400; i++) {
        const q = s.paper.questions[i % s.paper.questions.length]!;
        const selected = [q.optionOrder[(i + index) % q.optionOrder.length]!];
        const seq = ++seqClock;
        try {
          const r = await fetch(`${srv.baseUrl}/exam/${s.attemptId}/save`, {
            method: "POST",
            headers: { Cookie: s.cookie, "Content-Type": "application/json" },
            body: JSON.stringify({ questionId: q.id, selected, seq }),
          });
          const body = (await r.json()) as { ok: boolean; stored?: boolean };
          if (r.status === 200 && body.ok && body.stored) acks.push({ attemptId: s.attemptId, questionId: q.id, seq, selected });
        } catch {
          failures++; // the connection died with the server: not acknowledged, so no promise was made
        }
      }
    }
    const load = Promise.all(sessions.map((s, i) => candidate(s, i)));
    // Kill once the rush is well under way (saves are being acknowledged), not at a quiet moment.
    const t0 = Date.now();
    while (acks.length < 60 && Date.now() - t0 < 60_000) await sleep(20);
    // Half the candidates submit right at the moment of the kill: some of those may be cut off.
    const submits = sessions.slice(0, CANDIDATES / 2).map((s) =>
      fetch(`${srv.baseUrl}/exam/${s.attemptId}`, { method: "POST", headers: { Cookie: s.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=submit&reason=candidate", redirect: "manual" }).catch(() => null),
    );
    await sleep(15);
    await srv.kill();
    killed = true;
    await load;
    await Promise.all(submits);
    expect(acks.length).toBeGreaterThanOrEqual(60);
    expect(failures).toBeGreaterThan(0); // the kill really landed mid-rush

    await srv.restart({ NODE_ENV: "test" });
    const after = await srv.db();
    const ids = sessions.map((s) => s.attemptId);
    const stored = new Map<string, { seq: number; selected: string }>();
    for (const a of await after.read.select().from(attemptAnswers).where(inArray(attemptAnswers.attemptId, ids))) {
      stored.set(`${a.attemptId}/${a.questionId}`, { seq: a.seq, selected: a.selectedJson });
    }
    const lost = acks.filter((ack) => {
      const row = stored.get(`${ack.attemptId}/${ack.questionId}`);
      return !row || row.seq < ack.seq || (row.seq === ack.seq && row.selected !== JSON.stringify(ack.selected));
    });
    expect(lost).toEqual([]);

    // Every candidate (re)submits after the restart, twice and at the same time: each attempt is graded once.
    const retries = await Promise.all(
      sessions.flatMap((s) =>
        [0, 1].map(() =>
          fetch(`${srv.baseUrl}/exam/${s.attemptId}`, { method: "POST", headers: { Cookie: s.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=submit&reason=candidate", redirect: "manual" }),
        ),
      ),
    );
    for (const r of retries) {
      expect(r.status).toBe(302);
      expect(r.headers.get("location")).toMatch(/\/result$/);
    }
    const closed = await after.read.select({ id: attempts.id, status: attempts.status }).from(attempts).where(inArray(attempts.id, ids));
    expect(closed.map((a) => a.status)).toEqual(ids.map(() => "submitted"));
    const events = await after.read.select({ attemptId: attemptEvents.attemptId }).from(attemptEvents).where(and(inArray(attemptEvents.attemptId, ids), eq(attemptEvents.kind, "submitted")));
    expect(events.length).toBe(ids.length);
    expect(new Set(events.map((e) => e.attemptId)).size).toBe(ids.length);
    const certs = await after.read.select({ attemptId: certificates.attemptId }).from(certificates).where(inArray(certificates.attemptId, ids));
    expect(new Set(certs.map((c) => c.attemptId)).size).toBe(certs.length);
    const integrity = await after.readClient.execute("PRAGMA integrity_check");
    expect(integrity.rows[0]![0]).toBe("ok");
  });
});

const ROWS = 1500;
function rosterCsv(): string {
  const lines = ["Mã cán bộ,Họ và tên,Mã đơn vị,Loại,CNTT/CĐS,Lãnh đạo,Trạng thái"];
  for (let i = 1; i <= ROWS; i++) lines.push(`CRASH-HN-${String(i).padStart(5, "0")},Người Thử ${i},01,công chức,không,không,đang làm việc`);
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

describe("SIGKILL during a roster import commit", () => {
  it("leaves none of the import after the restart, and a new commit applies all of it", async () => {
    const admin = await login(srv.baseUrl, "quantri");
    const form = new FormData();
    form.set("unit", "01");
    form.set("mode", "partial");
    form.set("file", new File([rosterCsv()], "crash-roster.csv", { type: "text/csv" }));
    const preview = await fetch(`${srv.baseUrl}/hr/import`, { method: "POST", headers: { Cookie: admin }, body: form, redirect: "manual" });
    expect(preview.status).toBe(302);
    const id = new URL(preview.headers.get("location")!, srv.baseUrl).searchParams.get("id")!;
    expect(id).toMatch(/^[0-9a-z]{10,40}$/);

    // Restart with the pause point armed: the commit stops inside its write, after the people rows are written.
    const pauseDir = path.join(srv.dataDir, "pause");
    rmSync(pauseDir, { recursive: true, force: true });
    await srv.stop();
    await srv.restart({ NODE_ENV: "test", LMS_TEST_PAUSE_AT: "roster.commit", LMS_TEST_PAUSE_DIR: pauseDir });
    const commit = fetch(`${srv.baseUrl}/hr/import`, { method: "POST", headers: { Cookie: admin }, body: new URLSearchParams({ intent: "commit", id }), redirect: "manual" }).catch(() => null);
    const t0 = Date.now();
    while (!existsSync(path.join(pauseDir, "roster.commit"))) {
      if (Date.now() - t0 > 60_000) throw new Error("the commit never reached its pause point");
      await sleep(20);
    }
    await srv.kill();
    expect(await commit).toBeNull(); // the client never got an answer

    await srv.restart({ NODE_ENV: "test" });
    const database = await srv.db();
    const count = async () => (await database.read.select({ id: people.id }).from(people).where(like(people.staffCode, "CRASH-HN-%"))).length;
    expect(await count()).toBe(0);
    const [row] = await database.read.select({ status: rosterImports.status }).from(rosterImports).where(eq(rosterImports.id, id));
    expect(row?.status).toBe("previewed");

    const again = await fetch(`${srv.baseUrl}/hr/import`, { method: "POST", headers: { Cookie: admin }, body: new URLSearchParams({ intent: "commit", id }), redirect: "manual" });
    expect(again.status).toBe(302);
    expect(await count()).toBe(ROWS);
    const [done] = await database.read.select({ status: rosterImports.status }).from(rosterImports).where(eq(rosterImports.id, id));
    expect(done?.status).toBe("committed");
  });
});

describe("SIGKILL during a bulk certificate issue", () => {
  it("leaves no certificate of the file, and running it again issues all of them once", async () => {
    const database = await srv.db();
    const n = 300;
    const now = Date.now();
    await database.write(async (tx) => {
      for (let i = 0; i < n; i += 200) {
        await tx.insert(people).values(
          Array.from({ length: Math.min(200, n - i) }, (_, j) => ({ id: newId(), staffCode: `CRASH-BULK-${i + j}`, fullName: `Người Nhận ${i + j}`, orgUnitId: unitId("G06"), category: "civil_servant" as const, createdAt: now, updatedAt: now })),
        );
      }
    });
    const file = path.join(srv.dataDir, "bulk.csv");
    writeFileSync(file, ["staff_code,credential,issued_on,source", ...Array.from({ length: n }, (_, i) => `CRASH-BULK-${i},basic_digital_skills,2026-01-15,Crash bulk test`)].join("\n"));
    const pauseDir = path.join(srv.dataDir, "pause-bulk");
    rmSync(pauseDir, { recursive: true, force: true });
    const env = { ...process.env, DATABASE_URL: srv.dbUrl, LMS_DATA_DIR: srv.dataDir, LMS_DEMO_KEYS: "1", VITEST: "" };
    const cli = spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", "cert:issue-bulk", file], {
      env: { ...env, NODE_ENV: "test", LMS_TEST_PAUSE_AT: "certificates.bulk", LMS_TEST_PAUSE_DIR: pauseDir },
      stdio: "ignore",
    });
    const exited = new Promise<string | null>((res) => cli.once("exit", (_code, signal) => res(signal)));
    const t0 = Date.now();
    while (!existsSync(path.join(pauseDir, "certificates.bulk"))) {
      if (Date.now() - t0 > 60_000) throw new Error("the bulk issue never reached its pause point");
      await sleep(20);
    }
    cli.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const issued = async () => (await database.read.select({ id: certificates.id }).from(certificates).where(eq(certificates.sourceNote, "Crash bulk test"))).length;
    expect(await issued()).toBe(0);
    expect((await database.readClient.execute("PRAGMA integrity_check")).rows[0]![0]).toBe("ok");
    // The server was not harmed: it still answers and writes (a login stores a session).
    expect(await login(srv.baseUrl, "hocvien")).toMatch(/^lms_session=/);

    const again = spawnSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", "cert:issue-bulk", file, "--format", "json"], { env: { ...env, NODE_ENV: "production" }, encoding: "utf8" });
    expect(again.stderr).toBe("");
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: n, issued: n, existing: 0 });
    expect(await issued()).toBe(n);
  });
});
