import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { enrollments, lessonProgress } from "#db/schema";
import { getDatabase } from "~/db.server";
import { createPerson, createTestContent, lesson, writeCourse, type TestContent } from "../../tests/factories/courses";
import { getCourseProgress, markLessonRead, recordLessonVisit, UnknownLessonError } from "./progress.server";
import { syncCourses } from "./sync.server";

let content: TestContent;
const course = { slug: "khoa-tien-do", lessons: [lesson("mot"), lesson("hai"), lesson("ba")] };

beforeAll(async () => {
  content = await createTestContent([course, { slug: "khoa-khac", order: 2, lessons: [lesson("mot")] }]);
  await getDatabase(); // startup sync
});
afterAll(async () => {
  await content.cleanup();
});

async function rows(personId: string) {
  const { read } = await getDatabase();
  return read.select().from(lessonProgress).where(and(eq(lessonProgress.personId, personId), eq(lessonProgress.courseId, course.slug)));
}

test("marking lessons read counts them once each and resumes after the last one", async () => {
  const me = await createPerson();
  expect(await getCourseProgress(me, course.slug)).toEqual({ lessonsTotal: 3, lessonsRead: 0, allRead: false, lastLessonSlug: null });

  const first = await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "mot", now: 1_000 });
  expect(first).toEqual({ outcome: "recorded", progress: { lessonsTotal: 3, lessonsRead: 1, allRead: false, lastLessonSlug: "mot" } });

  // Marking it again (a second click, the auto-mark after the form) changes nothing.
  const again = await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "mot", now: 2_000 });
  expect(again.outcome).toBe("already_read");
  expect(again.progress.lessonsRead).toBe(1);
  const [row] = await rows(me);
  expect(row!.completedAt).toBe(1_000);

  await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "hai", now: 3_000 });
  expect(await getCourseProgress(me, course.slug)).toEqual({ lessonsTotal: 3, lessonsRead: 2, allRead: false, lastLessonSlug: "hai" });
  expect(await rows(me)).toHaveLength(2);
});

test("a replayed offline event (same event id) never counts twice, even for another lesson", async () => {
  const me = await createPerson();
  const r1 = await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "mot", eventId: "evt-1", now: 1_000 });
  expect(r1.outcome).toBe("recorded");
  const r2 = await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "mot", eventId: "evt-1", now: 5_000 });
  expect(r2.outcome).toBe("replayed");
  // The same event id arriving with another lesson is still the same event: ignored.
  const r3 = await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "hai", eventId: "evt-1", now: 6_000 });
  expect(r3.outcome).toBe("replayed");
  expect(r3.progress.lessonsRead).toBe(1);
  const saved = await rows(me);
  expect(saved.map((r) => [r.lessonSlug, r.completedAt, r.clientEventId])).toEqual([["mot", 1_000, "evt-1"]]);
  // A new event for another lesson is recorded.
  expect((await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "hai", eventId: "evt-2" })).outcome).toBe("recorded");
});

test("reading every lesson sets allRead and the enrollment's lessons-completed time", async () => {
  const me = await createPerson();
  for (const [i, slug] of ["ba", "mot", "hai"].entries()) await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: slug, now: 10_000 + i });
  const p = await getCourseProgress(me, course.slug);
  expect(p).toEqual({ lessonsTotal: 3, lessonsRead: 3, allRead: true, lastLessonSlug: "hai" });
  const { read } = await getDatabase();
  const [enr] = await read.select().from(enrollments).where(and(eq(enrollments.personId, me), eq(enrollments.courseId, course.slug)));
  expect(enr!.lessonsCompletedAt).toBe(10_002);
  expect(enr!.startedAt).toBe(10_000);
});

test("visiting a lesson records the first view and the resume point without marking it read", async () => {
  const me = await createPerson();
  await recordLessonVisit({ personId: me, courseId: course.slug, lessonSlug: "hai", now: 1_000 });
  expect(await getCourseProgress(me, course.slug)).toEqual({ lessonsTotal: 3, lessonsRead: 0, allRead: false, lastLessonSlug: "hai" });
  await recordLessonVisit({ personId: me, courseId: course.slug, lessonSlug: "ba", now: 2_000 });
  expect((await getCourseProgress(me, course.slug)).lastLessonSlug).toBe("ba");
  const saved = await rows(me);
  expect(saved.map((r) => [r.lessonSlug, r.firstViewedAt, r.completedAt]).sort()).toEqual([
    ["ba", 2_000, null],
    ["hai", 1_000, null],
  ]);
  // Reading a visited lesson keeps its first view time.
  await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "hai", now: 3_000 });
  const hai = (await rows(me)).find((r) => r.lessonSlug === "hai")!;
  expect([hai.firstViewedAt, hai.completedAt]).toEqual([1_000, 3_000]);
  expect(hai.courseVersionId).not.toBeNull();
});

test("one person's progress never shows in another's", async () => {
  const a = await createPerson();
  const b = await createPerson();
  await markLessonRead({ personId: a, courseId: course.slug, lessonSlug: "mot" });
  await markLessonRead({ personId: a, courseId: "khoa-khac", lessonSlug: "mot" });
  expect(await getCourseProgress(b, course.slug)).toEqual({ lessonsTotal: 3, lessonsRead: 0, allRead: false, lastLessonSlug: null });
  expect((await getCourseProgress(a, course.slug)).lessonsRead).toBe(1);
  expect((await getCourseProgress(a, "khoa-khac")).allRead).toBe(true);
});

test("unknown courses and lessons are refused", async () => {
  const me = await createPerson();
  await expect(markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "khong-co" })).rejects.toBeInstanceOf(UnknownLessonError);
  await expect(markLessonRead({ personId: me, courseId: "khong-co", lessonSlug: "mot" })).rejects.toBeInstanceOf(UnknownLessonError);
  await expect(recordLessonVisit({ personId: me, courseId: course.slug, lessonSlug: "../mot" })).rejects.toBeInstanceOf(UnknownLessonError);
  expect(await getCourseProgress(me, "khong-co")).toEqual({ lessonsTotal: 0, lessonsRead: 0, allRead: false, lastLessonSlug: null });
});

test("a course update that adds a lesson asks for it; a removed lesson stops counting", async () => {
  const me = await createPerson();
  for (const slug of ["mot", "hai", "ba"]) await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: slug });
  expect((await getCourseProgress(me, course.slug)).allRead).toBe(true);

  await writeCourse(content.coursesDir, { ...course, lessons: [lesson("mot"), lesson("hai"), lesson("bon")] });
  await content.build();
  await syncCourses(await getDatabase());
  expect(await getCourseProgress(me, course.slug)).toMatchObject({ lessonsTotal: 3, lessonsRead: 2, allRead: false });
  await markLessonRead({ personId: me, courseId: course.slug, lessonSlug: "bon" });
  expect(await getCourseProgress(me, course.slug)).toMatchObject({ lessonsTotal: 3, lessonsRead: 3, allRead: true });
  await writeCourse(content.coursesDir, course);
  await content.build();
  await syncCourses(await getDatabase());
});
