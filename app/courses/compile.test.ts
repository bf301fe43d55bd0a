import { existsSync, readFileSync } from "node:fs";
import { cp, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { compileCourses, crossCheckCourses, formatContentError, hashCourseDir, type CourseResult, type ExamValidator } from "./compile.server";
import type { ContentIndex, LessonPage } from "./content-types";

const FIXTURES = "tests/fixtures/courses";
const LAWS = "courses/README.md";
const compile = (fixture: string, extra: Partial<Parameters<typeof compileCourses>[0]> = {}) =>
  compileCourses({ coursesDir: `${FIXTURES}/${fixture}`, lawsFile: LAWS, write: false, ...extra });
/** 1-based line of the first line of `file` containing `needle` (so tests follow fixture edits, yet check the line). */
const lineOf = (file: string, needle: string) => readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(needle)) + 1;
const tmp = () => mkdtemp(path.join(os.tmpdir(), "lms-content-"));

test("a valid course with two lessons in two languages compiles, with headings, text, word counts and version", async () => {
  const { courses, errors, warnings } = await compile("valid");
  expect(errors).toEqual([]);
  expect(warnings).toEqual([]);
  expect(courses).toHaveLength(1);
  const c = courses[0]!;
  expect(c.slug).toBe("khoa-hoc-mau");
  expect(c.version).toMatch(/^[0-9a-f]{16}$/);
  expect(c.version).toBe(await hashCourseDir(`${FIXTURES}/valid/khoa-hoc-mau`));
  expect(c.frontmatter.vi.title).toBe("Khóa học mẫu");
  expect(c.frontmatter.en.title).toBe("Sample course");
  expect(c.lessons.map((l) => [l.id, l.number, l.slug, l.languages])).toEqual([
    ["01-gioi-thieu", 1, "gioi-thieu", ["vi", "en"]],
    ["02-chu-ky-so", 2, "chu-ky-so", ["vi", "en"]],
  ]);
  const l1 = c.lessons[0]!;
  expect(l1.title).toEqual({ vi: "Giới thiệu", en: "Introduction" });
  expect(l1.minutes).toBe(10);
  expect(l1.digcomp).toEqual(["1.1", "2.1"]); // the unquoted 2.1 in the vi file is accepted as "2.1"
  const vi = l1.pages.vi;
  expect(vi.fallbackFrom).toBeUndefined();
  expect(vi.headings).toEqual([{ depth: 2, text: "Mục tiêu", id: "muc-tieu" }]);
  expect(c.lessons[1]!.pages.en.headings).toEqual([{ depth: 2, text: "What is a signature", id: "what-is-a-signature" }]);
  // Text for search: prose, component titles/captions, inline Step text, SelfCheck question and options.
  for (const s of ["Sau bài này, bạn hiểu văn bản điện tử.", "Căn cứ pháp lý", "Luồng văn bản", "Mở trang Dịch vụ công.", "Văn bản điện tử có giá trị pháp lý không?"]) {
    expect(vi.text).toContain(s);
  }
  expect(vi.text).not.toContain("title:"); // no frontmatter
  expect(vi.wordCount).toBe(vi.text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)!.length);
  expect(l1.wordCount.vi).toBe(vi.wordCount);
  expect(vi.html).toContain('<h2 id="muc-tieu">'); // the heading id is in the prebuilt HTML, so anchors work
  expect(c.overview.vi.headings[0]?.id).toBe("ban-se-hoc-gi");
  expect(c.hasExam).toBe(true);
  expect(c.exam).toBeUndefined(); // no validator was given
  expect(c.assets.sort()).toEqual(["quy-trinh.png", "so-do.png"]);
});

test("bad frontmatter: an audience value that is not allowed is reported at the line of that key", async () => {
  const { errors, courses } = await compile("bad-frontmatter");
  const file = `${FIXTURES}/bad-frontmatter/khoa-loi-frontmatter/course.vi.mdx`;
  expect(courses).toEqual([]);
  expect(errors).toContainEqual({
    file,
    line: lineOf(file, "audience:"),
    message: 'audience: must be one of all, it_dx, leader, commune_official (got "everyone")',
  });
  expect(errors).toContainEqual(expect.objectContaining({ file, line: lineOf(file, "durationHours"), message: expect.stringContaining('unknown key "durationHours"') }));
});

test("an unknown component is an error at its line, also when nested in an allowed one", async () => {
  const { errors } = await compile("unknown-component");
  const file = `${FIXTURES}/unknown-component/khoa-loi-component/lessons/01-bai-mot.vi.mdx`;
  expect(errors.map((e) => [e.file, e.line, e.message.split(":")[0]])).toEqual([
    [file, lineOf(file, "<Quiz"), "unknown component <Quiz>"],
    [file, lineOf(file, "<Highlight>"), "unknown component <Highlight>"],
  ]);
});

