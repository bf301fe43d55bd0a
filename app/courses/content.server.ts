/**
 * Reads compiled course content. Production: JSON from build/content (or LMS_CONTENT_DIR), parsed once and kept
 * in memory. Development (NODE_ENV=development): compiles from courses/ (or LMS_COURSES_DIR) on request, cached
 * per course by the files' mtimes and sizes, so edits show on the next request and errors show as an error page.
 */
import { existsSync, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Exam } from "../assessments/exam-schema";
import type { CompiledCourse, CourseResult, ExamValidator } from "./compile.server";
import { isKebabSlug, LANGS, type Lang } from "./content-schema";
import { CONTENT_FORMAT, type ContentError, type ContentIndex, type CourseOverviewPage, type LessonPage } from "./content-types";

/** Thrown in development when the course being viewed does not compile; the message lists every problem. */
export class ContentBuildError extends Error {
  constructor(public readonly errors: ContentError[]) {
    super(
      `Course content has ${errors.length} error(s):\n` +
        errors.map((e) => (e.line > 0 ? `${e.file}:${e.line}: ${e.message}` : `${e.file}: ${e.message}`)).join("\n"),
    );
    this.name = "ContentBuildError";
  }
}

const isDev = () => process.env.NODE_ENV === "development";
export const contentDir = () => path.resolve(process.env.LMS_CONTENT_DIR ?? "build/content");
const coursesDir = () => path.resolve(process.env.LMS_COURSES_DIR ?? "courses");
const other = (lang: Lang): Lang => (lang === "vi" ? "en" : "vi");

// ---------------------------------------------------------------------------------------------------------------
// Production: precompiled JSON, parsed once.

const jsonCache = new Map<string, unknown>();

