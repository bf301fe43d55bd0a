import { afterAll, beforeAll, expect, test } from "vitest";
import { getDatabase } from "~/db.server";
import { createPerson, createTestContent, lesson, type TestContent } from "../../tests/factories/courses";
import { getCatalogue, getCourseAsset, getCoursePage, getLessonPage, getMyLearning } from "./catalogue.server";
import { markLessonRead, recordLessonVisit } from "./progress.server";
import { clearPreviewCache, getAuthorPreview } from "./preview.server";
import { searchLessons } from "./search.server";

let content: TestContent;

beforeAll(async () => {
  content = await createTestContent([
    {
      slug: "du-lieu",
      title: { vi: "Quản lý dữ liệu", en: "Data management" },
      audience: "it_dx",
      credential: "basic_data_management",
      order: 2,
      lessons: [
        lesson("luat", "Luật Dữ liệu quy định việc **quản lý dữ liệu** số.\n\nMột đoạn khác nói về đăng ký.", "The Law on Data governs digital data."),
        lesson("chat-luong", "Chất lượng thông tin.", "Information quality."),
        // Written in Vietnamese only: English readers get the Vietnamese text with a note, and a warning for authors.
        { slug: "chi-tieng-viet", vi: { title: "Chỉ tiếng Việt", body: "Nội dung chỉ có bằng tiếng Việt." } },
      ],
    },
    { slug: "co-ban", title: { vi: "Kỹ năng cơ bản", en: "Basic skills" }, order: 1, lessons: [lesson("mot"), lesson("hai")] },
    { slug: "lanh-dao", title: { vi: "Lãnh đạo", en: "Leadership" }, audience: "leader", credential: "leadership_dx", order: 3, lessons: [lesson("mot")] },
  ]);
  await getDatabase();
});
afterAll(async () => {
  await content.cleanup();
});

test("catalogue: courses in order with my progress; those aimed at my groups are marked; audience filter", async () => {
  const me = await createPerson({ isItDx: true });
  await markLessonRead({ personId: me, courseId: "du-lieu", lessonSlug: "luat" });
  const cat = await getCatalogue({ personId: me, lang: "vi" });
  expect(cat.myAudiences).toEqual(["it_dx"]);
  expect(cat.courses.map((c) => [c.slug, c.relevant, c.status, c.progress.lessonsRead, c.progress.lessonsTotal])).toEqual([
    ["co-ban", false, "not_started", 0, 2],
    ["du-lieu", true, "in_progress", 1, 3],
    ["lanh-dao", false, "not_started", 0, 1],
  ]);
  expect(cat.courses[1]!.credential).toBe("Quản lý dữ liệu cơ bản");
  expect((await getCatalogue({ personId: me, lang: "en", audience: "leader" })).courses.map((c) => c.title)).toEqual(["Leadership"]);

  const leader = await createPerson({ isLeader: true });
  expect((await getCatalogue({ personId: leader, lang: "vi" })).courses.filter((c) => c.relevant).map((c) => c.slug)).toEqual(["lanh-dao"]);
  // Another person's progress is not mine.
  expect((await getCatalogue({ personId: leader, lang: "vi" })).courses.every((c) => c.progress.lessonsRead === 0)).toBe(true);
});

test("an account without a person sees the catalogue without progress", async () => {
  const cat = await getCatalogue({ personId: null, lang: "vi" });
  expect(cat.hasPerson).toBe(false);
  expect(cat.courses.every((c) => c.status === "not_started" && !c.relevant)).toBe(true);
  expect((await getMyLearning({ personId: null, lang: "vi" })).hasPerson).toBe(false);
});

test("course page: outline with read lessons, resume exactly where I left off, exam closed until all read", async () => {
  const me = await createPerson();
  let page = await getCoursePage({ personId: me, slug: "du-lieu", lang: "vi" });
  expect(page?.resume).toEqual({ slug: "luat", kind: "start", title: "Bài luat" });
  expect(page?.examOpen).toBe(false);

  await markLessonRead({ personId: me, courseId: "du-lieu", lessonSlug: "luat" });
  await recordLessonVisit({ personId: me, courseId: "du-lieu", lessonSlug: "chi-tieng-viet" });
  page = await getCoursePage({ personId: me, slug: "du-lieu", lang: "en" });
  expect(page?.resume).toMatchObject({ slug: "chi-tieng-viet", kind: "continue" });
  expect(page?.lessons.map((l) => [l.slug, l.read, l.isLast, l.fallback])).toEqual([
    ["luat", true, false, false],
    ["chat-luong", false, false, false],
    ["chi-tieng-viet", false, true, true],
  ]);
  expect(page?.progress).toMatchObject({ lessonsRead: 1, lessonsTotal: 3, percent: 33 });
  expect(page?.overview?.html).toContain("About the course");
  expect(await getCoursePage({ personId: me, slug: "khong-co", lang: "vi" })).toBeNull();
});

