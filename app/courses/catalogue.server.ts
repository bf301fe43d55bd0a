/**
 * What the course pages show: the catalogue, a course's outline, a lesson, "my learning". Content comes from the
 * compiled build (content.server.ts, parsed once and kept in memory; no MDX compile per request); progress from
 * the reader's own rows (progress.server.ts). Every function takes the reader's personId from the session, and a
 * reader without one (an account not linked to the roster) sees the content without progress.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { CREDENTIALS } from "#db/reference";
import { people } from "#db/schema";
import { getDatabase } from "~/db.server";
import { courseAssetPath, loadContentIndex, loadCourseOverview, loadLesson } from "./content.server";
import type { Lang } from "./content-schema";
import type { CourseSummary, Heading, LessonSummary } from "./content-types";
import { withLessonLinkLang } from "./lesson-html";
import { enrollmentsOf, readLessonSlugs, type EnrollmentRow } from "./progress.server";
import { countProgress, isRelevant, neighbours, personAudiences, resumeLesson, type Audience, type PopulationFlags, type ProgressCount, type Resume } from "./progress-core";

export type CourseStatus = "not_started" | "in_progress" | "lessons_done" | "completed";

const pickLang = <T,>(m: Partial<Record<Lang, T>>, lang: Lang): T => (m[lang] ?? m.vi ?? m.en) as T;

function credentialName(id: string, lang: Lang): string {
  const c = CREDENTIALS.find((x) => x.id === id);
  return c ? (lang === "en" ? c.nameEn : c.nameVi) : id;
}

/** The reader's roster flags (their own person row only). */
async function personFlags(personId: string | null): Promise<PopulationFlags | null> {
  if (!personId) return null;
  const { read } = await getDatabase();
  const [p] = await read.select({ isItDx: people.isItDx, isLeader: people.isLeader, category: people.category }).from(people).where(eq(people.id, personId));
  return p ?? null;
}

async function progressState(personId: string | null, courseIds?: string[]) {
  if (!personId) return { read: new Map<string, Set<string>>(), enrollments: new Map<string, EnrollmentRow>() };
  const { read: db } = await getDatabase();
  const [read, enrollments] = await Promise.all([readLessonSlugs(db, personId, courseIds), enrollmentsOf(db, personId, courseIds)]);
  return { read, enrollments };
}

function statusOf(course: CourseSummary, p: ProgressCount, enrollment: EnrollmentRow | undefined): CourseStatus {
  if (enrollment?.completedAt != null) return "completed";
  if (p.allRead) return course.hasExam ? "lessons_done" : "completed";
  if (p.lessonsRead > 0 || enrollment) return "in_progress";
  return "not_started";
}

export type CatalogueCourse = {
  slug: string;
  title: string;
  summary: string;
  audience: Audience;
  credential: string;
  lessonCount: number;
  minutes: number;
  hasExam: boolean;
  relevant: boolean;
  progress: ProgressCount;
  status: CourseStatus;
};

function catalogueEntry(c: CourseSummary, lang: Lang, flags: PopulationFlags | null, read: Set<string> | undefined, enrollment: EnrollmentRow | undefined): CatalogueCourse {
  const progress = countProgress(c.lessons, read ?? new Set());
  const fm = c.frontmatter.vi;
  return {
    slug: c.slug,
    title: c.title[lang],
    summary: c.summary[lang],
    audience: fm.audience,
    credential: credentialName(fm.credential, lang),
    lessonCount: c.lessons.length,
    minutes: c.lessons.reduce((n, l) => n + l.minutes, 0),
    hasExam: c.hasExam,
    relevant: isRelevant(fm.audience, flags),
    progress,
    status: statusOf(c, progress, enrollment),
  };
}

/** The catalogue, optionally filtered by audience, with my progress and the courses aimed at my groups marked. */
export async function getCatalogue(input: { personId: string | null; lang: Lang; audience?: Audience | null }) {
  const [index, flags, state] = await Promise.all([loadContentIndex(), personFlags(input.personId), progressState(input.personId)]);
  const courses = index.courses
    .filter((c) => !input.audience || c.frontmatter.vi.audience === input.audience)
    .map((c) => catalogueEntry(c, input.lang, flags, state.read.get(c.slug), state.enrollments.get(c.slug)));
  return { hasPerson: input.personId !== null, myAudiences: personAudiences(flags), audience: input.audience ?? null, courses };
}

export type OutlineLesson = { slug: string; number: number; title: string; summary: string; minutes: number; read: boolean; fallback: boolean; isLast: boolean };