async function readJson<T>(rel: string): Promise<T | null> {
  if (jsonCache.has(rel)) return jsonCache.get(rel) as T;
  const file = path.join(contentDir(), rel);
  if (!existsSync(file)) return null; // misses are not cached: their number is unbounded
  const value = JSON.parse(await readFile(file, "utf8")) as T;
  jsonCache.set(rel, value);
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Development: compile on request, cached per course by file signature.

type DevEntry = { signature: string; result: Promise<CourseResult> };
const devCache = new Map<string, DevEntry>();

async function signature(dir: string): Promise<string> {
  const { listFiles } = await import("./compile.server");
  const files = await listFiles(dir);
  const parts = await Promise.all(
    files.map(async (f) => {
      const s = await stat(path.join(dir, f));
      return `${f}:${s.mtimeMs}:${s.size}`;
    }),
  );
  const readme = path.join(coursesDir(), "README.md");
  const laws = existsSync(readme) ? (await stat(readme)).mtimeMs : 0;
  return `${laws}|${parts.join("|")}`;
}

async function devExamValidator(): Promise<ExamValidator | undefined> {
  try {
    const mod = await import("../assessments/exam-schema");
    return mod.parseExamYaml;
  } catch {
    return undefined;
  }
}

async function devCourse(slug: string): Promise<CourseResult | null> {
  const dir = path.join(coursesDir(), slug);
  if (!existsSync(dir)) return null;
  const sig = await signature(dir);
  const cached = devCache.get(slug);
  if (cached && cached.signature === sig) return cached.result;
  const result = (async () => {
    const { compileCourse } = await import("./compile.server");
    return compileCourse(dir, { coursesDir: coursesDir(), validateExam: await devExamValidator() });
  })();
  devCache.set(slug, { signature: sig, result });
  return result;
}

async function devCompiled(slug: string): Promise<CompiledCourse | null> {
  const r = await devCourse(slug);
  if (!r) return null;
  if (!r.course) throw new ContentBuildError(r.errors);
  return r.course;
}

async function devIndex(): Promise<ContentIndex> {
  const { readdir } = await import("node:fs/promises");
  const { buildContentIndex, crossCheckCourses } = await import("./compile.server");
  const dirs = existsSync(coursesDir())
    ? (await readdir(coursesDir(), { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name).sort()
    : [];
  const results = (await Promise.all(dirs.map((d) => devCourse(d)))).filter((r): r is CourseResult => r !== null);
  const errors = [...results.flatMap((r) => r.errors), ...crossCheckCourses(results).errors];
  if (errors.length) throw new ContentBuildError(errors);
  return buildContentIndex(results.flatMap((r) => (r.course ? [r.course] : [])));
}

// ---------------------------------------------------------------------------------------------------------------
// Public API.

/** The catalogue: every course with its lessons (titles, minutes, languages, word counts) and version. */
export async function loadContentIndex(): Promise<ContentIndex> {
  if (isDev()) return devIndex();
  const index = await readJson<ContentIndex>("index.json");
  if (!index) throw new Error(`${path.join(contentDir(), "index.json")} not found: run \`npm run courses:build\` first`);
  if (index.format !== CONTENT_FORMAT) {
    throw new Error(`compiled content has format ${index.format}, this app reads format ${CONTENT_FORMAT}: rebuild it with \`npm run courses:build\``);
  }
  return index;
}

/**
 * One lesson page in `lang`; when that language's file does not exist, the other language with `fallbackFrom`
 * set (show a note). Null when the course or lesson does not exist.
 */
export async function loadLesson(slug: string, lessonSlug: string, lang: Lang): Promise<LessonPage | null> {
  if (!isKebabSlug(slug) || !isKebabSlug(lessonSlug) || !LANGS.includes(lang)) return null;
  if (isDev()) {
    const course = await devCompiled(slug);
    return course?.lessons.find((l) => l.slug === lessonSlug)?.pages[lang] ?? null;
  }
  const own = await readJson<LessonPage>(`${slug}/${lessonSlug}.${lang}.json`);
  if (own) return own;
  const fallback = await readJson<LessonPage>(`${slug}/${lessonSlug}.${other(lang)}.json`);
  return fallback ? { ...fallback, fallbackFrom: fallback.fallbackFrom ?? other(lang) } : null;
}

/** The course overview page (course.<lang>.mdx body, with the course frontmatter). */
export async function loadCourseOverview(slug: string, lang: Lang): Promise<CourseOverviewPage | null> {
  if (!isKebabSlug(slug) || !LANGS.includes(lang)) return null;
  if (isDev()) return (await devCompiled(slug))?.overview[lang] ?? null;
  const own = await readJson<CourseOverviewPage>(`${slug}/_course.${lang}.json`);
  if (own) return own;
  const fallback = await readJson<CourseOverviewPage>(`${slug}/_course.${other(lang)}.json`);
  return fallback ? { ...fallback, fallbackFrom: other(lang) } : null;
}

/** The validated exam of a course (with answer keys: server only), or null when it has none. */
export async function loadExam(slug: string): Promise<Exam | null> {
  if (!isKebabSlug(slug)) return null;
  if (isDev()) return ((await devCompiled(slug))?.exam as Exam | undefined) ?? null;
  return readJson<Exam>(`${slug}/exam.json`);
}

/**
 * Absolute path of a course image for the asset route (`/course-assets/<slug>/<file>`), or null when the name is
 * unsafe (`..`, backslashes, hidden files) or the file does not exist.
 */
export function courseAssetPath(slug: string, file: string): string | null {
  if (!isKebabSlug(slug)) return null;
  const parts = file.split("/");
  if (parts.some((p) => p === "" || p === "." || p === ".." || p.startsWith(".") || /[\\\0]/.test(p))) return null;
  const base = isDev() ? path.join(coursesDir(), slug, "assets") : path.join(contentDir(), slug, "assets");
  const full = path.join(base, ...parts);
  if (!full.startsWith(base + path.sep)) return null;
  return existsSync(full) && statSync(full).isFile() ? full : null;
}

/** Forgets everything loaded (tests; a deploy that swaps build/content in place). */
export function clearContentCache(): void {
  jsonCache.clear();
  devCache.clear();
}
