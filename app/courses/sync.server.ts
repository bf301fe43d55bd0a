/**
 * Course sync: build/content → `courses` + `course_versions`, run at every start (app/startup.server.ts).
 *
 * Each compiled course has a content hash (its version). A version seen for the first time is inserted with a
 * snapshot of its manifest (titles, lessons) and its exam bank, so attempts and certificates that cite an old
 * version stay gradeable and readable after the course changes; versions are never updated or deleted. A course
 * folder that disappeared is marked `retired`, never deleted. When nothing changed the sync only reads (two
 * small SELECTs), so it is cheap on every start of every worker; when several workers start together, the
 * write re-checks inside its transaction (BEGIN IMMEDIATE serialises processes too), so they cannot collide.
 */
import { eq } from "drizzle-orm";
import { courses, courseVersions } from "#db/schema";
import type { Database, DbOrTx } from "~/db.server";
import { newId } from "~/utils/ids";
import { loadContentIndex, loadExam } from "./content.server";
import type { ContentIndex, CourseSummary } from "./content-types";

export type SyncReport = { courses: number; coursesChanged: string[]; versionsAdded: string[]; retired: string[] };

type CourseRow = typeof courses.$inferSelect;
type DesiredCourse = Omit<CourseRow, "currentVersionId" | "updatedAt">;

function desiredRow(c: CourseSummary): DesiredCourse {
  const fm = c.frontmatter.vi;
  return {
    id: c.slug,
    credentialId: fm.credential,
    titleVi: c.title.vi,
    titleEn: c.title.en,
    audience: fm.audience,
    validityMonths: fm.validityMonths,
    status: "active",
    sortOrder: c.order,
  };
}

const SAME_KEYS = ["credentialId", "titleVi", "titleEn", "audience", "validityMonths", "status", "sortOrder"] as const;

function sameCourse(row: CourseRow, want: DesiredCourse, versionId: string | undefined): boolean {
  return versionId !== undefined && row.currentVersionId === versionId && SAME_KEYS.every((k) => row[k] === want[k]);
}

async function readState(db: DbOrTx) {
  const rows = await db.select().from(courses);
  const versions = await db.select({ id: courseVersions.id, courseId: courseVersions.courseId, contentHash: courseVersions.contentHash }).from(courseVersions);
  const versionId = new Map(versions.map((v) => [`${v.courseId}@${v.contentHash}`, v.id]));
  return { rows: new Map(rows.map((r) => [r.id, r])), versionId };
}

function needsWrite(index: ContentIndex, state: Awaited<ReturnType<typeof readState>>): boolean {
  const slugs = new Set(index.courses.map((c) => c.slug));
  for (const c of index.courses) {
    const row = state.rows.get(c.slug);
    if (!row || !sameCourse(row, desiredRow(c), state.versionId.get(`${c.slug}@${c.version}`))) return true;
  }
  for (const row of state.rows.values()) if (!slugs.has(row.id) && row.status !== "retired") return true;
  return false;
}

/** The manifest snapshot stored with a version: everything the catalogue knows about it, no compiled code. */
export type CourseManifest = CourseSummary;

/** Brings `courses` and `course_versions` in line with the compiled content. Idempotent. */
export async function syncCourses(database: Database, now = Date.now()): Promise<SyncReport> {
  const index = await loadContentIndex();
  const report: SyncReport = { courses: index.courses.length, coursesChanged: [], versionsAdded: [], retired: [] };
  if (!needsWrite(index, await readState(database.read))) return report;

  // Exams are read (and parsed) before the write: slow work stays outside the single writer.
  const exams = new Map(await Promise.all(index.courses.map(async (c) => [c.slug, c.hasExam ? await loadExam(c.slug) : null] as const)));
  await database.write(async (tx) => {
    const state = await readState(tx);
    for (const c of index.courses) {
      const key = `${c.slug}@${c.version}`;
      const want = desiredRow(c);
      const row = state.rows.get(c.slug);
      if (!row) {
        // The course row first: its version references it (and it references no version yet).
        await tx.insert(courses).values({ ...want, currentVersionId: null, updatedAt: now });
      }
      let versionId = state.versionId.get(key);
      if (!versionId) {
        versionId = newId();
        const exam = exams.get(c.slug);
        await tx.insert(courseVersions).values({
          id: versionId,
          courseId: c.slug,
          contentHash: c.version,
          manifestJson: JSON.stringify(c),
          examJson: exam ? JSON.stringify(exam) : null,
          createdAt: now,
        });
        report.versionsAdded.push(key);
      }
      if (!row || !sameCourse(row, want, versionId)) {
        await tx.update(courses).set({ ...want, currentVersionId: versionId, updatedAt: now }).where(eq(courses.id, c.slug));
        report.coursesChanged.push(c.slug);
      }
    }
    const slugs = new Set(index.courses.map((c) => c.slug));
    for (const row of state.rows.values()) {
      if (!slugs.has(row.id) && row.status !== "retired") {
        await tx.update(courses).set({ status: "retired", updatedAt: now }).where(eq(courses.id, row.id));
        report.retired.push(row.id);
      }
    }
  });
  return report;
}

export type CourseVersion = {
  id: string;
  courseId: string;
  contentHash: string;
  createdAt: number;
  manifest: CourseManifest;
  /** The exam bank as it was in this version (answer keys included: server only). */
  exam: unknown;
};

/** A course version as snapshotted at sync, current or not (for attempts and certificates that cite it). */
export async function getCourseVersion(database: Database, versionId: string): Promise<CourseVersion | null> {
  const [v] = await database.read.select().from(courseVersions).where(eq(courseVersions.id, versionId));
  if (!v) return null;
  return {
    id: v.id,
    courseId: v.courseId,
    contentHash: v.contentHash,
    createdAt: v.createdAt,
    manifest: JSON.parse(v.manifestJson) as CourseManifest,
    exam: v.examJson === null ? null : (JSON.parse(v.examJson) as unknown),
  };
}
