/**
 * Reading progress, always keyed on the reader's own personId (taken from the session by the caller, never from
 * the request), so nobody can read or write another person's progress.
 *
 * - `lesson_progress`: one row per person, course and lesson; `first_viewed_at` when opened, `completed_at` when
 *   read, `client_event_id` of the (possibly offline-queued) event that completed it.
 * - `enrollments`: one row per person and course; the last lesson visited (resume) and when all lessons were
 *   first read.
 * Read lessons are counted against the course's current lessons (progress-core.ts), so a course update that adds a
 * lesson asks for that lesson too, and a removed lesson stops counting.
 *
 * API used by other domains (names are a contract): getCourseProgress, markLessonRead.
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { courses, enrollments, lessonProgress } from "#db/schema";
import { preparedPerDb } from "#db/prepared";
import { getDatabase, type DbOrTx, type Tx } from "~/db.server";
import { newId } from "~/utils/ids";
import { loadContentIndex } from "./content.server";
import type { CourseSummary } from "./content-types";
import { countProgress } from "./progress-core";

export type CourseProgress = {
  lessonsTotal: number;
  lessonsRead: number;
  /** Every lesson of the current version read: the exam may start. */
  allRead: boolean;
  /** The last lesson visited or read (slug without the NN- prefix), for resume. */
  lastLessonSlug: string | null;
};

/** The course or lesson does not exist in the compiled content (or the course was never synced). */
export class UnknownLessonError extends Error {
  override name = "UnknownLessonError";
}

async function findCourse(courseId: string): Promise<CourseSummary | null> {
  const index = await loadContentIndex();
  return index.courses.find((c) => c.slug === courseId) ?? null;
}

async function findLesson(courseId: string, lessonSlug: string) {
  const course = await findCourse(courseId);
  const lesson = course?.lessons.find((l) => l.slug === lessonSlug);
  if (!course || !lesson) throw new UnknownLessonError(`No lesson "${lessonSlug}" in course "${courseId}".`);
  return { course, lesson };
}

/** Slugs of the lessons this person has read, per course (all courses, or the ones given). */
/** One course's read lessons (every lesson page asks): prepared once per connection. */
const readInCourse = preparedPerDb((db: DbOrTx) =>
  db
    .select({ courseId: lessonProgress.courseId, lessonSlug: lessonProgress.lessonSlug })
    .from(lessonProgress)
    .where(and(eq(lessonProgress.personId, sql.placeholder("personId")), isNotNull(lessonProgress.completedAt), eq(lessonProgress.courseId, sql.placeholder("courseId"))))
    .prepare(),
);

export async function readLessonSlugs(db: DbOrTx, personId: string, courseIds?: string[]): Promise<Map<string, Set<string>>> {
  const rows =
    courseIds?.length === 1
      ? await readInCourse(db).execute({ personId, courseId: courseIds[0]! })
      : await db
          .select({ courseId: lessonProgress.courseId, lessonSlug: lessonProgress.lessonSlug })
          .from(lessonProgress)
          .where(and(eq(lessonProgress.personId, personId), isNotNull(lessonProgress.completedAt), courseIds ? inArray(lessonProgress.courseId, courseIds) : undefined));
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    let s = out.get(r.courseId);
    if (!s) out.set(r.courseId, (s = new Set()));
    s.add(r.lessonSlug);
  }
  return out;
}

export type EnrollmentRow = typeof enrollments.$inferSelect;

/** This person's enrollments, by course id. */
const enrollmentInCourse = preparedPerDb((db: DbOrTx) =>
  db
    .select()
    .from(enrollments)
    .where(and(eq(enrollments.personId, sql.placeholder("personId")), eq(enrollments.courseId, sql.placeholder("courseId"))))
    .prepare(),
);

export async function enrollmentsOf(db: DbOrTx, personId: string, courseIds?: string[]): Promise<Map<string, EnrollmentRow>> {
  const rows =
    courseIds?.length === 1
      ? await enrollmentInCourse(db).execute({ personId, courseId: courseIds[0]! })
      : await db
          .select()
          .from(enrollments)
          .where(and(eq(enrollments.personId, personId), courseIds ? inArray(enrollments.courseId, courseIds) : undefined));
  return new Map(rows.map((r) => [r.courseId, r]));
}

function progressOf(course: CourseSummary | null, read: Set<string> | undefined, enrollment: EnrollmentRow | undefined): CourseProgress {
  const { lessonsTotal, lessonsRead, allRead } = countProgress(course?.lessons ?? [], read ?? new Set());
  return { lessonsTotal, lessonsRead, allRead, lastLessonSlug: enrollment?.lastLessonSlug ?? null };
}

/** Progress of one person in one course (course id = slug). Unknown course → 0 of 0, not all read. */
export async function getCourseProgress(personId: string, courseId: string): Promise<CourseProgress> {
  const course = await findCourse(courseId);
  const { read } = await getDatabase();
  const [slugs, enr] = await Promise.all([readLessonSlugs(read, personId, [courseId]), enrollmentsOf(read, personId, [courseId])]);
  return progressOf(course, slugs.get(courseId), enr.get(courseId));
}

