/**
 * Small builders for exam tests (vitest and Playwright): compiled test content, roster people with accounts, and
 * "has read every lesson" progress rows. Each writes through the caller's database handle.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { unitId } from "../../db/reference";
import { lessonProgress, orgUnits, people, users } from "../../db/schema";
import { prepareCourseVersion, upsertCourseVersion } from "../../app/assessments/course-versions.server";
import type { Exam } from "../../app/assessments/exam-schema";
import { clearContentCache, loadContentIndex } from "../../app/courses/content.server";
import { CONTENT_FORMAT, type ContentIndex, type CourseSummary } from "../../app/courses/content-types";
import { newId } from "../../app/utils/ids";
import { loadValidExam } from "../fixtures/exams";

export const TEST_COURSE = "kiem-tra-mau";

/**
 * Writes a compiled-content directory holding one course with `exam` (default: the valid.yml fixture) and points
 * LMS_CONTENT_DIR at it. `version` stands for the content hash: change it to simulate a new course version.
 */
export function writeTestContent(options: { slug?: string; exam?: Exam; lessons?: string[]; version?: string } = {}) {
  const slug = options.slug ?? TEST_COURSE;
  const exam = options.exam ?? loadValidExam();
  const lessons = options.lessons ?? ["thu-dien-tu", "mat-khau"];
  const dir = mkdtempSync(path.join(os.tmpdir(), "lms-exam-content-"));
  const frontmatter = {
    title: "Khóa kiểm tra mẫu",
    summary: "Khóa học dùng trong kiểm thử.",
    audience: "all",
    credential: "basic_digital_skills",
    validityMonths: 36,
    prerequisites: [],
    order: 1,
    completion: { lessons: "all", exam: true },
  };
  const course = {
    slug,
    version: options.version ?? "0123456789abcdef",
    order: 1,
    title: { vi: "Khóa kiểm tra mẫu", en: "Sample test course" },
    summary: { vi: "Khóa học dùng trong kiểm thử.", en: "A course used in tests." },
    frontmatter: { vi: frontmatter, en: { ...frontmatter, title: "Sample test course", summary: "A course used in tests." } },
    lessons: lessons.map((l, i) => ({
      id: `${String(i + 1).padStart(2, "0")}-${l}`,
      number: i + 1,
      slug: l,
      title: { vi: l, en: l },
      summary: { vi: l, en: l },
      minutes: 10,
      digcomp: [],
      languages: ["vi", "en"],
      wordCount: { vi: 100, en: 100 },
    })),
    hasExam: true,
    assets: [],
  } as unknown as CourseSummary;
  const index: ContentIndex = { format: CONTENT_FORMAT, courses: [course] };
  mkdirSync(path.join(dir, slug), { recursive: true });
  writeFileSync(path.join(dir, "index.json"), JSON.stringify(index));
  writeFileSync(path.join(dir, slug, "exam.json"), JSON.stringify(exam));
  process.env.LMS_CONTENT_DIR = dir;
  clearContentCache();
  return { slug, exam, dir, lessons };
}

let counter = 0;

/** A person on the roster of `unitCode` with a learner account (the password hash is unusable: no login). */
export async function createLearner(database: Database, options: { unitCode?: string; name?: string } = {}) {
  const n = ++counter;
  const personId = newId();
  const userId = newId();
  const now = Date.now();
  const unitCode = options.unitCode ?? "G06";
  await database.write(async (tx) => {
    const [unit] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.id, unitId(unitCode)));
    if (!unit) throw new Error(`createLearner: unit ${unitCode} is not in the reference tree`);
    await tx.insert(people).values({
      id: personId,
      staffCode: `TEST-${process.pid}-${n}-${personId.slice(-6)}`,
      fullName: options.name ?? `Nguyễn Văn Thử ${n}`,
      orgUnitId: unit.id,
      category: "civil_servant",
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(users).values({
      id: userId,
      personId,
      username: `thu.${n}.${personId.slice(-6)}`,
      displayName: options.name ?? `Nguyễn Văn Thử ${n}`,
      passwordHash: "not-a-hash",
      createdAt: now,
      passwordChangedAt: now,
    });
  });
  return { personId, userId };
}

/** Marks every lesson of `slug` (as compiled now) read by `personId`, creating the course row if needed. */
export async function markLessonsRead(database: Database, personId: string, slug: string, options: { only?: number } = {}) {
  const prepared = await prepareCourseVersion(slug);
  if (!prepared) throw new Error(`markLessonsRead: no compiled course "${slug}" with an exam`);
  const index = await loadContentIndex();
  const lessons = index.courses.find((c) => c.slug === slug)!.lessons.slice(0, options.only);
  const now = Date.now();
  await database.write(async (tx) => {
    const versionId = await upsertCourseVersion(tx, prepared, now);
    for (const l of lessons) {
      await tx
        .insert(lessonProgress)
        .values({ id: newId(), personId, courseId: slug, lessonSlug: l.slug, courseVersionId: versionId, firstViewedAt: now, completedAt: now })
        // A lesson only visited before (no completed_at) becomes read too.
        .onConflictDoUpdate({ target: [lessonProgress.personId, lessonProgress.courseId, lessonProgress.lessonSlug], set: { completedAt: sql`coalesce(${lessonProgress.completedAt}, ${now})` } });
    }
  });
  return lessons.length;
}

/** The person id behind a username (e2e: the demo accounts). */
export async function personOf(database: Database, username: string): Promise<string> {
  const [u] = await database.read.select({ personId: users.personId }).from(users).where(eq(users.username, username));
  if (!u?.personId) throw new Error(`personOf: ${username} has no roster person`);
  return u.personId;
}

/** Every option id that is right for each question (read from the exam file, never from a page). */
export function answerKey(exam: Exam): Map<string, string[]> {
  return new Map(exam.questions.map((q) => [q.id, [...q.correct]]));
}

/** A wrong choice for each question (the first option that is not in the key). */
export function wrongKey(exam: Exam): Map<string, string[]> {
  return new Map(exam.questions.map((q) => [q.id, [q.options.find((o) => !q.correct.includes(o.id))!.id]]));
}
