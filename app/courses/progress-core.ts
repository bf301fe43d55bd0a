/** Progress arithmetic and the resume rule (pure): what counts as read, and where "continue" takes the reader. */

export type LessonRef = { slug: string };

export type ProgressCount = { lessonsTotal: number; lessonsRead: number; allRead: boolean; percent: number };

/**
 * Counts read lessons against the lessons of the course's current version only: a lesson removed by an update no
 * longer counts, a lesson added by it must still be read.
 */
export function countProgress(lessons: readonly LessonRef[], read: ReadonlySet<string>): ProgressCount {
  const lessonsTotal = lessons.length;
  const lessonsRead = lessons.filter((l) => read.has(l.slug)).length;
  return {
    lessonsTotal,
    lessonsRead,
    allRead: lessonsTotal > 0 && lessonsRead === lessonsTotal,
    percent: lessonsTotal === 0 ? 0 : Math.floor((lessonsRead * 100) / lessonsTotal),
  };
}

export type ResumeKind = "start" | "continue" | "review";
export type Resume = { slug: string; kind: ResumeKind };

/**
 * The lesson "start/continue" opens:
 * - nothing visited or read yet → the first lesson ("start");
 * - the last lesson visited, when it is not read yet (the reader stopped in the middle of it);
 * - else the first unread lesson after it, else the first unread lesson at all ("continue");
 * - everything read → the last lesson visited, else the first ("review").
 * A last lesson that no longer exists (removed by an update) is ignored.
 */
export function resumeLesson(lessons: readonly LessonRef[], read: ReadonlySet<string>, lastLessonSlug: string | null): Resume | null {
  if (lessons.length === 0) return null;
  const lastIndex = lastLessonSlug === null ? -1 : lessons.findIndex((l) => l.slug === lastLessonSlug);
  const anyRead = lessons.some((l) => read.has(l.slug));
  const firstUnread = lessons.find((l) => !read.has(l.slug));
  if (!firstUnread) return { slug: (lessons[lastIndex] ?? lessons[0]!).slug, kind: "review" };
  if (lastIndex === -1 && !anyRead) return { slug: lessons[0]!.slug, kind: "start" };
  if (lastIndex !== -1 && !read.has(lessons[lastIndex]!.slug)) return { slug: lessons[lastIndex]!.slug, kind: "continue" };
  const after = lessons.slice(lastIndex + 1).find((l) => !read.has(l.slug));
  return { slug: (after ?? firstUnread).slug, kind: "continue" };
}

/** Previous and next lesson around `slug` (null at either end, or when the slug is unknown). */
export function neighbours<T extends LessonRef>(lessons: readonly T[], slug: string): { prev: T | null; next: T | null; index: number } {
  const index = lessons.findIndex((l) => l.slug === slug);
  if (index === -1) return { prev: null, next: null, index };
  return { prev: lessons[index - 1] ?? null, next: lessons[index + 1] ?? null, index };
}

export const AUDIENCE_FILTERS = ["all", "it_dx", "leader", "commune_official"] as const;
export type Audience = (typeof AUDIENCE_FILTERS)[number];
export type PopulationFlags = { isItDx: boolean; isLeader: boolean; category: string };

/** The specific audiences a person belongs to (beyond "all"), from their roster flags. */
export function personAudiences(p: PopulationFlags | null): Audience[] {
  if (!p) return [];
  const out: Audience[] = [];
  if (p.isItDx) out.push("it_dx");
  if (p.isLeader) out.push("leader");
  if (p.category === "commune_official") out.push("commune_official");
  return out;
}

/** A course aimed at one of the person's groups (IT/DX staff, leaders, commune officials) is highlighted. */
export function isRelevant(audience: Audience, p: PopulationFlags | null): boolean {
  return audience !== "all" && personAudiences(p).includes(audience);
}
