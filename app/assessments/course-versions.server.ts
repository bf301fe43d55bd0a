/**
 * Which exam an attempt uses. A new attempt uses the course version compiled into build/content; an attempt
 * already started is always graded against the exam snapshot of its own course version (course_versions.exam_json),
 * so a course edited mid-attempt never changes a paper or a score.
 *
 * Until the course engine's start-up sync owns these rows, starting an attempt upserts the course and its current
 * version itself (idempotent: same content hash → same row; the id is read back, never assumed).
 */
import { and, eq } from "drizzle-orm";
import { courses, courseVersions, type CredentialId } from "#db/schema";
import { getDatabase, type DbOrTx, type Tx } from "~/db.server";
import { loadContentIndex, loadExam } from "~/courses/content.server";
import type { CourseSummary } from "~/courses/content-types";
import type { Exam } from "./exam-schema";

export type PreparedCourseVersion = {
  course: CourseSummary;
  exam: Exam;
  /** the id used when this process creates the version row: `${slug}@${contentHash}` */
  proposedVersionId: string;
};

/** The current compiled course and exam for `slug`, or null when the course or its exam does not exist. */
export async function prepareCourseVersion(slug: string): Promise<PreparedCourseVersion | null> {
  const index = await loadContentIndex();
  const course = index.courses.find((c) => c.slug === slug);
  if (!course || !course.hasExam) return null;
  const exam = await loadExam(slug);
  if (!exam) return null;
  return { course, exam, proposedVersionId: `${slug}@${course.version}` };
}

/**
 * Makes sure the course row and the version row of `prepared` exist (inside the caller's write) and returns the
 * version id. Never overwrites what the course sync wrote: rows that exist are only read.
 */
export async function upsertCourseVersion(tx: Tx, prepared: PreparedCourseVersion, now: number): Promise<string> {
  const { course, exam } = prepared;
  const fm = course.frontmatter.vi;
  await tx
    .insert(courses)
    .values({
      id: course.slug,
      credentialId: fm.credential as CredentialId,
      titleVi: course.title.vi,
      titleEn: course.title.en,
      audience: fm.audience,
      validityMonths: fm.validityMonths ?? null,
      currentVersionId: prepared.proposedVersionId,
      status: "active",
      sortOrder: course.order,
      updatedAt: now,
    })
    .onConflictDoNothing();
  await tx
    .insert(courseVersions)
    .values({
      id: prepared.proposedVersionId,
      courseId: course.slug,
      contentHash: course.version,
      manifestJson: JSON.stringify(course),
      examJson: JSON.stringify(exam),
      createdAt: now,
    })
    .onConflictDoNothing();
  const [row] = await tx
    .select({ id: courseVersions.id })
    .from(courseVersions)
    .where(and(eq(courseVersions.courseId, course.slug), eq(courseVersions.contentHash, course.version)));
  if (!row) throw new Error(`course version ${course.slug}@${course.version} could not be stored`);
  return row.id;
}

// Version rows are never deleted, so once this process has seen one committed it need not upsert it again (the
// exam snapshot is tens of kilobytes: binding it on every start would be waste at a start-of-exam rush).
const committedVersions = new Map<string, string>();
const versionKey = (p: PreparedCourseVersion) => `${p.course.slug}\u0000${p.course.version}`;

/** The version id of `prepared` when this process already knows it is stored. */
export function knownVersionId(prepared: PreparedCourseVersion): string | undefined {
  return committedVersions.get(versionKey(prepared));
}

/** Call after the write that upserted `prepared` committed. */
export function rememberVersion(prepared: PreparedCourseVersion, versionId: string): void {
  committedVersions.set(versionKey(prepared), versionId);
}

// Exam snapshots are immutable per version id, so a parsed copy can be kept for the life of the process.
const examCache = new Map<string, Promise<Exam>>();

/** The exam snapshot of a course version (with answer keys: server only). */
export function examForVersion(versionId: string, db?: DbOrTx): Promise<Exam> {
  let cached = examCache.get(versionId);
  if (!cached) {
    cached = (async () => {
      const reader = db ?? (await getDatabase()).read;
      const [row] = await reader
        .select({ examJson: courseVersions.examJson })
        .from(courseVersions)
        .where(eq(courseVersions.id, versionId));
      if (!row?.examJson) throw new Error(`course version ${versionId} has no exam snapshot`);
      return JSON.parse(row.examJson) as Exam;
    })();
    examCache.set(versionId, cached);
    cached.catch(() => examCache.delete(versionId));
  }
  return cached;
}

/** Forgets parsed exams (tests that reopen the database). */
export function clearExamCache(): void {
  examCache.clear();
  committedVersions.clear();
}
