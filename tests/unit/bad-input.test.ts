/**
 * The bad-input corpus (tests/fixtures/bad-input/README.md), the items that do not arrive over HTTP or that are
 * checked at the parser as well: authors' content (MDX, exam.yml) and the roster parser on generated files.
 * Each must end in a clear error naming the problem, in bounded time, never a crash or a hang.
 */
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseExamYaml } from "../../app/assessments/exam-schema";
import { compileCourses } from "../../app/courses/compile.server";
import { parseRosterFile } from "../../app/reports/roster-parse.server";
import { csvHugeCell, csvManyRows, csvUtf16NoBom, xlsxZipBomb, yamlAliasBomb } from "../fixtures/bad-input/generate";

const options = { knownUnitCodes: new Set(["01"]), allowedUnitCodes: (c: string) => c === "01" };
const timed = async <T>(fn: () => Promise<T> | T) => {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
};

describe("exam.yml", () => {
  it("a YAML alias bomb (billion laughs) is one clear error, not a hang or a crash", async () => {
    const { value, ms } = await timed(() => parseExamYaml(yamlAliasBomb(), "exam.yml"));
    expect(value.exam).toBeUndefined();
    expect(value.errors.map((e) => e.message).join(" ")).toMatch(/alias/i);
    expect(ms).toBeLessThan(5000);
  });
});

describe("course MDX", () => {
  it.each([
    ["<script>", '<script>alert("x")</script>'],
    ["<iframe>", '<iframe src="https://example.com"></iframe>'],
    ["<style>", "<style>{`body{display:none}`}</style>"],
  ])("a lesson with %s fails the build at its line", async (tag, snippet) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bad-mdx-"));
    await cp("tests/fixtures/courses/valid", dir, { recursive: true });
    const lesson = path.join(dir, "khoa-hoc-mau/lessons/01-gioi-thieu.vi.mdx");
    const text = await readFile(lesson, "utf8");
    await writeFile(lesson, `${text.trimEnd()}\n\n${snippet}\n`);
    const line = text.trimEnd().split("\n").length + 2;
    const { errors, courses } = await compileCourses({ coursesDir: dir, lawsFile: "courses/README.md", write: false });
    expect(courses).toEqual([]);
    expect(errors).toContainEqual(expect.objectContaining({ file: path.relative(process.cwd(), lesson), line, message: expect.stringContaining(`${tag} is not allowed`) }));
  });
});

describe("course MDX frontmatter", () => {
  it("a YAML alias bomb in a lesson's frontmatter is a build error, not a crash", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bad-mdx-"));
    await cp("tests/fixtures/courses/valid", dir, { recursive: true });
    const lesson = path.join(dir, "khoa-hoc-mau/lessons/01-gioi-thieu.vi.mdx");
    const text = await readFile(lesson, "utf8");
    const bomb = yamlAliasBomb().replace(/^(rules|topics|questions):.*\n/gm, "");
    await writeFile(lesson, text.replace("---\n", `---\n${bomb}`));
    const { value, ms } = await timed(() => compileCourses({ coursesDir: dir, lawsFile: "courses/README.md", write: false }));
    expect(value.courses).toEqual([]);
    expect(value.errors).toContainEqual(expect.objectContaining({ file: path.relative(process.cwd(), lesson), message: expect.stringMatching(/frontmatter could not be read: .*alias/i) }));
    expect(ms).toBeLessThan(10_000);
  });
});

describe("roster files at the parser", () => {
  it("1 M rows: stops at the row limit with a clear error, in bounded time", async () => {
    const { value, ms } = await timed(() => parseRosterFile(csvManyRows(), "big.csv", options));
    expect(value.errors.some((e) => /rows|dòng/i.test(e.reasonEn + e.reasonVi))).toBe(true);
    expect(ms).toBeLessThan(60_000);
  });

  it("a 1 MB cell: an error on that row and column, not a crash", async () => {
    const { value } = await timed(() => parseRosterFile(csvHugeCell(), "cell.csv", options));
    expect(value.errors.length).toBeGreaterThan(0);
    expect(value.errors[0]!.row).toBe(2);
    expect(value.errors[0]!.value.length).toBeLessThan(1000); // the stored error does not keep the megabyte
  });

  it("UTF-16 without a BOM is refused as not UTF-8", async () => {
    const { value } = await timed(() => parseRosterFile(csvUtf16NoBom(), "utf16.csv", options));
    expect(value.errors[0]).toMatchObject({ row: 0 });
    expect(value.errors[0]!.reasonEn).toMatch(/not UTF-8|UTF-16/);
  });

  it("an XLSX zip bomb (100 MB of one row behind ~100 KB) ends in a clear error, in bounded time and memory", async () => {
    const bomb = xlsxZipBomb(100);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const rss0 = process.memoryUsage().rss;
    const { value, ms } = await timed(() => parseRosterFile(bomb, "bomb.xlsx", options));
    const grown = (process.memoryUsage().rss - rss0) / 1024 / 1024;
    expect(value.errors.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(60_000);
    expect(grown).toBeLessThan(600);
  });
});
