import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { courses, courseVersions } from "#db/schema";
import { getDatabase } from "~/db.server";
import { createTestContent, lesson, writeCourse, type TestContent } from "../../tests/factories/courses";
import { compileCourses } from "./compile.server";
import { clearContentCache, loadContentIndex } from "./content.server";
import { getCourseVersion, syncCourses } from "./sync.server";

let content: TestContent;
const courseA = { slug: "khoa-a", audience: "it_dx" as const, credential: "basic_data_management" as const, order: 2, lessons: [lesson("mot"), lesson("hai")] };
const courseB = { slug: "khoa-b", order: 1, lessons: [lesson("mot")] };

beforeAll(async () => {
  content = await createTestContent([courseA, courseB]);
});
afterAll(async () => {
  await content.cleanup();
});

async function snapshot() {
  const { read } = await getDatabase();
  return { courses: await read.select().from(courses).orderBy(courses.id), versions: await read.select().from(courseVersions).orderBy(courseVersions.id) };
}

test("at start (getDatabase) every course is created with its current version and a manifest snapshot", async () => {
  await getDatabase(); // runs app/startup.server.ts → syncCourses, since LMS_CONTENT_DIR points at the test content
  const index = await loadContentIndex();
  const { courses: rows, versions } = await snapshot();
  expect(rows.map((r) => [r.id, r.audience, r.credentialId, r.sortOrder, r.status, r.validityMonths, r.titleVi])).toEqual([
    ["khoa-a", "it_dx", "basic_data_management", 2, "active", 36, "Khóa khoa-a"],
    ["khoa-b", "all", "basic_digital_skills", 1, "active", 36, "Khóa khoa-b"],
  ]);
  expect(versions).toHaveLength(2);
  const a = rows.find((r) => r.id === "khoa-a")!;
  const va = versions.find((v) => v.id === a.currentVersionId)!;
  expect(va.contentHash).toBe(index.courses.find((c) => c.slug === "khoa-a")!.version);
  expect(JSON.parse(va.manifestJson).lessons.map((l: { slug: string }) => l.slug)).toEqual(["mot", "hai"]);
  expect(va.examJson).toBeNull();
});

test("syncing again changes nothing (no write at all)", async () => {
  const database = await getDatabase();
  const before = await snapshot();
  const report = await syncCourses(database, 2_000);
  expect(report).toEqual({ courses: 2, coursesChanged: [], versionsAdded: [], retired: [] });
  expect(await snapshot()).toEqual(before);
});

test("a content change adds a version and keeps the old one readable", async () => {
  const database = await getDatabase();
  const [old] = await database.read.select().from(courses).where(eq(courses.id, "khoa-a"));
  await writeCourse(content.coursesDir, { ...courseA, lessons: [lesson("mot"), { ...lesson("hai"), vi: { title: "Bài hai (sửa)", body: "Nội dung mới." } }, lesson("ba")] });
  await content.build();
  const report = await syncCourses(database, 3_000);
  expect(report.coursesChanged).toEqual(["khoa-a"]);
  expect(report.versionsAdded).toHaveLength(1);

  const [now] = await database.read.select().from(courses).where(eq(courses.id, "khoa-a"));
  expect(now!.currentVersionId).not.toBe(old!.currentVersionId);
  const versions = await database.read.select().from(courseVersions).where(eq(courseVersions.courseId, "khoa-a"));
  expect(versions).toHaveLength(2);

  const previous = await getCourseVersion(database, old!.currentVersionId!);
  expect(previous?.manifest.lessons.map((l) => l.slug)).toEqual(["mot", "hai"]);
  expect(previous?.manifest.lessons[1]!.title.vi).toBe("Bài hai");
  const current = await getCourseVersion(database, now!.currentVersionId!);
  expect(current?.manifest.lessons.map((l) => l.slug)).toEqual(["mot", "hai", "ba"]);
  expect(current?.manifest.lessons[1]!.title.vi).toBe("Bài hai (sửa)");
  expect(await getCourseVersion(database, "khong-co")).toBeNull();
});

test("going back to an earlier content reuses its version instead of duplicating it", async () => {
  const database = await getDatabase();
  const versionsBefore = await database.read.select().from(courseVersions).where(eq(courseVersions.courseId, "khoa-a"));
  const first = versionsBefore.find((v) => JSON.parse(v.manifestJson).lessons.length === 2)!;
  await writeCourse(content.coursesDir, courseA);
  await content.build();
  const report = await syncCourses(database, 4_000);
  expect(report.versionsAdded).toEqual([]);
  const [row] = await database.read.select().from(courses).where(eq(courses.id, "khoa-a"));
  expect(row!.currentVersionId).toBe(first.id);
});

test("a course folder that disappears is retired, not deleted; it comes back active", async () => {
  const database = await getDatabase();
  await rm(path.join(content.coursesDir, "khoa-b"), { recursive: true });
  await content.build();
  expect((await syncCourses(database, 5_000)).retired).toEqual(["khoa-b"]);
  let [b] = await database.read.select().from(courses).where(eq(courses.id, "khoa-b"));
  expect(b!.status).toBe("retired");
  expect((await syncCourses(database, 5_500)).retired).toEqual([]);

  await writeCourse(content.coursesDir, courseB);
  await content.build();
  const report = await syncCourses(database, 6_000);
  expect(report.coursesChanged).toEqual(["khoa-b"]);
  expect(report.versionsAdded).toEqual([]);
  [b] = await database.read.select().from(courses).where(eq(courses.id, "khoa-b"));
  expect(b!.status).toBe("active");
});

test("the exam bank is snapshotted with the version", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lms-sync-exam-"));
  await cp("tests/fixtures/courses/valid", path.join(dir, "courses"), { recursive: true });
  const exam = { rules: { passPercent: 70 }, questions: [{ id: "mau-001" }] };
  const { errors } = await compileCourses({
    coursesDir: path.join(dir, "courses"),
    outDir: path.join(dir, "content"),
    lawsFile: "courses/README.md",
    validateExam: () => ({ exam, errors: [] }),
  });
  expect(errors).toEqual([]);
  const saved = process.env.LMS_CONTENT_DIR;
  process.env.LMS_CONTENT_DIR = path.join(dir, "content");
  clearContentCache();
  try {
    const database = await getDatabase();
    await syncCourses(database, 7_000);
    const [row] = await database.read.select().from(courses).where(eq(courses.id, "khoa-hoc-mau"));
    const version = await getCourseVersion(database, row!.currentVersionId!);
    expect(version?.exam).toEqual(exam);
    // The other courses are not in this content: they are retired, their versions kept.
    const all = await snapshot();
    expect(all.courses.filter((c) => c.status === "active").map((c) => c.id)).toEqual(["khoa-hoc-mau"]);
    expect(all.versions.filter((v) => v.courseId === "khoa-a")).toHaveLength(2);
  } finally {
    process.env.LMS_CONTENT_DIR = saved;
    clearContentCache();
    await rm(dir, { recursive: true, force: true });
  }
});