/** A course's page: overview text, outline with what I read, progress, where "continue" goes, exam entry. */
export async function getCoursePage(input: { personId: string | null; slug: string; lang: Lang }) {
  const index = await loadContentIndex();
  const course = index.courses.find((c) => c.slug === input.slug);
  if (!course) return null;
  const [overview, state, flags] = await Promise.all([loadCourseOverview(course.slug, input.lang), progressState(input.personId, [course.slug]), personFlags(input.personId)]);
  const read = state.read.get(course.slug) ?? new Set<string>();
  const enrollment = state.enrollments.get(course.slug);
  const progress = countProgress(course.lessons, read);
  const lastLessonSlug = enrollment?.lastLessonSlug ?? null;
  const resume: Resume | null = resumeLesson(course.lessons, read, lastLessonSlug);
  const fm = course.frontmatter.vi;
  const lessons: OutlineLesson[] = course.lessons.map((l) => ({
    slug: l.slug,
    number: l.number,
    title: pickLang(l.title, input.lang),
    summary: pickLang(l.summary, input.lang),
    minutes: l.minutes,
    read: read.has(l.slug),
    fallback: !l.languages.includes(input.lang),
    isLast: l.slug === lastLessonSlug,
  }));
  return {
    hasPerson: input.personId !== null,
    course: {
      slug: course.slug,
      title: course.title[input.lang],
      summary: course.summary[input.lang],
      audience: fm.audience,
      relevant: isRelevant(fm.audience, flags),
      credential: credentialName(fm.credential, input.lang),
      validityMonths: fm.validityMonths,
      hasExam: course.hasExam,
      version: course.version,
      prerequisites: fm.prerequisites.map((p) => ({ slug: p, title: index.courses.find((c) => c.slug === p)?.title[input.lang] ?? p })),
    },
    overview: overview ? { html: overview.html, fallbackFrom: overview.fallbackFrom ?? null } : null,
    lessons,
    progress,
    status: statusOf(course, progress, enrollment),
    resume: resume ? { ...resume, title: lessons.find((l) => l.slug === resume.slug)!.title } : null,
    examOpen: course.hasExam && progress.allRead,
  };
}

export type LessonLink = { slug: string; number: number; title: string };
const link = (l: LessonSummary, lang: Lang): LessonLink => ({ slug: l.slug, number: l.number, title: pickLang(l.title, lang) });

/**
 * One lesson in `lang` (falling back to the other language with `fallbackFrom` set), with previous/next and
 * whether I have read it. Null when the course or lesson does not exist.
 */
/** `linkLang`: the reader's explicit ?lang= choice, carried over to the lesson's links to other lessons. */
export async function getLessonPage(input: { personId: string | null; slug: string; lessonSlug: string; lang: Lang; linkLang?: Lang | null }) {
  const index = await loadContentIndex();
  const course = index.courses.find((c) => c.slug === input.slug);
  const meta = course?.lessons.find((l) => l.slug === input.lessonSlug);
  if (!course || !meta) return null;
  const [page, state] = await Promise.all([loadLesson(course.slug, meta.slug, input.lang), progressState(input.personId, [course.slug])]);
  if (!page) return null;
  const read = state.read.get(course.slug) ?? new Set<string>();
  const { prev, next, index: position } = neighbours(course.lessons, meta.slug);
  const progress = countProgress(course.lessons, read);
  return {
    hasPerson: input.personId !== null,
    course: { slug: course.slug, title: course.title[input.lang], hasExam: course.hasExam, lessonCount: course.lessons.length },
    lesson: {
      slug: meta.slug,
      number: meta.number,
      position: position + 1,
      title: page.frontmatter.title,
      minutes: page.frontmatter.minutes,
      html: withLessonLinkLang(page.html, input.linkLang ?? null),
      headings: page.headings.filter((h: Heading) => h.depth === 2),
      lang: (page.fallbackFrom ?? input.lang) as Lang,
      fallbackFrom: page.fallbackFrom ?? null,
      /** Languages this lesson is written in (to offer the other one). */
      languages: meta.languages,
    },
    prev: prev ? link(prev, input.lang) : null,
    next: next ? link(next, input.lang) : null,
    isRead: read.has(meta.slug),
    progress,
    examOpen: course.hasExam && progress.allRead,
  };
}

export type LearningCourse = CatalogueCourse & { lastVisitedAt: number | null; resume: (Resume & { title: string }) | null };

/** "My learning": the courses I started, in progress (most recent first) and completed. */
export async function getMyLearning(input: { personId: string | null; lang: Lang }) {
  if (!input.personId) return { hasPerson: false, inProgress: [] as LearningCourse[], completed: [] as LearningCourse[] };
  const [index, flags, state] = await Promise.all([loadContentIndex(), personFlags(input.personId), progressState(input.personId)]);
  const mine: LearningCourse[] = [];
  for (const c of index.courses) {
    const enrollment = state.enrollments.get(c.slug);
    const read = state.read.get(c.slug);
    if (!enrollment && !read?.size) continue;
    const entry = catalogueEntry(c, input.lang, flags, read, enrollment);
    const resume = resumeLesson(c.lessons, read ?? new Set(), enrollment?.lastLessonSlug ?? null);
    const resumeMeta = resume ? c.lessons.find((l) => l.slug === resume.slug) : undefined;
    mine.push({
      ...entry,
      lastVisitedAt: enrollment?.lastVisitedAt ?? null,
      resume: resume && resumeMeta ? { ...resume, title: pickLang(resumeMeta.title, input.lang) } : null,
    });
  }
  mine.sort((a, b) => (b.lastVisitedAt ?? 0) - (a.lastVisitedAt ?? 0));
  return {
    hasPerson: true,
    inProgress: mine.filter((c) => c.status === "in_progress" || c.status === "lessons_done"),
    completed: mine.filter((c) => c.status === "completed"),
  };
}

const ASSET_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
};

/**
 * A course image for `/course-assets/<slug>/<file>`: null for an unsafe name (`..`, hidden files, backslashes;
 * see courseAssetPath), a missing file or a type that is not an image.
 */
export async function getCourseAsset(slug: string, file: string): Promise<{ body: Buffer; contentType: string } | null> {
  const full = courseAssetPath(slug, file);
  if (!full) return null;
  const contentType = ASSET_TYPES[path.extname(full).toLowerCase()];
  if (!contentType) return null;
  return { body: await readFile(full), contentType };
}
