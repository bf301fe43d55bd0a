import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { compileCourses } from "./compile.server";
import { CONTENT_FORMAT } from "./content-types";
import {
  clearContentCache,
  ContentBuildError,
  courseAssetPath,
  loadContentIndex,
  loadCourseOverview,
  loadExam,
  loadLesson,
} from "./content.server";

const FIXTURES = "tests/fixtures/courses";

/** Runs `fn` with env vars set, restoring them afterwards (and the loader cache, which depends on them). */
async function withEnv(vars: Record<string, string>, fn: () => Promise<void>) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  clearContentCache();
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    clearContentCache();
  }
}

async function buildFixture(fixture: string, withExam = false) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lms-loader-"));
  const out = path.join(dir, "content");
  const { errors } = await compileCourses({
    coursesDir: `${FIXTURES}/${fixture}`,
    lawsFile: "courses/README.md",
    outDir: out,
    validateExam: withExam ? () => ({ exam: { rules: { passPercent: 70 } }, errors: [] }) : undefined,
  });
  expect(errors).toEqual([]);
  return { dir, out };
}

test("production: reads the compiled index, lessons, overviews and exam, with language fallback", async () => {
  const { dir, out } = await buildFixture("valid", true);
  await withEnv({ LMS_CONTENT_DIR: out, NODE_ENV: "production" }, async () => {
    const index = await loadContentIndex();
    expect(index.courses.map((c) => c.slug)).toEqual(["khoa-hoc-mau"]);

    const lesson = await loadLesson("khoa-hoc-mau", "gioi-thieu", "en");
    expect(lesson?.frontmatter.title).toBe("Introduction");
    expect(lesson?.fallbackFrom).toBeUndefined();
    expect((await loadCourseOverview("khoa-hoc-mau", "vi"))?.frontmatter.title).toBe("Khóa học mẫu");
    expect(await loadExam("khoa-hoc-mau")).toEqual({ rules: { passPercent: 70 } });

    // A language file missing from the output: the other language is served, marked as a fallback.
    await rm(path.join(out, "khoa-hoc-mau/chu-ky-so.en.json"));
    const fallback = await loadLesson("khoa-hoc-mau", "chu-ky-so", "en");
    expect(fallback?.frontmatter.title).toBe("Chữ ký số");
    expect(fallback?.fallbackFrom).toBe("vi");

    expect(await loadLesson("khoa-hoc-mau", "khong-co", "vi")).toBeNull();
    expect(await loadLesson("khong-co", "gioi-thieu", "vi")).toBeNull();
    expect(await loadLesson("..", "index", "vi")).toBeNull();
    expect(await loadLesson("khoa-hoc-mau", "../../index", "vi")).toBeNull();
    expect(await loadCourseOverview("khong-co", "vi")).toBeNull();
  });
  await rm(dir, { recursive: true, force: true });
});

test("production: content is parsed once and kept in memory until the cache is cleared", async () => {
  const { dir, out } = await buildFixture("valid");
  await withEnv({ LMS_CONTENT_DIR: out, NODE_ENV: "production" }, async () => {
    expect((await loadLesson("khoa-hoc-mau", "gioi-thieu", "vi"))?.frontmatter.minutes).toBe(10);
    const file = path.join(out, "khoa-hoc-mau/gioi-thieu.vi.json");
    const page = JSON.parse(await readFile(file, "utf8"));
    await writeFile(file, JSON.stringify({ ...page, frontmatter: { ...page.frontmatter, minutes: 29 } }));
    expect((await loadLesson("khoa-hoc-mau", "gioi-thieu", "vi"))?.frontmatter.minutes).toBe(10);
    clearContentCache();
    expect((await loadLesson("khoa-hoc-mau", "gioi-thieu", "vi"))?.frontmatter.minutes).toBe(29);
    expect(await loadExam("khoa-hoc-mau")).toBeNull(); // built without a validator: no exam.json
  });
  await rm(dir, { recursive: true, force: true });
});

test("production: a missing or outdated build is a clear error", async () => {
  const { dir, out } = await buildFixture("valid");
  await withEnv({ LMS_CONTENT_DIR: path.join(dir, "nowhere"), NODE_ENV: "production" }, async () => {
    await expect(loadContentIndex()).rejects.toThrow(/index\.json not found: run `npm run courses:build`/);
  });
  await writeFile(path.join(out, "index.json"), JSON.stringify({ format: 0, courses: [] }));
  await withEnv({ LMS_CONTENT_DIR: out, NODE_ENV: "production" }, async () => {
    await expect(loadContentIndex()).rejects.toThrow(new RegExp(`format 0, this app reads format ${CONTENT_FORMAT}`));
  });
  await rm(dir, { recursive: true, force: true });
});

test("courseAssetPath serves files under the course's assets only", async () => {
  const { dir, out } = await buildFixture("valid");
  await withEnv({ LMS_CONTENT_DIR: out, NODE_ENV: "production" }, async () => {
    expect(courseAssetPath("khoa-hoc-mau", "so-do.png")).toBe(path.join(out, "khoa-hoc-mau/assets/so-do.png"));
    for (const bad of ["../index.json", "../../index.json", "a/../so-do.png", ".hidden", "", "khong-co.png", "..\\index.json"]) {
      expect(courseAssetPath("khoa-hoc-mau", bad), bad).toBeNull();
    }
    expect(courseAssetPath("../khoa-hoc-mau", "so-do.png")).toBeNull();
  });
  await rm(dir, { recursive: true, force: true });
});

test("development: compiles from courses/ on request, recompiles after an edit, and shows errors", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lms-dev-"));
  await cp(`${FIXTURES}/valid`, dir, { recursive: true });
  await cp("courses/README.md", path.join(dir, "README.md")); // the laws table
  await withEnv({ LMS_COURSES_DIR: dir, NODE_ENV: "development", LMS_CONTENT_DIR: path.join(dir, "no-build") }, async () => {
    const index = await loadContentIndex();
    expect(index.courses[0]?.lessons.map((l) => l.slug)).toEqual(["gioi-thieu", "chu-ky-so"]);
    const first = await loadLesson("khoa-hoc-mau", "chu-ky-so", "vi");
    expect(first?.text).toContain("xác thực người ký");
    expect(await loadLesson("khoa-hoc-mau", "chu-ky-so", "vi")).toBe(first); // cached while unchanged

    const file = path.join(dir, "khoa-hoc-mau/lessons/02-chu-ky-so.vi.mdx");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("xác thực người ký", "xác thực danh tính người ký"));
    expect((await loadLesson("khoa-hoc-mau", "chu-ky-so", "vi"))?.text).toContain("xác thực danh tính người ký");
    expect(courseAssetPath("khoa-hoc-mau", "so-do.png")).toBe(path.join(dir, "khoa-hoc-mau/assets/so-do.png"));

    await writeFile(file, text.replace("## Ký số là gì", "## Ký số là gì\n\n<Banner />"));
    const error = await loadLesson("khoa-hoc-mau", "chu-ky-so", "vi").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentBuildError);
    expect((error as ContentBuildError).message).toContain("khoa-hoc-mau/lessons/02-chu-ky-so.vi.mdx:9: unknown component <Banner>");
    await expect(loadContentIndex()).rejects.toBeInstanceOf(ContentBuildError);
  });
  expect(existsSync(path.join(dir, "no-build"))).toBe(false); // development never writes build output
  await rm(dir, { recursive: true, force: true });
});
