import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { isSelfCheckCorrect } from "../components/mdx/self-check";
import { assetUrl, resolveHref } from "../components/mdx/context";
import { CourseFrontmatterSchema, LessonFrontmatterSchema, parseLessonFileName } from "./content-schema";
import { parseFrontmatter, splitFrontmatter } from "./frontmatter";
import { formatIsoDate, parseLawsTable } from "./laws";
import { countWords, evalStatic } from "./mdx-checks";
import { createSlugger, slugify } from "./slug";

const COURSE = `---
title: Kỹ năng số
summary: Tóm tắt.
audience: all
credential: basic_digital_skills
validityMonths: 36
prerequisites: []
order: 1
completion: { lessons: all, exam: true }
---
Body`;

test.each([
  ["a valid course", COURSE, []],
  ["wrong enum value at its line", COURSE.replace("audience: all", "audience: everyone"), [[4, 'audience: must be one of all, it_dx, leader, commune_official (got "everyone")']]],
  ["missing key at the opening ---", COURSE.replace("credential: basic_digital_skills\n", ""), [[1, 'missing required key "credential"']]],
  ["unknown key at its line", COURSE.replace("order: 1", "order: 1\nlevel: 2"), [[9, 'unknown key "level" (allowed keys: title, summary, audience, credential, validityMonths, prerequisites, order, completion)']]],
  ["nested value in a flow map", COURSE.replace("exam: true", "exam: maybe"), [[9, "completion.exam: must be true or false"]]],
  ["bad list item", COURSE.replace("prerequisites: []", "prerequisites:\n  - ok-course\n  - Bad Slug"), [[9, "prerequisites.1: must be a course slug (lower-kebab ASCII)"]]],
  // yaml reports an unclosed [ where it gives up: the next line.
  ["YAML syntax error", COURSE.replace("summary: Tóm tắt.", "summary: [Tóm tắt."), [[4, expect.stringContaining("frontmatter is not valid YAML")]]],
  ["duplicate key at the second one", COURSE.replace("order: 1", "order: 1\norder: 2"), [[9, expect.stringContaining("frontmatter is not valid YAML")]]],
  ["no frontmatter", "# Title", [[1, "missing frontmatter: the file must start with a --- … --- YAML block"]]],
  ["null validity is allowed", COURSE.replace("validityMonths: 36", "validityMonths: null"), []],
])("course frontmatter: %s", (_name, source, expected) => {
  const r = parseFrontmatter(source, "c.mdx", CourseFrontmatterSchema);
  expect(r.errors.map((e) => [e.line, e.message])).toEqual(expected);
  expect(r.data !== undefined).toBe(expected.length === 0);
});

test.each([
  ["minutes: 10", []],
  ["minutes: 4", ["minutes: must be between 5 and 30 minutes"]],
  ["minutes: 12.5", ["minutes: must be a whole number of minutes (5–30)"]],
  ['minutes: 10\ndigcomp: ["2.1", 5.4]', []],
  ['minutes: 10\ndigcomp: ["2.7"]', ['digcomp.0: "2.7" is not a DigComp 2.2 competence (1.1 … 5.4)']],
])("lesson frontmatter %j", (yamlTail, expected) => {
  const r = parseFrontmatter(`---\ntitle: Bài\nsummary: Một câu.\n${yamlTail}\n---\n`, "l.mdx", LessonFrontmatterSchema);
  expect(r.errors.map((e) => e.message)).toEqual(expected);
});

test("splitFrontmatter finds the block and its first line", () => {
  expect(splitFrontmatter("---\na: 1\n---\nbody")).toEqual({ yaml: "a: 1", firstLine: 2 });
  expect(splitFrontmatter("---\r\na: 1\r\n---\r\n")).toEqual({ yaml: "a: 1", firstLine: 2 });
  expect(splitFrontmatter("---\na: 1\n")).toBeNull();
  expect(splitFrontmatter("a: 1")).toBeNull();
});

test.each([
  ["01-gioi-thieu.vi.mdx", { number: 1, nn: "01", slug: "gioi-thieu", lang: "vi" }],
  ["12-chu-ky-so.en.mdx", { number: 12, nn: "12", slug: "chu-ky-so", lang: "en" }],
  ["1-gioi-thieu.vi.mdx", { error: expect.stringContaining("is not valid") }],
  ["01-Gioi_Thieu.vi.mdx", { error: expect.stringContaining("lower-kebab") }],
  ["01-gioi-thieu.fr.mdx", { error: expect.stringContaining('language "fr"') }],
  ["00-gioi-thieu.vi.mdx", { error: expect.stringContaining("start at 01") }],
  ["01-gioi-thieu.vi.md", { error: expect.stringContaining("is not valid") }],
])("lesson file name %s", (name, expected) => {
  expect(parseLessonFileName(name)).toEqual(expected);
});

