/**
 * Author preview: every course with the compiler's warnings (and errors, if the sources changed since the build
 * and no longer compile) and per-lesson word counts. The build output does not keep warnings, so the sources in
 * courses/ are compiled again without writing (about two seconds for all courses), once per process in
 * production and on every visit in development, where authors edit the files.
 */
import path from "node:path";
import type { ContentError } from "./content-types";
import type { Lang } from "./content-schema";
import { loadContentIndex } from "./content.server";

type Check = { errors: ContentError[]; warnings: ContentError[]; versions: Map<string, string>; checkedAt: number; available: boolean };

let cachedCheck: Promise<Check> | null = null;

const coursesDir = () => path.resolve(process.env.LMS_COURSES_DIR ?? "courses");
const posix = (p: string) => p.split(path.sep).join("/");

async function check(): Promise<Check> {
  const { existsSync } = await import("node:fs");
  const dir = coursesDir();
  if (!existsSync(dir)) return { errors: [], warnings: [], versions: new Map(), checkedAt: Date.now(), available: false };
  // Loaded on demand: the compiler (mdx-bundler, esbuild) is not needed by readers' pages.
  const { compileCourses } = await import("./compile.server");
  const { parseExamYaml } = await import("../assessments/exam-schema");
  const result = await compileCourses({ coursesDir: dir, write: false, validateExam: parseExamYaml, concurrency: 2 });
  return {
    errors: result.errors,
    warnings: result.warnings,
    versions: new Map(result.courses.map((c) => [c.slug, c.version])),
    checkedAt: Date.now(),
    available: true,
  };
}

function sourceCheck(): Promise<Check> {
  if (process.env.NODE_ENV === "development") return check();
  if (!cachedCheck) {
    cachedCheck = check();
    cachedCheck.catch(() => {
      cachedCheck = null;
    });
  }
  return cachedCheck;
}

/** Forgets the cached source check (tests). */
export function clearPreviewCache(): void {
  cachedCheck = null;
}

export type PreviewLesson = { number: number; slug: string; title: string; minutes: number; languages: Lang[]; words: Partial<Record<Lang, number>> };
export type PreviewCourse = {
  slug: string;
  title: string;
  version: string;
  /** Version of the sources now (differs from `version` when courses/ changed since the build); null if unknown. */
  sourceVersion: string | null;
  audience: string;
  hasExam: boolean;
  lessons: PreviewLesson[];
  words: Record<Lang, number>;
  warnings: ContentError[];
  errors: ContentError[];
};

/** Every compiled course with its warnings and word counts; `other*` are problems outside any course folder. */
export async function getAuthorPreview(input: { lang: Lang }) {
  const [index, checked] = await Promise.all([loadContentIndex(), sourceCheck()]);
  const rel = posix(path.relative(process.cwd(), coursesDir())) || ".";
  const inCourse = (slug: string) => (e: ContentError) => e.file.startsWith(`${rel}/${slug}/`) || e.file === `${rel}/${slug}`;
  const courses: PreviewCourse[] = index.courses.map((c) => {
    const lessons = c.lessons.map((l) => ({
      number: l.number,
      slug: l.slug,
      title: l.title[input.lang] ?? l.title.vi ?? l.title.en ?? l.slug,
      minutes: l.minutes,
      languages: l.languages,
      words: l.wordCount,
    }));
    return {
      slug: c.slug,
      title: c.title[input.lang],
      version: c.version,
      sourceVersion: checked.versions.get(c.slug) ?? null,
      audience: c.frontmatter.vi.audience,
      hasExam: c.hasExam,
      lessons,
      words: { vi: lessons.reduce((n, l) => n + (l.words.vi ?? 0), 0), en: lessons.reduce((n, l) => n + (l.words.en ?? 0), 0) },
      warnings: checked.warnings.filter(inCourse(c.slug)),
      errors: checked.errors.filter(inCourse(c.slug)),
    };
  });
  const known = (e: ContentError) => index.courses.some((c) => inCourse(c.slug)(e));
  return {
    checked: checked.available,
    checkedAt: checked.checkedAt,
    courses,
    otherWarnings: checked.warnings.filter((e) => !known(e)),
    otherErrors: checked.errors.filter((e) => !known(e)),
  };
}

/** One course of the preview, or null. */
export async function getAuthorCoursePreview(input: { slug: string; lang: Lang }) {
  const preview = await getAuthorPreview(input);
  const course = preview.courses.find((c) => c.slug === input.slug);
  return course ? { checked: preview.checked, checkedAt: preview.checkedAt, course } : null;
}
