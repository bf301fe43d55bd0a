/**
 * The attempt server: start, resume, autosave, submit, close at the deadline, show the result. Every function
 * takes the acting person's id and loads an attempt only together with it (`id = ? AND person_id = ?`), so one
 * candidate can never read, answer or submit another's attempt. Decisions come from the pure modules
 * (attempt-rules, draw, grading, review); this file loads, writes and logs.
 *
 * Writes go through the single writer (docs/decisions/0002). Grading happens in the write that closes the
 * attempt, with a conditional `UPDATE … WHERE status = 'in_progress'`, so a doubled submit, a submit racing the
 * sweep, or two server processes can grade an attempt only once; a pass issues the certificate in that write.
 */
import { and, asc, eq, lt, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { preparedPerDb } from "#db/prepared";
import { attemptAnswers, attemptEvents, attempts, certificates, courses, type CredentialId } from "#db/schema";
import { getCourseProgress, type CourseProgress } from "~/courses/progress.server";
import { getDatabase, type Db, type Tx } from "~/db.server";
import { newId } from "~/utils/ids";
import {
  canSaveAnswer,
  canStartAttempt,
  DEFAULT_GRACE_MS,
  deadlineFor,
  isExpired,
  remainingMs,
  validateAnswer,
  type AnswerRejection,
  type AttemptStatus,
  type PreviousAttempt,
  type StartDecision,
} from "./attempt-rules";
import { examForVersion, knownVersionId, prepareCourseVersion, rememberVersion, upsertCourseVersion } from "./course-versions.server";
import { createGroupCommit } from "./group-commit.server";
import { drawPaper, publicPaper, type Paper, type PublicPaper } from "./draw";
import type { Exam, ExamRules, Lang, ReviewPolicy } from "./exam-schema";
import { gradeAttempt, type Grade } from "./grading";
import { onPass } from "./on-pass.server";
import { reviewView, type ReviewView } from "./review";

export const GRACE_MS = DEFAULT_GRACE_MS;

type AttemptRow = typeof attempts.$inferSelect;
type SubmitReason = NonNullable<AttemptRow["submitReason"]>;

const parsePaper = (json: string) => JSON.parse(json) as Paper;

function toPrevious(row: Pick<AttemptRow, "attemptNo" | "status" | "passed" | "submittedAt">): PreviousAttempt {
  return { attemptNo: row.attemptNo, status: row.status, passed: row.passed, submittedAt: row.submittedAt };
}

// Prepared once per database handle: the owner lookup runs on every autosave, so its SQL is built only once.
const ownAttemptQuery = preparedPerDb((read: Db) =>
  read
    .select()
    .from(attempts)
    .where(and(eq(attempts.id, sql.placeholder("id")), eq(attempts.personId, sql.placeholder("personId"))))
    .prepare(),
);

/** The taking page's other reads (course titles, saved answers), prepared once per database handle like the above. */
const takingQueries = preparedPerDb((read: Db) => ({
  titles: read
    .select({ titleVi: courses.titleVi, titleEn: courses.titleEn })
    .from(courses)
    .where(eq(courses.id, sql.placeholder("courseId")))
    .prepare(),
  answers: read
    .select({ questionId: attemptAnswers.questionId, selectedJson: attemptAnswers.selectedJson, seq: attemptAnswers.seq, savedAt: attemptAnswers.savedAt })
    .from(attemptAnswers)
    .where(eq(attemptAnswers.attemptId, sql.placeholder("attemptId")))
    .prepare(),
}));

async function ownAttempt(attemptId: string, personId: string): Promise<AttemptRow | null> {
  const { read } = await getDatabase();
  const [row] = await ownAttemptQuery(read).all({ id: attemptId, personId });
  return row ?? null;
}

/**
 * What never changes about an attempt once it is stored (its owner, paper, course version and deadline; only the
 * status and the grade are ever updated), kept per process so an autosave needs no read and no paper parse before
 * its write. The status is deliberately not kept: the write re-checks it (saveInTx). Bounded, oldest first out.
 */
type AttemptFacts = { personId: string; courseVersionId: string; deadlineAt: number; paper: Paper };
const MAX_ATTEMPT_FACTS = 5_000;
const attemptFactsCache = new Map<string, AttemptFacts>();

/** The kept facts of `row`'s attempt (remembered now if they were not); null when they belong to someone else. */
function factsOf(row: AttemptRow): AttemptFacts | null {
  const known = attemptFactsCache.get(row.id);
  if (!known) return rememberFacts(row);
  return known.personId === row.personId ? known : null;
}

function rememberFacts(row: AttemptRow): AttemptFacts {
  const facts = { personId: row.personId, courseVersionId: row.courseVersionId, deadlineAt: row.deadlineAt, paper: parsePaper(row.paperJson) };
  if (attemptFactsCache.size >= MAX_ATTEMPT_FACTS) attemptFactsCache.delete(attemptFactsCache.keys().next().value!);
  attemptFactsCache.set(row.id, facts);
  return facts;
}

/** Forgets the kept attempt facts (tests that reopen the database). */
export function clearAttemptFacts(): void {
  attemptFactsCache.clear();
}

// Prepared once per database handle: every start and start page reads the person's attempts at the course.
const attemptsOfQuery = preparedPerDb((read: Db) =>
  read
    .select()
    .from(attempts)
    .where(and(eq(attempts.personId, sql.placeholder("personId")), eq(attempts.courseId, sql.placeholder("courseId"))))
    .orderBy(asc(attempts.attemptNo))
    .prepare(),
);

async function attemptsOf(personId: string, courseId: string): Promise<AttemptRow[]> {
  const { read } = await getDatabase();
  return attemptsOfQuery(read).all({ personId, courseId });
}

async function logEvent(tx: Tx, attemptId: string, kind: string, detail: unknown, at: number): Promise<void> {
  await tx.insert(attemptEvents).values({ id: newId(), attemptId, kind, detailJson: JSON.stringify(detail), at });
}

// ---------------------------------------------------------------------------------------------------------------
// Closing and grading

export type CloseOutcome = { closed: boolean; grade: Grade | null; certificateSerial: string | null };

/**
 * Grades the saved answers and closes the attempt, inside the caller's write. Returns `closed: false` when the
 * attempt was already closed (the conditional UPDATE matched nothing): the first close wins, later ones no-op.
 */
export async function closeAttemptInTx(
  tx: Tx,
  attemptId: string,
  exam: Exam,
  close: { now: number; status: "submitted" | "expired"; reason: SubmitReason },
): Promise<CloseOutcome> {
  const [row] = await tx.select().from(attempts).where(eq(attempts.id, attemptId));
  if (!row || row.status !== "in_progress") return { closed: false, grade: null, certificateSerial: null };
  const saved = await tx
    .select({ questionId: attemptAnswers.questionId, selectedJson: attemptAnswers.selectedJson })
    .from(attemptAnswers)
    .where(eq(attemptAnswers.attemptId, attemptId));
  const answers: Record<string, string[]> = {};
  for (const a of saved) answers[a.questionId] = JSON.parse(a.selectedJson) as string[];
  const grade = gradeAttempt(exam, parsePaper(row.paperJson), answers);
  const updated = await tx
    .update(attempts)
    .set({
      status: close.status,
      submittedAt: close.now,
      submitReason: close.reason,
      scorePoints: grade.scorePoints,
      maxPoints: grade.maxPoints,
      scorePercent: grade.percent,
      passed: grade.passed,
      gradeJson: JSON.stringify(grade),
    })
    .where(and(eq(attempts.id, attemptId), eq(attempts.status, "in_progress")))
    .returning({ id: attempts.id });
  if (updated.length === 0) return { closed: false, grade: null, certificateSerial: null };
  await logEvent(
    tx,
    attemptId,
    close.status,
    { reason: close.reason, percent: grade.percent, passed: grade.passed, answered: saved.length },
    close.now,
  );
  let certificateSerial: string | null = null;
  if (grade.passed) {
    const [course] = await tx.select({ credentialId: courses.credentialId }).from(courses).where(eq(courses.id, row.courseId));
    if (!course) throw new Error(`course ${row.courseId} of attempt ${attemptId} does not exist`);
    const issued = await onPass(tx, {
      attemptId,
      personId: row.personId,
      courseId: row.courseId,
      courseVersionId: row.courseVersionId,
      credentialId: course.credentialId as CredentialId,
      scorePercent: grade.percent,
      issuedAt: close.now,
    });
    certificateSerial = issued.serial;
  }
  return { closed: true, grade, certificateSerial };
}

/** Closes `row` with what was saved when its deadline (plus grace) has passed; true when it is (now) closed. */
async function closeIfExpired(row: AttemptRow, now: number, reason: SubmitReason = "deadline"): Promise<boolean> {
  if (row.status !== "in_progress") return true;
  if (!isExpired(row.deadlineAt, now, GRACE_MS)) return false;
  const exam = await examForVersion(row.courseVersionId);
  const database = await getDatabase();
  await database.write((tx) => closeAttemptInTx(tx, row.id, exam, { now, status: "expired", reason }));
  return true;
}

/**
 * The sweep: closes and grades every open attempt whose deadline plus grace has passed (`npm run cli --
 * exam:sweep`, and before reports). Works in chunks so one write never holds the writer for long.
 */
export async function closeExpiredAttempts(
  options: { now?: number; limit?: number; reason?: SubmitReason } = {},
): Promise<{ closed: number; passed: number }> {
  const now = options.now ?? Date.now();
  const database = await getDatabase();
  const due = await database.read
    .select({ id: attempts.id, courseVersionId: attempts.courseVersionId })
    .from(attempts)
    .where(and(eq(attempts.status, "in_progress"), lt(attempts.deadlineAt, now - GRACE_MS)))
    .orderBy(asc(attempts.deadlineAt))
    .limit(options.limit ?? 10_000);
  let closed = 0;
  let passed = 0;
  for (let i = 0; i < due.length; i += 50) {
    const chunk = due.slice(i, i + 50);
    const exams = await Promise.all(chunk.map((a) => examForVersion(a.courseVersionId)));
    await database.write(async (tx) => {
      for (const [j, a] of chunk.entries()) {
        const outcome = await closeAttemptInTx(tx, a.id, exams[j]!, { now, status: "expired", reason: options.reason ?? "sweep" });
        if (outcome.closed) closed++;
        if (outcome.grade?.passed) passed++;
      }
    });
  }
  return { closed, passed };
}

/** This person's attempts at the course, after closing any whose time ran out (read again only then). */
async function currentAttemptsOf(personId: string, courseId: string, now: number): Promise<AttemptRow[]> {
  const rows = await attemptsOf(personId, courseId);
  let closed = false;
  for (const row of rows) {
    if (row.status === "in_progress" && (await closeIfExpired(row, now))) closed = true;
  }
  return closed ? attemptsOf(personId, courseId) : rows;
}

// ---------------------------------------------------------------------------------------------------------------
// The start page and starting

/** Whether the exam is open: the course engine's definition of "every lesson of the current version read". */
export type LessonsGate = Pick<CourseProgress, "lessonsTotal" | "lessonsRead" | "allRead">;

async function lessonsGate(personId: string, courseId: string): Promise<LessonsGate> {
  const { lessonsTotal, lessonsRead, allRead } = await getCourseProgress(personId, courseId);
  return { lessonsTotal, lessonsRead, allRead };
}

export type ExamOverview = {
  course: { slug: string; title: Record<Lang, string> };
  rules: ExamRules;
  questionCount: number;
  lessons: LessonsGate;
  attemptsUsed: number;
  attemptsLeft: number | null;
  decision: StartDecision;
  inProgress: { id: string; deadlineAt: number } | null;
  last: { id: string; attemptNo: number; percent: number | null; passed: boolean | null; submittedAt: number | null } | null;
  passed: { attemptId: string; percent: number | null; certificateSerial: string | null } | null;
};

function attemptsLeft(rules: ExamRules, used: number): number | null {
  return rules.maxAttempts === null ? null : Math.max(0, rules.maxAttempts - used);
}

/** Everything the start page shows; closes a timed-out open attempt first so the numbers are current. */
export async function examOverview(personId: string, slug: string, now = Date.now()): Promise<ExamOverview | null> {
  const prepared = await prepareCourseVersion(slug);
  if (!prepared) return null;
  const previous = await currentAttemptsOf(personId, slug, now);
  const rules = prepared.exam.rules;
  const decision = canStartAttempt({ rules, previousAttempts: previous.map(toPrevious), now });
  const open = previous.find((a) => a.status === "in_progress");
  const closed = previous.filter((a) => a.status !== "in_progress");
  const last = closed[closed.length - 1];
  const passedRow = previous.find((a) => a.passed === true);
  let certificateSerial: string | null = null;
  if (passedRow) {
    const { read } = await getDatabase();
    const [cert] = await read.select({ serial: certificates.serial }).from(certificates).where(eq(certificates.attemptId, passedRow.id));
    certificateSerial = cert?.serial ?? null;
  }
  return {
    course: { slug, title: prepared.course.title },
    rules,
    questionCount: prepared.exam.topics.reduce((n, t) => n + t.draw, 0),
    lessons: await lessonsGate(personId, slug),
    attemptsUsed: previous.length,
    attemptsLeft: attemptsLeft(rules, previous.length),
    decision,
    inProgress: open ? { id: open.id, deadlineAt: open.deadlineAt } : null,
    last: last
      ? { id: last.id, attemptNo: last.attemptNo, percent: last.scorePercent, passed: last.passed, submittedAt: last.submittedAt }
      : null,
    passed: passedRow ? { attemptId: passedRow.id, percent: passedRow.scorePercent, certificateSerial } : null,
  };
}

export type StartResult =
  | { ok: true; attemptId: string; resumed: boolean }
  | { ok: false; reason: "lessons_unread" | "max_attempts" | "cooldown" | "already_passed"; retryAt?: number };

const isUniqueViolation = (e: unknown) => /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(String((e as Error)?.message ?? e));

/**
 * Starts an attempt or returns the one in progress (a double click, a second tab, a retried POST all land on the
 * same attempt: the partial unique index attempts_one_in_progress makes a second open attempt impossible, and a
 * violation from another process is answered by re-reading). Null when the course or its exam does not exist.
 */
export async function startAttempt(personId: string, slug: string, now = Date.now()): Promise<StartResult | null> {
  const prepared = await prepareCourseVersion(slug);
  if (!prepared) return null;
  const open = (await currentAttemptsOf(personId, slug, now)).find((a) => a.status === "in_progress");
  if (open) return { ok: true, attemptId: open.id, resumed: true };
  const gate = await lessonsGate(personId, slug);
  if (!gate.allRead) return { ok: false, reason: "lessons_unread" };

  // Drawn before the write (pure, fast); the seed is secret and random, and discarded if the paper is not used.
  const paper = drawPaper(prepared.exam, randomBytes(16).toString("hex"));
  const database = await getDatabase();
  const known = knownVersionId(prepared);
  let versionId = known;
  try {
    const result = await database.write(async (tx): Promise<StartResult> => {
      versionId = known ?? (await upsertCourseVersion(tx, prepared, now));
      const previous = await tx
        .select()
        .from(attempts)
        .where(and(eq(attempts.personId, personId), eq(attempts.courseId, slug)));
      const decision = canStartAttempt({ rules: prepared.exam.rules, previousAttempts: previous.map(toPrevious), now });
      if (!decision.ok) return { ok: false, reason: decision.reason, retryAt: decision.retryAt };
      if (decision.resume) {
        const current = previous.find((a) => a.status === "in_progress")!;
        return { ok: true, attemptId: current.id, resumed: true };
      }
      const id = newId();
      await tx.insert(attempts).values({
        id,
        personId,
        courseId: slug,
        courseVersionId: versionId!,
        attemptNo: decision.attemptNo,
        status: "in_progress",
        paperJson: JSON.stringify(paper),
        startedAt: now,
        deadlineAt: deadlineFor(now, prepared.exam.rules),
      });
      await logEvent(tx, id, "started", { attemptNo: decision.attemptNo, questions: paper.questions.length }, now);
      return { ok: true, attemptId: id, resumed: false };
    });
    if (versionId) rememberVersion(prepared, versionId);
    return result;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // Another process opened the attempt between our read and our write: that attempt is the answer.
    const again = (await attemptsOf(personId, slug)).find((a) => a.status === "in_progress");
    if (again) return { ok: true, attemptId: again.id, resumed: true };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Taking

export type SavedAnswer = { selected: string[]; seq: number; savedAt: number };
export type TakingView = {
  attemptId: string;
  course: { slug: string; titleVi: string; titleEn: string };
  attemptNo: number;
  deadlineAt: number;
  serverNow: number;
  remainingMs: number;
  graceMs: number;
  paper: PublicPaper;
  answers: Record<string, SavedAnswer>;
};

/**
 * The paper as the candidate may see it (no answer keys, no explanations) with every saved answer and the
 * remaining time. `closed` when the attempt is over (it is closed here first if its time ran out).
 */
export async function loadAttemptForTaking(
  personId: string,
  attemptId: string,
  lang: Lang,
  now = Date.now(),
): Promise<{ kind: "not_found" } | { kind: "closed" } | { kind: "open"; view: TakingView }> {
  const row = await ownAttempt(attemptId, personId);
  if (!row) return { kind: "not_found" };
  if (row.status !== "in_progress" || (await closeIfExpired(row, now))) return { kind: "closed" };
  const exam = await examForVersion(row.courseVersionId);
  const { read } = await getDatabase();
  const queries = takingQueries(read);
  const [course] = await queries.titles.all({ courseId: row.courseId });
  const saved = await queries.answers.all({ attemptId });
  // The paper is immutable: parsed once per process, into the facts autosave keeps anyway.
  const paper = publicPaper(exam, (factsOf(row) ?? { paper: parsePaper(row.paperJson) }).paper, lang);
  const answers: Record<string, SavedAnswer> = {};
  for (const a of saved) answers[a.questionId] = { selected: JSON.parse(a.selectedJson) as string[], seq: a.seq, savedAt: a.savedAt };
  return {
    kind: "open",
    view: {
      attemptId,
      course: { slug: row.courseId, titleVi: course?.titleVi ?? row.courseId, titleEn: course?.titleEn ?? row.courseId },
      attemptNo: row.attemptNo,
      deadlineAt: row.deadlineAt,
      serverNow: now,
      remainingMs: remainingMs(row.deadlineAt, now),
      graceMs: GRACE_MS,
      paper,
      answers,
    },
  };
}

export type SaveInput = {
  questionId: string;
  selected: string[];
  /**
   * Orders saves of one question: a save is stored only when its seq is higher than the stored one, so a late
   * retry never overwrites a newer answer. Clients send max(last + 1, server-aligned clock); without one (the
   * no-JS form) the server uses max(now, stored + 1).
   */
  seq?: number;
};
export type SaveResult =
  | { ok: true; questionId: string; stored: boolean; seq: number; savedAt: number; selected: string[] }
  | AnswerRejection
  | { ok: false; error: "not_found"; message: string };

async function rejectAndLog(
  row: AttemptRow,
  rejection: AnswerRejection,
  input: SaveInput,
  now: number,
): Promise<AnswerRejection> {
  const database = await getDatabase();
  await database.write((tx) =>
    logEvent(
      tx,
      row.id,
      "answer_rejected",
      { error: rejection.error, questionId: input.questionId.slice(0, 100), selected: input.selected.slice(0, 20), seq: input.seq ?? null },
      now,
    ),
  );
  // An answer after the deadline also tells us the attempt must be closed with what was saved.
  if (rejection.error === "deadline_passed") await closeIfExpired(row, now);
  return rejection;
}

type SaveItem = { attemptId: string; questionId: string; selected: string[]; seq: number | undefined; now: number };

/** One save inside a (group-committed) write: re-checks the attempt is open, then upserts if the seq is newer. */
async function saveInTx(tx: Tx, item: SaveItem): Promise<SaveResult> {
  const { attemptId, questionId, now } = item;
  if (item.seq !== undefined) {
    // The common case in one statement: stored only while the attempt is open and the seq is newer. When nothing
    // is stored, the step-by-step path below finds out why (closed, too late, or a newer answer is kept).
    const selectedJson = JSON.stringify(item.selected);
    const stored = await tx.all<{ seq: number }>(sql`
      INSERT INTO attempt_answers (attempt_id, question_id, selected_json, seq, saved_at)
      SELECT ${attemptId}, ${questionId}, ${selectedJson}, ${item.seq}, ${now}
      WHERE EXISTS (SELECT 1 FROM attempts WHERE id = ${attemptId} AND status = 'in_progress' AND deadline_at + ${GRACE_MS} >= ${now})
      ON CONFLICT (attempt_id, question_id) DO UPDATE
        SET selected_json = excluded.selected_json, seq = excluded.seq, saved_at = excluded.saved_at
        WHERE excluded.seq > attempt_answers.seq
      RETURNING seq`);
    if (stored.length > 0) return { ok: true, questionId, stored: true, seq: item.seq, savedAt: now, selected: item.selected };
  }
  // The status may have changed since the caller's read (a submit in another tab): check it again in the write.
  const [current] = await tx
    .select({ status: attempts.status, deadlineAt: attempts.deadlineAt })
    .from(attempts)
    .where(eq(attempts.id, attemptId));
  const still = canSaveAnswer({ status: current!.status, deadlineAt: current!.deadlineAt, now, graceMs: GRACE_MS });
  if (!still.ok) {
    await logEvent(tx, attemptId, "answer_rejected", { error: still.error, questionId, seq: item.seq ?? null }, now);
    return still;
  }
  let seq = item.seq;
  if (seq === undefined) {
    const [prev] = await tx
      .select({ seq: attemptAnswers.seq })
      .from(attemptAnswers)
      .where(and(eq(attemptAnswers.attemptId, attemptId), eq(attemptAnswers.questionId, questionId)));
    seq = Math.max(now, (prev?.seq ?? 0) + 1);
  }
  const selectedJson = JSON.stringify(item.selected);
  const stored = await tx
    .insert(attemptAnswers)
    .values({ attemptId, questionId, selectedJson, seq, savedAt: now })
    .onConflictDoUpdate({
      target: [attemptAnswers.attemptId, attemptAnswers.questionId],
      set: { selectedJson, seq, savedAt: now },
      setWhere: sql`excluded.seq > ${attemptAnswers.seq}`,
    })
    .returning({ seq: attemptAnswers.seq });
  if (stored.length > 0) return { ok: true, questionId, stored: true, seq, savedAt: now, selected: item.selected };
  // A newer save of this question is already stored (a late retry, or another tab): keep it, report it.
  const [kept] = await tx
    .select({ seq: attemptAnswers.seq, savedAt: attemptAnswers.savedAt, selectedJson: attemptAnswers.selectedJson })
    .from(attemptAnswers)
    .where(and(eq(attemptAnswers.attemptId, attemptId), eq(attemptAnswers.questionId, questionId)));
  return { ok: true, questionId, stored: false, seq: kept!.seq, savedAt: kept!.savedAt, selected: JSON.parse(kept!.selectedJson) as string[] };
}

const commitSave = createGroupCommit(getDatabase, saveInTx);

/** Autosave of one answer (fetch with JS, or the no-JS "save" button). */
export async function saveAnswer(personId: string, attemptId: string, input: SaveInput, now = Date.now()): Promise<SaveResult> {
  const notFound = { ok: false, error: "not_found", message: `Attempt ${attemptId} does not exist.` } as const;
  let facts = attemptFactsCache.get(attemptId);
  let row: AttemptRow | null = null;
  if (!facts) {
    // First save of this attempt in this process: read it once; a closed attempt is answered from that read.
    row = await ownAttempt(attemptId, personId);
    if (!row) return notFound;
    const open = canSaveAnswer({ status: row.status, deadlineAt: row.deadlineAt, now, graceMs: GRACE_MS });
    if (!open.ok) return rejectAndLog(row, open, input, now);
    facts = rememberFacts(row);
  }
  if (facts.personId !== personId) return notFound;
  // Kept facts are current for everything but the status, which the write checks again before storing anything.
  const timely = canSaveAnswer({ status: "in_progress", deadlineAt: facts.deadlineAt, now, graceMs: GRACE_MS });
  const exam = await examForVersion(facts.courseVersionId);
  const valid = timely.ok ? validateAnswer(exam, facts.paper, input.questionId, input.selected) : timely;
  if (!valid.ok) {
    // Refused either way; the current row says whether as closed (which comes first), too late or invalid.
    row ??= await ownAttempt(attemptId, personId);
    if (!row) return notFound;
    const open = canSaveAnswer({ status: row.status, deadlineAt: row.deadlineAt, now, graceMs: GRACE_MS });
    return rejectAndLog(row, open.ok ? valid : open, input, now);
  }

  const result = await commitSave({ attemptId, questionId: input.questionId, selected: valid.selected, seq: input.seq, now });
  if (!result.ok && result.error === "deadline_passed") {
    row = await ownAttempt(attemptId, personId);
    if (row) await closeIfExpired(row, now);
  }
  return result;
}

/**
 * Submits (idempotent: a second submit finds the attempt closed and changes nothing). A submit after the
 * deadline plus grace closes the attempt as expired, graded with the answers saved in time.
 */
export async function submitAttempt(
  personId: string,
  attemptId: string,
  reason: "candidate" | "deadline",
  now = Date.now(),
): Promise<{ closedNow: boolean } | null> {
  const row = await ownAttempt(attemptId, personId);
  if (!row) return null;
  if (row.status !== "in_progress") return { closedNow: false };
  const exam = await examForVersion(row.courseVersionId);
  const late = isExpired(row.deadlineAt, now, GRACE_MS);
  const database = await getDatabase();
  const outcome = await database.write((tx) =>
    closeAttemptInTx(tx, attemptId, exam, late ? { now, status: "expired", reason: "deadline" } : { now, status: "submitted", reason }),
  );
  return { closedNow: outcome.closed };
}

// ---------------------------------------------------------------------------------------------------------------
// Result

export type ResultView = {
  attemptId: string;
  course: { slug: string; titleVi: string; titleEn: string };
  attemptNo: number;
  status: AttemptStatus;
  submitReason: SubmitReason | null;
  submittedAt: number | null;
  review: ReviewView;
  /** the exam's policy was narrowed to the score because the candidate may try again */
  reviewWithheld: boolean;
  certificateSerial: string | null;
  attemptsUsed: number;
  attemptsLeft: number | null;
  next: StartDecision;
};

/**
 * The result page. A failed candidate who may try again sees the score only: showing the key before the retake
 * would let the bank be learnt by heart; the exam's own policy applies after a pass or the last attempt.
 */
export async function attemptResult(
  personId: string,
  attemptId: string,
  lang: Lang,
  now = Date.now(),
): Promise<{ kind: "not_found" } | { kind: "open" } | { kind: "result"; view: ResultView }> {
  let row = await ownAttempt(attemptId, personId);
  if (!row) return { kind: "not_found" };
  if (row.status === "in_progress") {
    if (!(await closeIfExpired(row, now))) return { kind: "open" };
    row = (await ownAttempt(attemptId, personId))!;
  }
  const exam = await examForVersion(row.courseVersionId);
  const grade = JSON.parse(row.gradeJson!) as Grade;
  const all = await attemptsOf(personId, row.courseId);
  const current = await prepareCourseVersion(row.courseId);
  const rules = current?.exam.rules ?? exam.rules;
  const next = canStartAttempt({ rules, previousAttempts: all.map(toPrevious), now });
  const mayRetry = !grade.passed && (next.ok || next.reason === "cooldown");
  const policy: ReviewPolicy = mayRetry ? "score_only" : exam.rules.review;
  const { read } = await getDatabase();
  const [cert] = await read.select({ serial: certificates.serial }).from(certificates).where(eq(certificates.attemptId, attemptId));
  const [course] = await read.select({ titleVi: courses.titleVi, titleEn: courses.titleEn }).from(courses).where(eq(courses.id, row.courseId));
  return {
    kind: "result",
    view: {
      attemptId,
      course: { slug: row.courseId, titleVi: course?.titleVi ?? row.courseId, titleEn: course?.titleEn ?? row.courseId },
      attemptNo: row.attemptNo,
      status: row.status,
      submitReason: row.submitReason,
      submittedAt: row.submittedAt,
      review: reviewView(exam, parsePaper(row.paperJson), grade, lang, policy),
      reviewWithheld: mayRetry && exam.rules.review !== "score_only",
      certificateSerial: cert?.serial ?? null,
      attemptsUsed: all.length,
      attemptsLeft: attemptsLeft(rules, all.length),
      next,
    },
  };
}