test("the laws table of courses/README.md is read completely", () => {
  const { laws, problems } = parseLawsTable(readFileSync("courses/README.md", "utf8"));
  expect(problems).toEqual([]);
  expect(laws.length).toBeGreaterThanOrEqual(19);
  expect(laws.find((l) => l.number === "20/2023/QH15")).toMatchObject({ issued: "2023-06-22", inForce: "2024-07-01", title: expect.stringContaining("Luật Giao dịch điện tử") });
  expect(laws.find((l) => l.number === "68/2024/NĐ-CP")).toMatchObject({ issued: "2024-06-25", inForce: null });
});

test("parseLawsTable reports rows with unreadable dates and a missing table", () => {
  const md = "| number | title | date issued | in force |\n|---|---|---|---|\n| 1/2020/QH14 | A | 2020-01-02 | — |\n| 2/2020/QH14 | B | 02/01/2020 | — |\n";
  expect(parseLawsTable(md)).toEqual({
    laws: [{ number: "1/2020/QH14", title: "A", issued: "2020-01-02", inForce: null, line: 3 }],
    problems: [{ line: 4, message: 'law 2/2020/QH14: issue date "02/01/2020" is not YYYY-MM-DD' }],
  });
  expect(parseLawsTable("no table").problems).toHaveLength(1);
});

test.each([
  ["2023-06-22", "22/06/2023"],
  ["2026-01-01", "01/01/2026"],
  ["not a date", "not a date"],
])("formatIsoDate(%s) = %s", (iso, out) => expect(formatIsoDate(iso)).toBe(out));

test.each([
  ["Mục tiêu", "muc-tieu"],
  ["Đăng nhập Cổng Dịch vụ công", "dang-nhap-cong-dich-vu-cong"],
  ["What is a signature?", "what-is-a-signature"],
  ["Bước 1: Ký số (USB token)", "buoc-1-ky-so-usb-token"],
  ["  ", ""],
])("slugify(%j) = %j", (text, id) => expect(slugify(text)).toBe(id));

test("the slugger keeps ids unique within a page", () => {
  const s = createSlugger();
  expect(["Ví dụ", "Ví dụ", "Ví dụ", "vi-du-1", "!!"].map(s)).toEqual(["vi-du", "vi-du-1", "vi-du-2", "vi-du-1-1", "muc"]);
});

const program = (expression: object) => ({ type: "Program", body: [{ type: "ExpressionStatement", expression }] });
const lit = (value: unknown) => ({ type: "Literal", value });
test.each([
  ["number", program(lit(2)), { ok: true, value: 2 }],
  ["negative", program({ type: "UnaryExpression", operator: "-", argument: lit(1) }), { ok: true, value: -1 }],
  ["array", program({ type: "ArrayExpression", elements: [lit("a"), lit("b")] }), { ok: true, value: ["a", "b"] }],
  ["template", program({ type: "TemplateLiteral", expressions: [], quasis: [{ value: { cooked: "x" } }] }), { ok: true, value: "x" }],
  ["identifier", program({ type: "Identifier", name: "x" }), { ok: false }],
  ["array with a variable", program({ type: "ArrayExpression", elements: [lit(1), { type: "Identifier", name: "x" }] }), { ok: false }],
])("evalStatic: %s", (_n, node, expected) => expect(evalStatic(node)).toEqual(expected));

test.each([
  ["Chữ ký số giúp xác thực người ký.", 8],
  ["e-mail, don't: 2.1", 4],
  ["", 0],
])("countWords(%j) = %i", (text, n) => expect(countWords(text)).toBe(n));

test.each([
  [[0], 0, true],
  [[1], 0, false],
  [[], 0, false],
  [[2, 0], [0, 2], true],
  [[0], [0, 2], false],
  [[0, 1, 2], [0, 2], false],
])("SelfCheck: selected %j with answer %j is correct: %s", (selected, answer, ok) => {
  expect(isSelfCheckCorrect(selected, answer)).toBe(ok);
});

test.each([
  ["assets/so-do.png", "/course-assets/kns", "/course-assets/kns/so-do.png"],
  ["assets/img/a b.png", "/course-assets/kns/", "/course-assets/kns/img/a%20b.png"],
  ["assets/x.png", undefined, "assets/x.png"],
  ["https://example.org/x.png", "/course-assets/kns", "https://example.org/x.png"],
])("assetUrl(%s, %s) = %s", (src, base, out) => expect(assetUrl(src, base)).toBe(out));

test.each([
  ["./02-chu-ky-so", "/courses/kns/chu-ky-so?n=2"],
  ["./02-chu-ky-so#buoc-1", "/courses/kns/chu-ky-so?n=2#buoc-1"],
  ["./assets/mau.pdf", "/course-assets/kns/mau.pdf"],
  ["https://dichvucong.gov.vn", "https://dichvucong.gov.vn"],
  ["#muc-tieu", "#muc-tieu"],
])("resolveHref(%s) = %s", (href, out) => {
  const ctx = { assetBase: "/course-assets/kns", lessonHref: (slug: string, n: number) => `/courses/kns/${slug}?n=${n}` };
  expect(resolveHref(href, ctx)).toBe(out);
});