async function currentVersionId(tx: Tx, courseId: string): Promise<string | null> {
  const [row] = await tx.select({ v: courses.currentVersionId }).from(courses).where(eq(courses.id, courseId));
  if (!row) throw new UnknownLessonError(`Course "${courseId}" is not in the database (course sync has not run).`);
  return row.v;
}

async function touchEnrollment(tx: Tx, personId: string, courseId: string, lessonSlug: string, now: number) {
  await tx
    .insert(enrollments)
    .values({ id: newId(), personId, courseId, startedAt: now, lastLessonSlug: lessonSlug, lastVisitedAt: now })
    .onConflictDoUpdate({ target: [enrollments.personId, enrollments.courseId], set: { lastLessonSlug: lessonSlug, lastVisitedAt: now } });
}

export type MarkReadInput = {
  personId: string;
  courseId: string;
  lessonSlug: string;
  /** Id of the client event (offline queue): a replay of the same event changes nothing. */
  eventId?: string | null;
  now?: number;
};

export type MarkReadResult = {
  /** recorded: newly read; already_read: it was read before; replayed: this event id was already applied. */
  outcome: "recorded" | "already_read" | "replayed";
  progress: CourseProgress;
};

/**
 * Marks a lesson read for a person. Idempotent: reading a lesson twice, or replaying the same offline event,
 * never counts twice nor moves the first completion time. Throws UnknownLessonError for an unknown lesson.
 */
export async function markLessonRead(input: MarkReadInput): Promise<MarkReadResult> {
  const { personId, courseId, lessonSlug } = input;
  const eventId = input.eventId || null;
  const now = input.now ?? Date.now();
  const { course } = await findLesson(courseId, lessonSlug);
  const database = await getDatabase();
  return database.write(async (tx) => {
    const outcome = await (async (): Promise<MarkReadResult["outcome"]> => {
      if (eventId) {
        const [seen] = await tx
          .select({ id: lessonProgress.id })
          .from(lessonProgress)
          .where(and(eq(lessonProgress.personId, personId), eq(lessonProgress.courseId, courseId), eq(lessonProgress.clientEventId, eventId)));
        if (seen) return "replayed";
      }
      const key = and(eq(lessonProgress.personId, personId), eq(lessonProgress.courseId, courseId), eq(lessonProgress.lessonSlug, lessonSlug));
      const [existing] = await tx.select().from(lessonProgress).where(key);
      if (existing?.completedAt != null) return "already_read";
      const courseVersionId = await currentVersionId(tx, courseId);
      if (existing) {
        await tx.update(lessonProgress).set({ completedAt: now, clientEventId: eventId, courseVersionId }).where(eq(lessonProgress.id, existing.id));
      } else {
        await tx.insert(lessonProgress).values({ id: newId(), personId, courseId, lessonSlug, courseVersionId, firstViewedAt: now, completedAt: now, clientEventId: eventId });
      }
      await touchEnrollment(tx, personId, courseId, lessonSlug, now);
      return "recorded";
    })();
    const [slugs, enr] = await Promise.all([readLessonSlugs(tx, personId, [courseId]), enrollmentsOf(tx, personId, [courseId])]);
    const progress = progressOf(course, slugs.get(courseId), enr.get(courseId));
    const enrollment = enr.get(courseId);
    if (outcome === "recorded" && progress.allRead && enrollment && enrollment.lessonsCompletedAt === null) {
      await tx.update(enrollments).set({ lessonsCompletedAt: now }).where(eq(enrollments.id, enrollment.id));
    }
    return { outcome, progress };
  });
}

/** Minimum time between two recorded visits of the same lesson (re-renders and reloads are not news). */
const VISIT_DEBOUNCE_MS = 60_000;

/**
 * Records that a person opened a lesson: the lesson's first view and the course's last lesson (resume point).
 * Throws UnknownLessonError for an unknown lesson.
 */
export async function recordLessonVisit(input: { personId: string; courseId: string; lessonSlug: string; now?: number }): Promise<void> {
  const { personId, courseId, lessonSlug } = input;
  const now = input.now ?? Date.now();
  await findLesson(courseId, lessonSlug);
  const database = await getDatabase();
  const enrollment = (await enrollmentsOf(database.read, personId, [courseId])).get(courseId);
  if (enrollment?.lastLessonSlug === lessonSlug && (enrollment.lastVisitedAt ?? 0) > now - VISIT_DEBOUNCE_MS) return;
  await database.write(async (tx) => {
    const courseVersionId = await currentVersionId(tx, courseId);
    await tx
      .insert(lessonProgress)
      .values({ id: newId(), personId, courseId, lessonSlug, courseVersionId, firstViewedAt: now })
      .onConflictDoNothing({ target: [lessonProgress.personId, lessonProgress.courseId, lessonProgress.lessonSlug] });
    await touchEnrollment(tx, personId, courseId, lessonSlug, now);
  });
}
