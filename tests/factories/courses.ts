/**
 * Test data for the course engine: small courses written as real MDX files, compiled with the real compiler into
 * a temporary build/content, and people on the roster to record progress for.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { unitId } from "#db/reference";
import { people, users } from "#db/schema";
import { compileCourses } from "~/courses/compile.server";
import { clearContentCache } from "~/courses/content.server";
import { getDatabase } from "~/db.server";
import { newId } from "~/utils/ids";

export type LessonSpec = { slug: string; vi: { title: string; body: string }; en?: { title: string; body: string }; minutes?: number };
export type CourseSpec = {
  slug: string;
  title?: { vi: string; en: string };
  audience?: "all" | "it_dx" | "leader" | "commune_official";
  credential?: "basic_digital_skills" | "ai_public_service" | "basic_data_management" | "commune_digital_assist" | "leadership_dx";
  order?: number;
  lessons: LessonSpec[];
};

const frontmatter = (fields: Record<string, string | number>) =>
  `---\n${Object.entries(fields)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? JSON.stringify(v) : v}`)
    .join("\n")}\n---\n`;

/** Writes a course folder under `coursesDir` in the authors' format (courses/README.md). */
export async function writeCourse(coursesDir: string, spec: CourseSpec): Promise<void> {
  const dir = path.join(coursesDir, spec.slug);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "lessons"), { recursive: true });
  const title = spec.title ?? { vi: `Khóa ${spec.slug}`, en: `Course ${spec.slug}` };
  for (const lang of ["vi", "en"] as const) {
    const fm = frontmatter({ title: title[lang], summary: lang === "vi" ? "Tóm tắt khóa học." : "Course summary." });
    const rest = [
      `audience: ${spec.audience ?? "all"}`,
      `credential: ${spec.credential ?? "basic_digital_skills"}`,
      "validityMonths: 36",
      "prerequisites: []",
      `order: ${spec.order ?? 1}`,
      "completion: { lessons: all, exam: false }",
    ].join("\n");
    await writeFile(path.join(dir, `course.${lang}.mdx`), `${fm.replace(/---\n$/, `${rest}\n---\n`)}\n${lang === "vi" ? "Giới thiệu khóa học." : "About the course."}\n`);
  }
  for (const [i, l] of spec.lessons.entries()) {
    const nn = String(i + 1).padStart(2, "0");
    for (const lang of ["vi", "en"] as const) {
      const page = l[lang];
      if (!page) continue;
      const fm = frontmatter({ title: page.title, summary: lang === "vi" ? "Tóm tắt bài." : "Lesson summary.", minutes: l.minutes ?? 10 });
      await writeFile(path.join(dir, "lessons", `${nn}-${l.slug}.${lang}.mdx`), `${fm}\n${page.body}\n`);
    }
  }
}

/** A simple lesson with a Vietnamese and an English page. */
export function lesson(slug: string, viBody = `Nội dung bài ${slug}.`, enBody = `Content of lesson ${slug}.`): LessonSpec {
  return { slug, vi: { title: `Bài ${slug}`, body: viBody }, en: { title: `Lesson ${slug}`, body: enBody } };
}

export type TestContent = {
  root: string;
  coursesDir: string;
  outDir: string;
  /** Compiles coursesDir into outDir with the real compiler (fails the test on any error) and clears the loader cache. */
  build(): Promise<void>;
  cleanup(): Promise<void>;
};

/**
 * A temporary courses/ + build/content pair, with the loader pointed at it (LMS_CONTENT_DIR, production mode) for
 * the rest of the test file.
 */
export async function createTestContent(courses: CourseSpec[]): Promise<TestContent> {
  const root = await mkdtemp(path.join(os.tmpdir(), "lms-courses-"));
  const coursesDir = path.join(root, "courses");
  const outDir = path.join(root, "content");
  await mkdir(coursesDir, { recursive: true });
  for (const c of courses) await writeCourse(coursesDir, c);
  process.env.LMS_CONTENT_DIR = outDir;
  process.env.NODE_ENV = "production";
  const content: TestContent = {
    root,
    coursesDir,
    outDir,
    async build() {
      const { errors } = await compileCourses({ coursesDir, outDir, lawsFile: "courses/README.md", concurrency: 2 });
      expect(errors).toEqual([]);
      clearContentCache();
    },
    async cleanup() {
      clearContentCache();
      await rm(root, { recursive: true, force: true });
    },
  };
  await content.build();
  return content;
}

export type PersonSpec = { unit?: string; isItDx?: boolean; isLeader?: boolean; category?: "cadre" | "civil_servant" | "public_employee" | "commune_official" };

/** A person on the roster (in a reference unit, G06 by default). */
export async function createPerson(spec: PersonSpec = {}): Promise<string> {
  const database = await getDatabase();
  const id = newId();
  const now = Date.now();
  await database.write(async (tx) => {
    await tx.insert(people).values({
      id,
      staffCode: `T-${id}`,
      fullName: "Nguyễn Văn Thử",
      orgUnitId: unitId(spec.unit ?? "G06"),
      category: spec.category ?? "civil_servant",
      isItDx: spec.isItDx ?? false,
      isLeader: spec.isLeader ?? false,
      createdAt: now,
      updatedAt: now,
    });
  });
  return id;
}

/** An account row (no password needed by these tests), optionally linked to a person. */
export async function createUserRow(personId: string | null): Promise<string> {
  const database = await getDatabase();
  const id = newId();
  const now = Date.now();
  await database.write(async (tx) => {
    await tx.insert(users).values({ id, personId, username: `u-${id}`, displayName: "Người thử", passwordHash: "x", createdAt: now, passwordChangedAt: now });
  });
  return id;
}
