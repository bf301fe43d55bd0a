/**
 * The exam is open once every lesson of the course has been read (courses/README.md: completion = all lessons
 * viewed + exam passed). Stand-in until the course engine's `getCourseProgress` lands: a lesson counts as read
 * when its lesson_progress row has `completed_at`, and only lessons of the current compiled course count.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { lessonProgress } from "#db/schema";
import { getDatabase } from "~/db.server";
import { loadContentIndex } from "~/courses/content.server";

export type LessonsGate = { lessonsTotal: number; lessonsRead: number; allRead: boolean };

export async function lessonsComplete(personId: string, courseId: string): Promise<LessonsGate> {
  const index = await loadContentIndex();
  const course = index.courses.find((c) => c.slug === courseId);
  const slugs = new Set(course?.lessons.map((l) => l.slug) ?? []);
  const { read } = await getDatabase();
  const rows = await read
    .select({ lessonSlug: lessonProgress.lessonSlug })
    .from(lessonProgress)
    .where(
      and(eq(lessonProgress.personId, personId), eq(lessonProgress.courseId, courseId), isNotNull(lessonProgress.completedAt)),
    );
  const lessonsRead = new Set(rows.map((r) => r.lessonSlug).filter((s) => slugs.has(s))).size;
  return { lessonsTotal: slugs.size, lessonsRead, allRead: slugs.size > 0 && lessonsRead >= slugs.size };
}
