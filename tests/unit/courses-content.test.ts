/**
 * The five real courses (issue 5): they compile with no error or warning, both languages carry every lesson, every
 * lesson has a practice question, every exam bank meets the bar, and every legal document cited by number — with
 * <LawRef> or in plain text — is in the reference table of courses/README.md.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseExamYaml, type Exam } from "~/assessments/exam-schema";
import { compileCourses, type CompiledCourse } from "~/courses/compile.server";
import { parseLawsTable } from "~/courses/laws";

const COURSES = path.resolve("courses");
const SLUGS = ["ky-nang-so-co-ban", "ai-trong-cong-vu", "quan-ly-du-lieu-co-ban", "ho-tro-nguoi-dan-dich-vu-cong", "lanh-dao-chuyen-doi-so"];

let compiled: CompiledCourse[] = [];
let problems: string[] = [];

beforeAll(async () => {
  const result = await compileCourses({ coursesDir: COURSES, write: false, validateExam: parseExamYaml });
  compiled = result.courses;
  problems = [...result.errors, ...result.warnings].map((e) => `${e.file}:${e.line}: ${e.message}`);
}, 120_000);

function sourceFiles(slug: string): string[] {
  const dir = path.join(COURSES, slug);
  return [
    ...readdirSync(dir).filter((f) => f.endsWith(".mdx") || f === "exam.yml").map((f) => path.join(dir, f)),
    ...readdirSync(path.join(dir, "lessons")).map((f) => path.join(dir, "lessons", f)),
  ];
}

describe("the five courses", () => {
  it("compile with no error and no warning", () => {
    expect(problems).toEqual([]);
    expect(compiled.map((c) => c.slug).sort()).toEqual([...SLUGS].sort());
  });

  it.each(SLUGS)("%s has 5–8 lessons, each in Vietnamese and English, each with a SelfCheck", (slug) => {
    const dir = path.join(COURSES, slug, "lessons");
    const files = readdirSync(dir);
    const stems = (lang: string) => files.filter((f) => f.endsWith(`.${lang}.mdx`)).map((f) => f.replace(`.${lang}.mdx`, "")).sort();
    expect(stems("vi").length).toBeGreaterThanOrEqual(5);
    expect(stems("vi").length).toBeLessThanOrEqual(8);
    expect(stems("en")).toEqual(stems("vi"));
    for (const f of files) {
      const text = readFileSync(path.join(dir, f), "utf8");
      expect(text, f).toContain("<SelfCheck");
      expect(text, `${f} is NFC`).toBe(text.normalize("NFC"));
    }
  });

  it.each(SLUGS)("%s has an exam bank of at least 40 questions of every type, drawing 15–25", (slug) => {
    const file = path.join(COURSES, slug, "exam.yml");
    const { exam, errors } = parseExamYaml(readFileSync(file, "utf8"), file);
    expect(errors).toEqual([]);
    const bank = exam as Exam;
    expect(bank.questions.length).toBeGreaterThanOrEqual(40);
    expect(new Set(bank.questions.map((q) => q.type))).toEqual(new Set(["single", "multiple", "true_false", "scenario"]));
    const draw = bank.topics.reduce((n, t) => n + t.draw, 0);
    expect(draw).toBeGreaterThanOrEqual(15);
    expect(draw).toBeLessThanOrEqual(25);
    const texts = bank.questions.map((q) => q.text.vi.trim().toLowerCase());
    expect(new Set(texts).size, "no two questions the same").toBe(texts.length);
    for (const q of bank.questions) {
      for (const o of q.options) expect(o.text.vi.toLowerCase(), q.id).not.toMatch(/tất cả các (đáp án|phương án) trên|không có (đáp án|phương án) nào/);
    }
  });

  it("cite only legal documents listed, with their dates, in courses/README.md", () => {
    const { laws } = parseLawsTable(readFileSync(path.join(COURSES, "README.md"), "utf8"));
    const known = new Set(laws.map((l) => l.number));
    const cited = /\b\d{1,4}\/\d{4}\/(?:QH1[0-9]|NĐ-CP|QĐ-TTg|QĐ-BKHCN|TT-[A-ZĐ]+)\b|\b\d{1,4}\/(?:QĐ-TTg|NQ-CP|CT-TTg|QĐ-BKHCN|BTTTT-THH)\b|\b\d{1,3}-(?:NQ|KH|CT)\/(?:TW|BCĐTW)\b/g;
    const missing = new Map<string, string>();
    for (const slug of SLUGS) {
      for (const file of sourceFiles(slug)) {
        for (const m of readFileSync(file, "utf8").matchAll(cited)) {
          if (!known.has(m[0])) missing.set(m[0], path.relative(COURSES, file));
        }
      }
    }
    expect(Object.fromEntries(missing)).toEqual({});
  });
});