test("lesson page: previous/next, read state, language fallback", async () => {
  const me = await createPerson();
  const mid = await getLessonPage({ personId: me, slug: "du-lieu", lessonSlug: "chat-luong", lang: "vi" });
  expect([mid?.prev?.slug, mid?.next?.slug, mid?.lesson.position, mid?.isRead]).toEqual(["luat", "chi-tieng-viet", 2, false]);
  await markLessonRead({ personId: me, courseId: "du-lieu", lessonSlug: "chat-luong" });
  expect((await getLessonPage({ personId: me, slug: "du-lieu", lessonSlug: "chat-luong", lang: "vi" }))?.isRead).toBe(true);

  const fallback = await getLessonPage({ personId: me, slug: "du-lieu", lessonSlug: "chi-tieng-viet", lang: "en" });
  expect(fallback?.lesson).toMatchObject({ title: "Chỉ tiếng Việt", lang: "vi", fallbackFrom: "vi", languages: ["vi"] });
  expect(fallback?.next).toBeNull();
  expect(await getLessonPage({ personId: me, slug: "du-lieu", lessonSlug: "khong-co", lang: "vi" })).toBeNull();
});

test("my learning: in progress (most recent first) and completed", async () => {
  const me = await createPerson();
  await markLessonRead({ personId: me, courseId: "lanh-dao", lessonSlug: "mot", now: 1_000 });
  await markLessonRead({ personId: me, courseId: "co-ban", lessonSlug: "mot", now: 2_000 });
  await recordLessonVisit({ personId: me, courseId: "du-lieu", lessonSlug: "chat-luong", now: 3_000 });
  const mine = await getMyLearning({ personId: me, lang: "vi" });
  expect(mine.inProgress.map((c) => [c.slug, c.resume?.slug])).toEqual([
    ["du-lieu", "chat-luong"],
    ["co-ban", "hai"],
  ]);
  // lanh-dao has one lesson and no exam: reading it completes the course.
  expect(mine.completed.map((c) => c.slug)).toEqual(["lanh-dao"]);
});

test("search: diacritic-insensitive over both languages, from the compiled text", async () => {
  const r = await searchLessons({ q: "quan ly du lieu", lang: "vi" });
  expect(r.results.map((x) => `${x.courseSlug}/${x.lessonSlug}.${x.lang}`)).toEqual(["du-lieu/luat.vi"]);
  expect(r.results[0]!.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(["quản lý dữ liệu"]);
  expect((await searchLessons({ q: "digital data", lang: "vi" })).results.map((x) => x.lang)).toEqual(["en"]);
  // The Vietnamese-only lesson is indexed once (no English copy of the same text).
  expect((await searchLessons({ q: "chi co bang tieng viet", lang: "en" })).results).toHaveLength(1);
  expect(await searchLessons({ q: "d", lang: "vi" })).toMatchObject({ tooShort: true, results: [] });
});

test("author preview: the compiler's warnings per course and word counts per lesson", async () => {
  process.env.LMS_COURSES_DIR = content.coursesDir;
  clearPreviewCache();
  try {
    const preview = await getAuthorPreview({ lang: "vi" });
    expect(preview.checked).toBe(true);
    const duLieu = preview.courses.find((c) => c.slug === "du-lieu")!;
    expect(duLieu.warnings.map((w) => w.message).join("\n")).toMatch(/no English file/);
    expect(duLieu.errors).toEqual([]);
    expect(duLieu.sourceVersion).toBe(duLieu.version);
    expect(duLieu.lessons.map((l) => [l.slug, l.words.vi !== undefined && l.words.vi > 0, l.words.en])).toEqual([
      ["luat", true, 7],
      ["chat-luong", true, 2],
      ["chi-tieng-viet", true, undefined],
    ]);
    expect(preview.courses.find((c) => c.slug === "co-ban")!.warnings).toEqual([]);
  } finally {
    delete process.env.LMS_COURSES_DIR;
    clearPreviewCache();
  }
});

test("course assets: no path traversal, no hidden files, images only", async () => {
  expect(await getCourseAsset("du-lieu", "../index.json")).toBeNull();
  expect(await getCourseAsset("..", "index.json")).toBeNull();
  expect(await getCourseAsset("du-lieu", "khong-co.png")).toBeNull();
});