test("a link to a lesson that does not exist is an error at its line; a link to an existing lesson is fine", async () => {
  const { errors } = await compile("broken-link");
  const file = `${FIXTURES}/broken-link/khoa-loi-lien-ket/lessons/01-bai-mot.en.mdx`;
  expect(errors).toEqual([
    { file, line: lineOf(file, "03-khong-ton-tai"), message: expect.stringContaining('broken link "./03-khong-ton-tai#muc": this course has no lesson 03-khong-ton-tai') },
  ]);
});

test("images (Figure src and markdown images) must exist in the course's assets folder", async () => {
  const { errors } = await compile("missing-image");
  const file = `${FIXTURES}/missing-image/khoa-loi-hinh/lessons/01-bai-mot.vi.mdx`;
  expect(errors).toEqual([
    { file, line: lineOf(file, "khong-co.png"), message: expect.stringContaining("assets/khong-co.png") },
    { file, line: lineOf(file, "mat.png"), message: expect.stringContaining("assets/mat.png") },
  ]);
});

test("two lessons with the same number are an error", async () => {
  const { errors } = await compile("duplicate-number");
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) expect(e.message).toContain("duplicate lesson number 01: used by 01-bai-khac and 01-bai-mot");
});

test("an MDX syntax error is reported with the file's own line", async () => {
  const { errors } = await compile("mdx-syntax");
  const file = `${FIXTURES}/mdx-syntax/khoa-loi-cu-phap/lessons/01-bai-mot.vi.mdx`;
  expect(errors).toEqual([{ file, line: lineOf(file, "<Callout"), message: expect.stringMatching(/^MDX syntax error: .*closing tag for `<Callout>`/) }]);
});

test("a lesson missing in one language is a warning, and the other language is used with fallbackFrom", async () => {
  const out = path.join(await tmp(), "content");
  const { errors, warnings, courses } = await compile("missing-language", { write: true, outDir: out });
  expect(errors).toEqual([]);
  expect(warnings).toEqual([
    {
      file: `${FIXTURES}/missing-language/khoa-thieu-ngon-ngu/lessons/02-chi-tieng-viet.vi.mdx`,
      line: 0,
      message: expect.stringContaining("has no English file (02-chi-tieng-viet.en.mdx)"),
    },
  ]);
  const lesson = courses[0]!.lessons[1]!;
  expect(lesson.languages).toEqual(["vi"]);
  expect(lesson.pages.en.fallbackFrom).toBe("vi");
  expect(lesson.pages.en.frontmatter.title).toBe("Chỉ có tiếng Việt");
  const written = JSON.parse(await readFile(path.join(out, "khoa-thieu-ngon-ngu/chi-tieng-viet.en.json"), "utf8")) as LessonPage;
  expect(written.fallbackFrom).toBe("vi");
  await rm(path.dirname(out), { recursive: true, force: true });
});

test("course frontmatter keys other than title and summary must be equal in both languages", async () => {
  const { errors } = await compile("language-mismatch");
  const file = `${FIXTURES}/language-mismatch/khoa-lech-ngon-ngu/course.en.mdx`;
  expect(errors).toEqual([{ file, line: lineOf(file, "audience:"), message: expect.stringContaining('"audience" differs between languages: "leader" here but "all" in course.vi.mdx') }]);
});

test("a LawRef number that is not in the laws table of courses/README.md is an error; a listed one is not", async () => {
  const { errors } = await compile("lawref-unknown");
  const file = `${FIXTURES}/lawref-unknown/khoa-loi-van-ban/lessons/01-bai-mot.vi.mdx`;
  expect(errors).toEqual([{ file, line: lineOf(file, "99/2099/QH99"), message: expect.stringContaining('<LawRef number="99/2099/QH99"> is not in the laws table of courses/README.md') }]);
});

test("required and statically visible component props are checked", async () => {
  const { errors } = await compile("component-props");
  const file = `${FIXTURES}/component-props/khoa-loi-thuoc-tinh/lessons/01-bai-mot.vi.mdx`;
  expect(errors.map((e) => [e.line, e.message])).toEqual([
    [lineOf(file, 'type="tip"'), expect.stringContaining("type must be one of note, warning, law")],
    [lineOf(file, "<Figure"), expect.stringContaining("<Figure> needs alt")],
    [lineOf(file, "<SelfCheck"), expect.stringContaining("answer 3 is out of range: there are 3 options")],
    [lineOf(file, "<Term>"), expect.stringContaining("<Term> needs def")],
    [lineOf(file, "<Step "), expect.stringContaining("<Step> must be inside <Steps>")],
  ]);
});

