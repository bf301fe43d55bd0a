/**
 * Shapes of the compiled content in build/content/ (written by compile.server.ts, read by content.server.ts).
 * Bump CONTENT_FORMAT when a shape changes so a stale build is detected instead of misread.
 */
import type { CourseFrontmatter, Lang, LessonFrontmatter } from "./content-schema";

export const CONTENT_FORMAT = 2;

/** A problem in a content file. `file` is relative to the repository root; `line` is 1-based, 0 = whole file. */
export type ContentError = { file: string; line: number; message: string };

export type Heading = { depth: number; text: string; id: string };

/** One compiled MDX page (a lesson or a course overview) in one language. */
export type CompiledPage<F> = {
  /**
   * The page body rendered to HTML at build time with the course components and the labels of the page's
   * language (app/components/mdx/render.server.tsx); shown by LessonBody. Format 1 held mdx-bundler code instead.
   */
  html: string;
  frontmatter: F;
  headings: Heading[];
  /** Plain text for search (paragraphs separated by newlines). */
  text: string;
  wordCount: number;
  /** Set when this language's file is missing and the page shows the other language instead. */
  fallbackFrom?: Lang;
};
export type LessonPage = CompiledPage<LessonFrontmatter>;
export type CourseOverviewPage = CompiledPage<CourseFrontmatter>;

export type LessonSummary = {
  /** "02-email": the file stem, also what `./02-email` links use. */
  id: string;
  number: number;
  /** Lesson slug without the number ("email"): stable, used in URLs and progress rows. */
  slug: string;
  title: Partial<Record<Lang, string>>;
  summary: Partial<Record<Lang, string>>;
  minutes: number;
  digcomp: string[];
  /** Languages that have their own file; the others fall back. */
  languages: Lang[];
  wordCount: Partial<Record<Lang, number>>;
};

export type CourseSummary = {
  slug: string;
  /** Content hash (first 16 hex chars of sha256 over every file of the course) = course version. */
  version: string;
  order: number;
  title: Record<Lang, string>;
  summary: Record<Lang, string>;
  /** Full frontmatter per language (only title and summary differ). */
  frontmatter: Record<Lang, CourseFrontmatter>;
  lessons: LessonSummary[];
  hasExam: boolean;
  /** Paths under the course's assets/ folder, e.g. "so-do.png". */
  assets: string[];
};

export type ContentIndex = { format: number; courses: CourseSummary[] };
