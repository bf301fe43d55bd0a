/**
 * Who sees which attempts. HR officers: results of people in the unit subtree they asked for (the route has
 * already checked the grant covers that unit). Authors and admins: per-course item analysis and attempt lists,
 * limited to people inside their grants' subtrees. Every query here is scoped by org-unit path.
 */
import { and, count, desc, eq, inArray, like, ne, or, sql, type SQL } from "drizzle-orm";
import { attempts, certificates, orgUnits, people } from "#db/schema";
import type { RoleGrant } from "~/auth/session.server";
import { getDatabase } from "~/db.server";
import { loadContentIndex } from "~/courses/content.server";
import { closeExpiredAttempts } from "./attempts.server";
import { prepareCourseVersion } from "./course-versions.server";
import type { Localized } from "./exam-schema";
import type { Grade } from "./grading";
import { analyseItems, type ItemStats } from "./item-analysis";

export const LIST_LIMIT = 300;

function inSubtrees(paths: string[]): SQL {
  const conditions = paths.map((p) => like(orgUnits.path, `${p}%`));
  return conditions.length === 1 ? conditions[0]! : or(...conditions)!;
}

export type AttemptListRow = {
  id: string;
  personName: string;
  staffCode: string;
  unitCode: string;
  unitNameVi: string;
  unitNameEn: string | null;
  courseId: string;
  attemptNo: number;
  status: "in_progress" | "submitted" | "expired";
  startedAt: number;
  submittedAt: number | null;
  scorePercent: number | null;
  passed: boolean | null;
  certificateSerial: string | null;
};

async function listAttempts(where: SQL): Promise<{ rows: AttemptListRow[]; total: number }> {
  const { read } = await getDatabase();
  const rows = await read
    .select({
      id: attempts.id,
      personName: people.fullName,
      staffCode: people.staffCode,
      unitCode: orgUnits.code,
      unitNameVi: orgUnits.nameVi,
      unitNameEn: orgUnits.nameEn,
      courseId: attempts.courseId,
      attemptNo: attempts.attemptNo,
      status: attempts.status,
      startedAt: attempts.startedAt,
      submittedAt: attempts.submittedAt,
      scorePercent: attempts.scorePercent,
      passed: attempts.passed,
      certificateSerial: certificates.serial,
    })
    .from(attempts)
    .innerJoin(people, eq(attempts.personId, people.id))
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .leftJoin(certificates, eq(certificates.attemptId, attempts.id))
    .where(where)
    .orderBy(desc(attempts.startedAt))
    .limit(LIST_LIMIT);
  const [total] = await read
    .select({ n: count() })
    .from(attempts)
    .innerJoin(people, eq(attempts.personId, people.id))
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Attempts of people in `unit`'s subtree (the caller checked the HR grant over `unit`), newest first. */
export async function hrAttemptList(unit: { path: string }, filter: { courseId?: string } = {}) {
  await closeExpiredAttempts({ reason: "sweep", limit: 500 }); // bounded: a report must not wait for a huge backlog (the CLI sweep clears it)
  const conditions = [inSubtrees([unit.path])];
  if (filter.courseId) conditions.push(eq(attempts.courseId, filter.courseId));
  const index = await loadContentIndex();
  return {
    ...(await listAttempts(and(...conditions)!)),
    courses: index.courses.filter((c) => c.hasExam).map((c) => ({ slug: c.slug, title: c.title })),
  };
}

/** Courses with an exam, and how many closed attempts of people in the author's scope each has. */
export async function authorCourseList(grants: RoleGrant[]) {
  const index = await loadContentIndex();
  const { read } = await getDatabase();
  const counts = await read
    .select({ courseId: attempts.courseId, n: count() })
    .from(attempts)
    .innerJoin(people, eq(attempts.personId, people.id))
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .where(and(ne(attempts.status, "in_progress"), inSubtrees(grants.map((g) => g.unitPath))))
    .groupBy(attempts.courseId);
  const byCourse = new Map(counts.map((c) => [c.courseId, Number(c.n)]));
  return index.courses
    .filter((c) => c.hasExam)
    .map((c) => ({ slug: c.slug, title: c.title, closedAttempts: byCourse.get(c.slug) ?? 0 }));
}

export type ItemRow = Omit<ItemStats, "options"> & {
  text: Localized;
  topicTitle: Localized;
  options: (ItemStats["options"][number] & { text: Localized })[];
};

/**
 * Item analysis of a course's current question bank over every closed attempt of people in scope (question ids
 * are stable across versions, so older versions' attempts count for the questions they share).
 */
export async function courseItemAnalysis(grants: RoleGrant[], slug: string) {
  const prepared = await prepareCourseVersion(slug);
  if (!prepared) return null;
  await closeExpiredAttempts({ reason: "sweep", limit: 500 }); // bounded: a report must not wait for a huge backlog (the CLI sweep clears it)
  const scope = inSubtrees(grants.map((g) => g.unitPath));
  const { read } = await getDatabase();
  const graded = await read
    .select({ scorePercent: attempts.scorePercent, gradeJson: attempts.gradeJson })
    .from(attempts)
    .innerJoin(people, eq(attempts.personId, people.id))
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .where(and(eq(attempts.courseId, slug), inArray(attempts.status, ["submitted", "expired"]), scope));
  const analysis = analyseItems(
    prepared.exam,
    graded.map((a) => {
      const grade = JSON.parse(a.gradeJson ?? "null") as Grade | null;
      return {
        score: a.scorePercent ?? 0,
        perQuestion: (grade?.perQuestion ?? []).map((q) => ({ id: q.id, correct: q.correct, selected: q.selected })),
      };
    }),
  );
  const questions = new Map(prepared.exam.questions.map((q) => [q.id, q]));
  const topics = new Map(prepared.exam.topics.map((t) => [t.id, t.title]));
  const items: ItemRow[] = analysis.items.map((item) => {
    const q = questions.get(item.id)!;
    return {
      ...item,
      text: q.text,
      topicTitle: topics.get(item.topic) ?? { vi: item.topic, en: item.topic },
      options: item.options.map((o) => ({ ...o, text: q.options.find((x) => x.id === o.id)!.text })),
    };
  });
  const [passes] = await read
    .select({ n: sql<number>`coalesce(sum(${attempts.passed}), 0)` })
    .from(attempts)
    .innerJoin(people, eq(attempts.personId, people.id))
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .where(and(eq(attempts.courseId, slug), inArray(attempts.status, ["submitted", "expired"]), scope));
  return {
    course: { slug, title: prepared.course.title },
    attempts: analysis.attempts,
    passes: Number(passes?.n ?? 0),
    minAttempts: analysis.minAttempts,
    items,
    list: await listAttempts(and(eq(attempts.courseId, slug), scope)!),
  };
}