test("errors from several courses are all reported in one run, each with file and line", async () => {
  const { errors, courses } = await compile("multi");
  const root = `${FIXTURES}/multi`;
  expect(courses).toEqual([]);
  expect(errors.map(formatContentError)).toEqual([
    `${root}/Khoa_Sai: course folder name "Khoa_Sai" is not a valid slug: use lower-kebab ASCII (a-z, 0-9, single hyphens)`,
    `${root}/khoa-a/course.en.mdx:4: audience: must be one of all, it_dx, leader, commune_official (got "everyone")`,
    `${root}/khoa-a/course.vi.mdx:4: audience: must be one of all, it_dx, leader, commune_official (got "everyone")`,
    `${root}/khoa-b/lessons/01-bai-mot.vi.mdx:7: broken link "./03-bai-ba": this course has no lesson 03-bai-ba (lessons: 01-bai-mot)`,
    `${root}/khoa-c/lessons/01-bai-mot.en.mdx:7: unknown component <Widget>: course MDX may only use Callout, Figure, Steps, Step, Term, LawRef, SelfCheck`,
  ]);
});

test("output: index.json, one JSON per lesson and language, course pages, exam and assets", async () => {
  const out = path.join(await tmp(), "content");
  const calls: string[] = [];
  const validateExam: ExamValidator = (text, file) => {
    calls.push(file);
    return { exam: { parsed: text.includes("mau-001") }, errors: [] };
  };
  const { errors } = await compile("valid", { write: true, outDir: out, validateExam });
  expect(errors).toEqual([]);
  expect(calls).toEqual([`${FIXTURES}/valid/khoa-hoc-mau/exam.yml`]);
  const index = JSON.parse(await readFile(path.join(out, "index.json"), "utf8")) as ContentIndex;
  expect(index.courses.map((c) => [c.slug, c.title.vi, c.lessons.map((l) => l.slug), c.hasExam])).toEqual([
    ["khoa-hoc-mau", "Khóa học mẫu", ["gioi-thieu", "chu-ky-so"], true],
  ]);
  expect(index.courses[0]!.lessons[0]).not.toHaveProperty("pages");
  for (const f of ["gioi-thieu.vi.json", "gioi-thieu.en.json", "chu-ky-so.vi.json", "chu-ky-so.en.json", "_course.vi.json", "_course.en.json", "assets/so-do.png"]) {
    expect(existsSync(path.join(out, "khoa-hoc-mau", f)), f).toBe(true);
  }
  const page = JSON.parse(await readFile(path.join(out, "khoa-hoc-mau/chu-ky-so.en.json"), "utf8")) as LessonPage;
  expect(Object.keys(page).sort()).toEqual(["frontmatter", "headings", "html", "text", "wordCount"]);
  expect(JSON.parse(await readFile(path.join(out, "khoa-hoc-mau/exam.json"), "utf8"))).toEqual({ parsed: true });
  await rm(path.dirname(out), { recursive: true, force: true });
});

test("exam.yml: validator errors fail the build, and a missing exam.yml is an error when completion.exam is true", async () => {
  const dir = await tmp();
  await cp(`${FIXTURES}/valid`, dir, { recursive: true });
  const failing: ExamValidator = (_text, file) => ({ errors: [{ file, line: 3, message: "passPercent must be 1–100" }] });
  const r1 = await compileCourses({ coursesDir: dir, lawsFile: LAWS, rootDir: dir, write: false, validateExam: failing });
  expect(r1.errors).toEqual([{ file: "khoa-hoc-mau/exam.yml", line: 3, message: "passPercent must be 1–100" }]);

  await rm(path.join(dir, "khoa-hoc-mau/exam.yml"));
  const r2 = await compileCourses({ coursesDir: dir, lawsFile: LAWS, rootDir: dir, write: false });
  expect(r2.errors).toEqual([{ file: "khoa-hoc-mau/course.vi.mdx", line: 9, message: "completion.exam is true but the course has no exam.yml" }]);
  await rm(dir, { recursive: true, force: true });
});

test("a failed build leaves the previous output untouched; a good one replaces it completely", async () => {
  const out = path.join(await tmp(), "content");
  await compile("valid", { write: true, outDir: out });
  const before = await readFile(path.join(out, "index.json"), "utf8");
  await writeFile(path.join(out, "stale.txt"), "from an older build");

  const bad = await compile("multi", { write: true, outDir: out });
  expect(bad.errors.length).toBeGreaterThan(0);
  expect(await readFile(path.join(out, "index.json"), "utf8")).toBe(before);
  expect(existsSync(path.join(out, "stale.txt"))).toBe(true);

  await compile("missing-language", { write: true, outDir: out });
  expect(existsSync(path.join(out, "stale.txt"))).toBe(false);
  expect(existsSync(path.join(out, "khoa-hoc-mau"))).toBe(false);
  expect(existsSync(path.join(out, "khoa-thieu-ngon-ngu/chi-tieng-viet.vi.json"))).toBe(true);
  await rm(path.dirname(out), { recursive: true, force: true });
});

