/**
 * The attempt server against a real libSQL file: starting (once), autosave ordering, restart survival, the
 * deadline, idempotent submit, certificates issued in the grading write, cooldown and ownership.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attemptAnswers, attemptEvents, attempts, certificates, lessonProgress, signingKeys } from "#db/schema";
import { getCourseProgress } from "~/courses/progress.server";
import { getDatabase } from "~/db.server";
import { newId } from "~/utils/ids";
import { CertificatePayloadSchema, importPublicKeyB64url, verifyPayload } from "~/certificates/payload";
import { isValidSerial } from "~/certificates/serial";
import { answerKey, createLearner, markLessonsRead, TEST_COURSE, wrongKey, writeTestContent } from "../../tests/factories/exams";
import {
  attemptResult,
  clearAttemptFacts,
  closeExpiredAttempts,
  examOverview,
  GRACE_MS,
  loadAttemptForTaking,
  saveAnswer,
  startAttempt,
  submitAttempt,
} from "./attempts.server";
import { clearExamCache } from "./course-versions.server";
import type { Exam } from "./exam-schema";
import type { Paper } from "./draw";

let exam: Exam;
const T0 = Date.UTC(2026, 10, 25, 2, 0, 0); // 09:00 in Hà Nội
const MIN = 60_000;

beforeAll(() => {
  exam = writeTestContent().exam;
});

async function readyLearner(unitCode = "G06") {
  const database = await getDatabase();
  const learner = await createLearner(database, { unitCode });
  await markLessonsRead(database, learner.personId, TEST_COURSE);
  return learner;
}

async function started(personId: string, now = T0) {
  const result = await startAttempt(personId, TEST_COURSE, now);
  if (!result?.ok) throw new Error(`start failed: ${JSON.stringify(result)}`);
  const { read } = await getDatabase();
  const [row] = await read.select().from(attempts).where(eq(attempts.id, result.attemptId));
  return { id: result.attemptId, row: row!, paper: JSON.parse(row!.paperJson) as Paper };
}

async function answerAll(personId: string, attemptId: string, paper: Paper, key: Map<string, string[]>, now: number) {
  let seq = 1;
  for (const q of paper.questions) {
    const r = await saveAnswer(personId, attemptId, { questionId: q.id, selected: key.get(q.id)!, seq: seq++ }, now);
    expect(r.ok).toBe(true);
  }
}

async function events(attemptId: string, kind: string) {
  const { read } = await getDatabase();
  return read.select().from(attemptEvents).where(and(eq(attemptEvents.attemptId, attemptId), eq(attemptEvents.kind, kind)));
}

describe("starting", () => {
  it("refuses until every lesson is read", async () => {
    const database = await getDatabase();
    const learner = await createLearner(database);
    expect(await startAttempt(learner.personId, TEST_COURSE, T0)).toEqual({ ok: false, reason: "lessons_unread" });
    await markLessonsRead(database, learner.personId, TEST_COURSE, { only: 1 });
    expect(await startAttempt(learner.personId, TEST_COURSE, T0)).toEqual({ ok: false, reason: "lessons_unread" });
    await markLessonsRead(database, learner.personId, TEST_COURSE);
    expect((await startAttempt(learner.personId, TEST_COURSE, T0))?.ok).toBe(true);
  });

  it("uses the course engine's definition of lessons read (a lesson no longer in the course does not count)", async () => {
    const database = await getDatabase();
    const learner = await createLearner(database);
    await markLessonsRead(database, learner.personId, TEST_COURSE, { only: 1 });
    await database.write((tx) =>
      tx.insert(lessonProgress).values({ id: newId(), personId: learner.personId, courseId: TEST_COURSE, lessonSlug: "da-bi-xoa", firstViewedAt: T0, completedAt: T0 }),
    );
    const progress = await getCourseProgress(learner.personId, TEST_COURSE);
    const overview = await examOverview(learner.personId, TEST_COURSE, T0);
    expect(overview?.lessons).toEqual({ lessonsTotal: progress.lessonsTotal, lessonsRead: 1, allRead: false });
    expect(progress.lessonsTotal).toBeGreaterThan(1);
    expect(await startAttempt(learner.personId, TEST_COURSE, T0)).toEqual({ ok: false, reason: "lessons_unread" });
  });

  it("returns the same in-progress attempt to a double click or a second tab", async () => {
    const learner = await readyLearner();
    const results = await Promise.all(Array.from({ length: 6 }, () => startAttempt(learner.personId, TEST_COURSE, T0)));
    const ids = new Set(results.map((r) => (r?.ok ? r.attemptId : "refused")));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r?.ok && !r.resumed)).toHaveLength(1);
    const { read } = await getDatabase();
    expect(await read.select().from(attempts).where(eq(attempts.personId, learner.personId))).toHaveLength(1);
  });

  it("draws a paper balanced by topic, with a server deadline, and stores it on the attempt", async () => {
    const learner = await readyLearner();
    const { row, paper } = await started(learner.personId);
    const topicOf = new Map(exam.questions.map((q) => [q.id, q.topic]));
    for (const topic of exam.topics) {
      expect(paper.questions.filter((q) => topicOf.get(q.id) === topic.id)).toHaveLength(topic.draw);
    }
    expect(row.deadlineAt).toBe(T0 + exam.rules.timeLimitMinutes * MIN);
    expect(row.attemptNo).toBe(1);
  });

  it("an unknown course is null (404)", async () => {
    const learner = await readyLearner();
    expect(await startAttempt(learner.personId, "khong-co-khoa-nay", T0)).toBeNull();
  });
});

describe("the page before submit", () => {
  it("never carries answer keys or explanations, in either language", async () => {
    const learner = await readyLearner();
    const { id } = await started(learner.personId);
    for (const lang of ["vi", "en"] as const) {
      const view = await loadAttemptForTaking(learner.personId, id, lang, T0 + MIN);
      expect(view.kind).toBe("open");
      const json = JSON.stringify(view);
      for (const q of exam.questions) {
        expect(json).not.toContain(q.explanation.vi);
        expect(json).not.toContain(q.explanation.en);
      }
      expect(json).not.toMatch(/correct/i);
    }
    const save = await saveAnswer(learner.personId, id, { questionId: (await started(learner.personId)).paper.questions[0]!.id, selected: [], seq: 1 }, T0 + MIN);
    expect(JSON.stringify(save)).not.toMatch(/correct|explanation/i);
  });
});

describe("autosave", () => {
  it("stores an answer and reports when it was saved", async () => {
    const learner = await readyLearner();
    const { id, paper } = await started(learner.personId);
    const q = paper.questions[0]!;
    const r = await saveAnswer(learner.personId, id, { questionId: q.id, selected: [q.optionOrder[0]!], seq: 5 }, T0 + MIN);
    expect(r).toEqual({ ok: true, questionId: q.id, stored: true, seq: 5, savedAt: T0 + MIN, selected: [q.optionOrder[0]] });
    const view = await loadAttemptForTaking(learner.personId, id, "vi", T0 + 2 * MIN);
    expect(view.kind === "open" && view.view.answers[q.id]).toEqual({ selected: [q.optionOrder[0]], seq: 5, savedAt: T0 + MIN });
  });

  it("keeps the highest seq when saves of one question arrive concurrently and out of order", async () => {
    const learner = await readyLearner();
    const { id, paper } = await started(learner.personId);
    const q = paper.questions.find((x) => exam.questions.find((e) => e.id === x.id)!.type !== "true_false")!;
    const seqs = Array.from({ length: 30 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    const choice = (seq: number) => [q.optionOrder[seq % q.optionOrder.length]!];
    const results = await Promise.all(seqs.map((seq) => saveAnswer(learner.personId, id, { questionId: q.id, selected: choice(seq), seq }, T0 + MIN)));
    expect(results.every((r) => r.ok)).toBe(true);
    const { read } = await getDatabase();
    const [stored] = await read.select().from(attemptAnswers).where(and(eq(attemptAnswers.attemptId, id), eq(attemptAnswers.questionId, q.id)));
    expect(stored!.seq).toBe(30);
    expect(JSON.parse(stored!.selectedJson)).toEqual(choice(30));
    // A late retry of an older save changes nothing and tells the client what is stored.
    const late = await saveAnswer(learner.personId, id, { questionId: q.id, selected: choice(3), seq: 3 }, T0 + 2 * MIN);
    expect(late).toMatchObject({ ok: true, stored: false, seq: 30, selected: choice(30) });
  });

  it("without a client seq (the no-JS form), each save still wins over the previous one", async () => {
    const learner = await readyLearner();
    const { id, paper } = await started(learner.personId);
    const q = paper.questions[0]!;
    await saveAnswer(learner.personId, id, { questionId: q.id, selected: [q.optionOrder[0]!] }, T0 + MIN);
    const second = await saveAnswer(learner.personId, id, { questionId: q.id, selected: [q.optionOrder[1]!] }, T0 + MIN);
    expect(second).toMatchObject({ ok: true, stored: true, selected: [q.optionOrder[1]] });
  });

  it("rejects questions not in the attempt and unknown options, and logs them", async () => {
    const learner = await readyLearner();
    const { id, paper } = await started(learner.personId);
    const notDrawn = exam.questions.find((q) => !paper.questions.some((p) => p.id === q.id))!;
    const r1 = await saveAnswer(learner.personId, id, { questionId: notDrawn.id, selected: [notDrawn.options[0]!.id], seq: 1 }, T0 + MIN);
    expect(r1).toMatchObject({ ok: false, error: "question_not_in_attempt" });
    const r2 = await saveAnswer(learner.personId, id, { questionId: paper.questions[0]!.id, selected: ["zzz"], seq: 2 }, T0 + MIN);
    expect(r2).toMatchObject({ ok: false, error: "unknown_option" });
    const logged = await events(id, "answer_rejected");
    expect(logged.map((e) => JSON.parse(e.detailJson!).error).sort()).toEqual(["question_not_in_attempt", "unknown_option"]);
    const { read } = await getDatabase();
    expect(await read.select().from(attemptAnswers).where(eq(attemptAnswers.attemptId, id))).toEqual([]);
  });

  it("rejects an answer after the deadline plus grace, logs it, and closes the attempt with what was saved", async () => {
    const learner = await readyLearner();
    const { id, row, paper } = await started(learner.personId);
    const key = answerKey(exam);
    const first = paper.questions[0]!;
    await saveAnswer(learner.personId, id, { questionId: first.id, selected: key.get(first.id)!, seq: 1 }, row.deadlineAt - 1000);
    // Inside the grace period the save still counts (it left the browser before the deadline).
    const inGrace = await saveAnswer(learner.personId, id, { questionId: paper.questions[1]!.id, selected: key.get(paper.questions[1]!.id)!, seq: 1 }, row.deadlineAt + GRACE_MS - 1);
    expect(inGrace.ok).toBe(true);
    const late = await saveAnswer(learner.personId, id, { questionId: paper.questions[2]!.id, selected: key.get(paper.questions[2]!.id)!, seq: 1 }, row.deadlineAt + GRACE_MS + 1);
    expect(late).toMatchObject({ ok: false, error: "deadline_passed" });
    expect(await events(id, "answer_rejected")).toHaveLength(1);
    const { read } = await getDatabase();
    const [closed] = await read.select().from(attempts).where(eq(attempts.id, id));
    expect(closed!.status).toBe("expired");
    const points = (qid: string) => exam.questions.find((q) => q.id === qid)!.points;
    expect(closed!.scorePoints).toBe(points(first.id) + points(paper.questions[1]!.id));
    // And after closing, saves are refused as "closed".
    const after = await saveAnswer(learner.personId, id, { questionId: first.id, selected: [], seq: 9 }, row.deadlineAt + 10 * MIN);
    expect(after).toMatchObject({ ok: false, error: "attempt_closed" });
  });
});

describe("saves racing a submit", () => {
  it("a save checked before the submit but written after it is refused, never stored behind the grade", async () => {
    const learner = await readyLearner();
    const { id, paper } = await started(learner.personId);
    const now = T0 + MIN;
    const database = await getDatabase();
    // Hold the writer so that both the submit and the saves have read "in progress" before either writes.
    let release!: () => void;
    const blocker = database.write(() => new Promise<void>((r) => (release = r)));
    const submit = submitAttempt(learner.personId, id, "candidate", now);
    await new Promise((r) => setTimeout(r, 50)); // the submit's write is queued first
    const saves = paper.questions.map((q, i) => saveAnswer(learner.personId, id, { questionId: q.id, selected: [q.optionOrder[0]!], seq: i + 1 }, now));
    await new Promise((r) => setTimeout(r, 50));
    release();
    await blocker;
    expect(await submit).toEqual({ closedNow: true });
    const results = await Promise.all(saves);
    expect(results.every((r) => !r.ok && r.error === "attempt_closed")).toBe(true);
    const { read } = database;
    expect(await read.select().from(attemptAnswers).where(eq(attemptAnswers.attemptId, id))).toEqual([]);
    expect(await events(id, "answer_rejected")).toHaveLength(paper.questions.length);
  });
});

describe("a server restart mid-attempt", () => {
  it("keeps every saved answer and the remaining time", async () => {
    const learner = await readyLearner();
    const { id, paper, row } = await started(learner.personId);
    const key = wrongKey(exam);
    const half = paper.questions.slice(0, 3);
    let seq = 1;
    for (const q of half) await saveAnswer(learner.personId, id, { questionId: q.id, selected: key.get(q.id)!, seq: seq++ }, T0 + 5 * MIN);
    const before = await loadAttemptForTaking(learner.personId, id, "vi", T0 + 6 * MIN);

    // Drop the process's database handle and every in-memory cache, then reopen the same file.
    const g = globalThis as typeof globalThis & { __lmsDb?: unknown };
    (await getDatabase()).close();
    g.__lmsDb = undefined;
    clearExamCache();
    clearAttemptFacts();

    const after = await loadAttemptForTaking(learner.personId, id, "vi", T0 + 6 * MIN);
    expect(after.kind).toBe("open");
    if (after.kind !== "open" || before.kind !== "open") throw new Error("unreachable");
    expect(Object.keys(after.view.answers).sort()).toEqual(half.map((q) => q.id).sort());
    for (const q of half) expect(after.view.answers[q.id]!.selected).toEqual(key.get(q.id));
    expect(after.view.paper).toEqual(before.view.paper);
    expect(after.view.deadlineAt).toBe(row.deadlineAt);
    expect(after.view.remainingMs).toBe(row.deadlineAt - (T0 + 6 * MIN));
    expect(after.view.remainingMs).toBe(before.view.remainingMs);
  });
});

describe("submit and grading", () => {
  it("a doubled submit grades once and issues one certificate, in the grading write", async () => {
    const learner = await readyLearner();
    const { id, paper } = await started(learner.personId);
    await answerAll(learner.personId, id, paper, answerKey(exam), T0 + MIN);
    const [a, b] = await Promise.all([
      submitAttempt(learner.personId, id, "candidate", T0 + 2 * MIN),
      submitAttempt(learner.personId, id, "candidate", T0 + 2 * MIN),
    ]);
    expect([a?.closedNow, b?.closedNow].sort()).toEqual([false, true]);
    expect(await submitAttempt(learner.personId, id, "candidate", T0 + 3 * MIN)).toEqual({ closedNow: false });
    expect(await events(id, "submitted")).toHaveLength(1);
    const { read } = await getDatabase();
    const [row] = await read.select().from(attempts).where(eq(attempts.id, id));
    expect(row).toMatchObject({ status: "submitted", submitReason: "candidate", passed: true, scorePercent: 100, submittedAt: T0 + 2 * MIN });
    const certs = await read.select().from(certificates).where(eq(certificates.attemptId, id));
    expect(certs).toHaveLength(1);
    const cert = certs[0]!;
    expect(cert.issuedAt).toBe(row!.submittedAt);
    expect(isValidSerial(cert.serial)).toBe(true);
    // The certificate is signed for real: the payload verifies with the issuing key's recorded public half.
    const [key] = await read.select().from(signingKeys).where(eq(signingKeys.id, cert.keyId));
    const payload = CertificatePayloadSchema.parse(JSON.parse(cert.payloadJson));
    expect(payload.serial).toBe(cert.serial);
    expect(verifyPayload(payload, cert.signature, importPublicKeyB64url(key!.publicKey))).toBe(true);
  });

  it("partial credit and the pass mark come from the pure grader; the result shows the review policy", async () => {
    const learner = await readyLearner();
    const { id, paper } = await started(learner.personId);
    await answerAll(learner.personId, id, paper, answerKey(exam), T0 + MIN);
    await submitAttempt(learner.personId, id, "candidate", T0 + 2 * MIN);
    const result = await attemptResult(learner.personId, id, "vi", T0 + 3 * MIN);
    if (result.kind !== "result") throw new Error(result.kind);
    expect(result.view.review.policy).toBe("explanations");
    expect(result.view.review.questions?.every((q) => q.explanation && q.correct)).toBe(true);
    expect(result.view.certificateSerial).toMatch(/^KNS-2026-\d{6}-[0-9A-Z]$/);
  });

  it("a fail shows the score only, attempts left and the cooldown; a retry is refused until it ends", async () => {
    const learner = await readyLearner();
    const { id, paper } = await started(learner.personId);
    await answerAll(learner.personId, id, paper, wrongKey(exam), T0 + MIN);
    await submitAttempt(learner.personId, id, "candidate", T0 + 2 * MIN);
    const result = await attemptResult(learner.personId, id, "vi", T0 + 3 * MIN);
    if (result.kind !== "result") throw new Error(result.kind);
    expect(result.view.review).toMatchObject({ policy: "score_only", passed: false, percent: 0 });
    expect(result.view.review.questions).toBeUndefined();
    expect(result.view.reviewWithheld).toBe(true);
    expect(result.view.attemptsLeft).toBe(2);
    const retryAt = T0 + 2 * MIN + exam.rules.cooldownMinutes * MIN;
    expect(result.view.next).toEqual({ ok: false, reason: "cooldown", retryAt });
    expect(await certificatesOf(id)).toHaveLength(0);

    expect(await startAttempt(learner.personId, TEST_COURSE, retryAt - 1)).toEqual({ ok: false, reason: "cooldown", retryAt });
    const second = await startAttempt(learner.personId, TEST_COURSE, retryAt);
    expect(second).toMatchObject({ ok: true, resumed: false });
  });

  it("uses every attempt, then refuses with max_attempts and shows the full review", async () => {
    const learner = await readyLearner();
    let now = T0;
    let lastId = "";
    for (let i = 0; i < exam.rules.maxAttempts!; i++) {
      const { id, paper } = await started(learner.personId, now);
      await answerAll(learner.personId, id, paper, wrongKey(exam), now + MIN);
      await submitAttempt(learner.personId, id, "candidate", now + 2 * MIN);
      now += 2 * MIN + exam.rules.cooldownMinutes * MIN;
      lastId = id;
    }
    expect(await startAttempt(learner.personId, TEST_COURSE, now)).toEqual({ ok: false, reason: "max_attempts" });
    const result = await attemptResult(learner.personId, lastId, "vi", now);
    if (result.kind !== "result") throw new Error(result.kind);
    expect(result.view.review.policy).toBe("explanations");
    expect(result.view.attemptsLeft).toBe(0);
  });
});

async function certificatesOf(attemptId: string) {
  const { read } = await getDatabase();
  return read.select().from(certificates).where(eq(certificates.attemptId, attemptId));
}

describe("expiry", () => {
  it("the sweep grades exactly what was saved, once, and a pass still gets its certificate", async () => {
    const learner = await readyLearner();
    const { id, paper, row } = await started(learner.personId);
    await answerAll(learner.personId, id, paper, answerKey(exam), T0 + MIN);
    const other = await readyLearner();
    const partial = await started(other.personId);
    const key = answerKey(exam);
    const q0 = partial.paper.questions[0]!;
    await saveAnswer(other.personId, partial.id, { questionId: q0.id, selected: key.get(q0.id)!, seq: 1 }, T0 + MIN);

    expect(await closeExpiredAttempts({ now: row.deadlineAt })).toEqual({ closed: 0, passed: 0 }); // not yet
    const swept = await closeExpiredAttempts({ now: row.deadlineAt + GRACE_MS + 1 });
    expect(swept.closed).toBeGreaterThanOrEqual(2);
    expect(await closeExpiredAttempts({ now: row.deadlineAt + GRACE_MS + 2 })).toEqual({ closed: 0, passed: 0 });

    const { read } = await getDatabase();
    const [full] = await read.select().from(attempts).where(eq(attempts.id, id));
    expect(full).toMatchObject({ status: "expired", submitReason: "sweep", passed: true, scorePercent: 100 });
    expect(await certificatesOf(id)).toHaveLength(1);
    const [part] = await read.select().from(attempts).where(eq(attempts.id, partial.id));
    expect(part!.scorePoints).toBe(exam.questions.find((q) => q.id === q0.id)!.points);
    expect(part!.status).toBe("expired");
  });

  it("an expired attempt is closed on the candidate's next request, and a new one can start after the cooldown", async () => {
    const learner = await readyLearner();
    const { id, row } = await started(learner.personId);
    const later = row.deadlineAt + 5 * MIN;
    expect(await loadAttemptForTaking(learner.personId, id, "vi", later)).toEqual({ kind: "closed" });
    const result = await attemptResult(learner.personId, id, "vi", later);
    if (result.kind !== "result") throw new Error(result.kind);
    expect(result.view).toMatchObject({ status: "expired", submitReason: "deadline" });
    expect(await startAttempt(learner.personId, TEST_COURSE, later)).toMatchObject({ ok: false, reason: "cooldown" });
  });

  it("a submit arriving after the deadline plus grace closes as expired with the saved answers", async () => {
    const learner = await readyLearner();
    const { id, row } = await started(learner.personId);
    await submitAttempt(learner.personId, id, "deadline", row.deadlineAt + GRACE_MS + 500);
    const { read } = await getDatabase();
    const [closed] = await read.select().from(attempts).where(eq(attempts.id, id));
    expect(closed).toMatchObject({ status: "expired", submitReason: "deadline", scorePoints: 0 });
  });

  it("starting again past the deadline closes the old attempt first instead of resuming it", async () => {
    const learner = await readyLearner();
    const { id, row } = await started(learner.personId);
    const result = await startAttempt(learner.personId, TEST_COURSE, row.deadlineAt + GRACE_MS + 1);
    expect(result).toMatchObject({ ok: false, reason: "cooldown" });
    const { read } = await getDatabase();
    const [closed] = await read.select().from(attempts).where(eq(attempts.id, id));
    expect(closed!.status).toBe("expired");
  });
});

describe("saves after the attempt was closed elsewhere", () => {
  it("a save to an attempt another process closed is refused by the write, though this process knows the attempt", async () => {
    const learner = await readyLearner();
    const { id, paper } = await started(learner.personId);
    const [q1, q2] = paper.questions;
    expect((await saveAnswer(learner.personId, id, { questionId: q1!.id, selected: [q1!.optionOrder[0]!], seq: 1 }, T0 + MIN)).ok).toBe(true);
    // Another worker submits: only the database knows.
    const database = await getDatabase();
    await database.write((tx) => tx.update(attempts).set({ status: "submitted", submittedAt: T0 + 2 * MIN }).where(eq(attempts.id, id)));
    const late = await saveAnswer(learner.personId, id, { questionId: q2!.id, selected: [q2!.optionOrder[0]!], seq: 2 }, T0 + 3 * MIN);
    expect(late).toMatchObject({ ok: false, error: "attempt_closed" });
    const stored = await database.read.select().from(attemptAnswers).where(eq(attemptAnswers.attemptId, id));
    expect(stored.map((a) => a.questionId)).toEqual([q1!.id]);
    expect(await events(id, "answer_rejected")).toHaveLength(1);
  });
});

describe("ownership", () => {
  it("an attempt its owner has saved to stays not found for anyone else", async () => {
    const owner = await readyLearner();
    const intruder = await readyLearner();
    const { id, paper } = await started(owner.personId);
    const q = paper.questions[0]!;
    expect((await saveAnswer(owner.personId, id, { questionId: q.id, selected: [q.optionOrder[0]!], seq: 1 }, T0)).ok).toBe(true);
    expect(await saveAnswer(intruder.personId, id, { questionId: q.id, selected: [q.optionOrder[1]!], seq: 2 }, T0)).toMatchObject({
      ok: false,
      error: "not_found",
    });
    const { read } = await getDatabase();
    const [stored] = await read.select().from(attemptAnswers).where(eq(attemptAnswers.attemptId, id));
    expect(stored!.selectedJson).toBe(JSON.stringify([q.optionOrder[0]!]));
  });

  it("another candidate can neither see, answer, submit nor read the result of an attempt", async () => {
    const owner = await readyLearner();
    const intruder = await readyLearner();
    const { id, paper } = await started(owner.personId);
    const q = paper.questions[0]!;
    expect(await loadAttemptForTaking(intruder.personId, id, "vi", T0)).toEqual({ kind: "not_found" });
    expect(await saveAnswer(intruder.personId, id, { questionId: q.id, selected: [q.optionOrder[0]!], seq: 1 }, T0)).toMatchObject({
      ok: false,
      error: "not_found",
    });
    expect(await submitAttempt(intruder.personId, id, "candidate", T0)).toBeNull();
    expect(await attemptResult(intruder.personId, id, "vi", T0)).toEqual({ kind: "not_found" });
    const { read } = await getDatabase();
    const [row] = await read.select().from(attempts).where(eq(attempts.id, id));
    expect(row!.status).toBe("in_progress");
    expect(await read.select().from(attemptAnswers).where(eq(attemptAnswers.attemptId, id))).toEqual([]);
  });
});