test("the content hash is stable for unchanged files and changes on any edit, new file or rename", async () => {
  const dir = await tmp();
  await cp(`${FIXTURES}/valid/khoa-hoc-mau`, dir, { recursive: true });
  const h0 = await hashCourseDir(dir);
  expect(await hashCourseDir(dir)).toBe(h0);
  await writeFile(path.join(dir, ".DS_Store"), "noise"); // dot-files are not content
  expect(await hashCourseDir(dir)).toBe(h0);

  const lesson = path.join(dir, "lessons/02-chu-ky-so.vi.mdx");
  const text = await readFile(lesson, "utf8");
  await writeFile(lesson, text.replace("xác thực", "xác minh"));
  const h1 = await hashCourseDir(dir);
  expect(h1).not.toBe(h0);
  await writeFile(lesson, text);
  expect(await hashCourseDir(dir)).toBe(h0);

  await writeFile(path.join(dir, "exam.yml"), (await readFile(path.join(dir, "exam.yml"), "utf8")) + "\n");
  const h2 = await hashCourseDir(dir);
  expect(h2).not.toBe(h0);

  await rename(path.join(dir, "assets/so-do.png"), path.join(dir, "assets/so-do-2.png"));
  expect(await hashCourseDir(dir)).not.toBe(h2);
  await rm(dir, { recursive: true, force: true });
});

test("NFD text is normalised to NFC with a warning at the first decomposed line", async () => {
  const dir = await tmp();
  await cp(`${FIXTURES}/valid`, dir, { recursive: true });
  const file = path.join(dir, "khoa-hoc-mau/lessons/02-chu-ky-so.vi.mdx");
  const text = await readFile(file, "utf8");
  const line = lineOf(file, "Chữ ký số giúp");
  await writeFile(file, text.replace("Chữ ký số giúp", "Chữ ký số giúp".normalize("NFD")));
  const { errors, warnings, courses } = await compileCourses({ coursesDir: dir, lawsFile: LAWS, rootDir: dir, write: false });
  expect(errors).toEqual([]);
  expect(warnings).toEqual([{ file: "khoa-hoc-mau/lessons/02-chu-ky-so.vi.mdx", line, message: expect.stringContaining("not Unicode NFC") }]);
  expect(courses[0]!.lessons[1]!.pages.vi.text).toContain("Chữ ký số giúp".normalize("NFC"));
  await rm(dir, { recursive: true, force: true });
});

test("a top-level # heading in a lesson is a warning (the title comes from the frontmatter)", async () => {
  const dir = await tmp();
  await cp(`${FIXTURES}/valid`, dir, { recursive: true });
  const file = path.join(dir, "khoa-hoc-mau/lessons/01-gioi-thieu.en.mdx");
  await writeFile(file, (await readFile(file, "utf8")).replace("## Objectives", "# Objectives"));
  const { errors, warnings } = await compileCourses({ coursesDir: dir, lawsFile: LAWS, rootDir: dir, write: false });
  expect(errors).toEqual([]);
  expect(warnings).toEqual([{ file: "khoa-hoc-mau/lessons/01-gioi-thieu.en.mdx", line: lineOf(file, "# Objectives"), message: expect.stringContaining("start sections with ##") }]);
  await rm(dir, { recursive: true, force: true });
});

test("prerequisites must name existing courses and must not form a cycle", () => {
  const course = (slug: string, prerequisites: string[], order: number): CourseResult => ({
    slug,
    errors: [],
    warnings: [],
    meta: {
      file: `courses/${slug}/course.vi.mdx`,
      keyLine: (k) => (k === "prerequisites" ? 7 : 8),
      frontmatter: { title: slug, summary: "s", audience: "all", credential: "basic_digital_skills", validityMonths: 36, prerequisites, order, completion: { lessons: "all", exam: true } },
    },
  });
  const r = crossCheckCourses([course("a", ["b"], 1), course("b", ["a"], 2), course("c", ["khong-co", "c"], 2)]);
  expect(r.errors.map(formatContentError)).toEqual([
    'courses/c/course.vi.mdx:7: prerequisite "khong-co" is not a course in courses/ (known: a, b, c)',
    'courses/c/course.vi.mdx:7: a course cannot be its own prerequisite ("c")',
    "courses/a/course.vi.mdx:7: prerequisites form a cycle: a → b → a",
  ]);
  expect(r.warnings.map(formatContentError)).toEqual(["courses/c/course.vi.mdx:8: order 2 is also used by b; the catalogue falls back to the slug"]);
  expect(crossCheckCourses([course("a", [], 1), course("b", ["a"], 2)])).toEqual({ errors: [], warnings: [] });
});
