/**
 * What the home pages show. Learner: who I am on the roster, the targets that count me, my certificates. Admin:
 * system status (accounts, courses, certificates issued today, roster imports that failed, recent audit events).
 */
import { and, desc, eq, gte, lt, ne, or, sql } from "drizzle-orm";
import { auditLog, certificates, courses, courseVersions, orgUnits, people, rosterImports, targets, users } from "#db/schema";
import { loadRecordsByIds, statusOf } from "~/certificates/records.server";
import { renewDue } from "~/certificates/lifecycle";
import { getCourseProgress } from "~/courses/progress.server";
import { getDatabase, type Database } from "~/db.server";
import { VIETNAM_UTC_OFFSET_MINUTES } from "~/reports/dates";

/** What the learner should do next for one credential that counts for them. */
export type NextStep =
  | { kind: "certified"; serial: string; expiresAt: number | null; renew: boolean }
  | { kind: "exam_ready" }
  | { kind: "continue"; lessonsRead: number; lessonsTotal: number }
  | { kind: "start"; lessonsTotal: number }
  | { kind: "no_course" };

type PopulationRule = { kind: "all" } | { kind: "it_dx" } | { kind: "leader" } | { kind: "category"; categories: string[] };

export function ruleApplies(rule: PopulationRule, p: { isItDx: boolean; isLeader: boolean; category: string }): boolean {
  switch (rule.kind) {
    case "all":
      return true;
    case "it_dx":
      return p.isItDx;
    case "leader":
      return p.isLeader;
    case "category":
      return rule.categories.includes(p.category);
  }
}

export async function learnerHome(personId: string | null) {
  if (!personId) return { person: null, targets: [], certificates: [] };
  const { read } = await getDatabase();
  const [person] = await read
    .select({
      id: people.id,
      fullName: people.fullName,
      category: people.category,
      isItDx: people.isItDx,
      isLeader: people.isLeader,
      unitNameVi: orgUnits.nameVi,
      unitNameEn: orgUnits.nameEn,
    })
    .from(people)
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .where(eq(people.id, personId));
  if (!person) return { person: null, targets: [], certificates: [] };
  const allTargets = await read
    .select({ code: targets.code, titleVi: targets.titleVi, titleEn: targets.titleEn, deadline: targets.deadline, rule: targets.populationRuleJson, credentialId: targets.credentialId })
    .from(targets)
    .where(eq(targets.active, true))
    .orderBy(targets.deadline, targets.code);
  const mine = allTargets.filter((t) => ruleApplies(JSON.parse(t.rule) as PopulationRule, person));
  // One load of the learner's certificates serves both the list and the status of each target.
  const records = await loadRecordsByIds(
    read,
    (await read.select({ id: certificates.id }).from(certificates).where(eq(certificates.personId, person.id))).map((r) => r.id),
  );
  const certs = records
    .map((r) => ({ serial: r.serial, credentialVi: r.credentialNameVi, credentialEn: r.credentialNameEn, issuedAt: r.issuedAt, expiresAt: r.expiresAt }))
    .sort((a, b) => b.issuedAt - a.issuedAt);
  const now = Date.now();
  const steps = new Map<string, { courseId: string | null; step: NextStep }>();
  for (const t of mine) {
    if (steps.has(t.credentialId)) continue;
    const valid = records.find((r) => r.credentialId === t.credentialId && statusOf(r, now).status === "valid");
    const [course] = await read
      .select({ id: courses.id })
      .from(courses)
      .where(sql`${courses.credentialId} = ${t.credentialId} and ${courses.status} = 'active'`)
      .orderBy(courses.sortOrder);
    let step: NextStep;
    if (valid) step = { kind: "certified", serial: valid.serial, expiresAt: valid.expiresAt, renew: renewDue(valid.expiresAt, now) };
    else if (!course) step = { kind: "no_course" };
    else {
      const p = await getCourseProgress(person.id, course.id);
      step = p.allRead ? { kind: "exam_ready" } : p.lessonsRead > 0 ? { kind: "continue", lessonsRead: p.lessonsRead, lessonsTotal: p.lessonsTotal } : { kind: "start", lessonsTotal: p.lessonsTotal };
    }
    steps.set(t.credentialId, { courseId: course?.id ?? null, step });
  }
  return {
    person,
    targets: mine.map(({ rule: _rule, ...t }) => ({ ...t, courseId: steps.get(t.credentialId)?.courseId ?? null, next: steps.get(t.credentialId)!.step })),
    certificates: certs,
  };
}

/** Start (ms) of the Vietnamese calendar day containing `now`: "today" on the admin home is Viet Nam's today. */
export function vietnamDayStart(now: number): number {
  const offset = VIETNAM_UTC_OFFSET_MINUTES * 60_000;
  return Math.floor((now + offset) / 86_400_000) * 86_400_000 - offset;
}

/** A preview nobody committed within a day is abandoned (the file is still there; the HR officer moved on). */
export const ABANDONED_AFTER_MS = 24 * 3_600_000;

export type ProblemImport = {
  id: string;
  fileName: string;
  unitCode: string;
  actor: string | null;
  createdAt: number;
  problem: "failed" | "abandoned";
  errorCount: number;
};

/**
 * Roster imports that need somebody: failed (rows with errors, or a commit that could not apply) or previewed
 * and never committed within a day (abandoned), newest first.
 */
export async function problemImports(read: Database["read"], now: number, limit = 10): Promise<ProblemImport[]> {
  const rows = await read
    .select({
      id: rosterImports.id,
      fileName: rosterImports.fileName,
      unitCode: orgUnits.code,
      actor: users.username,
      createdAt: rosterImports.createdAt,
      status: rosterImports.status,
      errorsJson: rosterImports.errorsJson,
    })
    .from(rosterImports)
    .innerJoin(orgUnits, eq(rosterImports.unitId, orgUnits.id))
    .leftJoin(users, eq(rosterImports.actorUserId, users.id))
    // A preview with row errors cannot be committed: it failed too, whether or not someone pressed commit.
    .where(
      or(
        eq(rosterImports.status, "failed"),
        and(eq(rosterImports.status, "previewed"), or(ne(rosterImports.errorsJson, "[]"), lt(rosterImports.createdAt, now - ABANDONED_AFTER_MS))),
      ),
    )
    .orderBy(desc(rosterImports.createdAt))
    .limit(limit);
  return rows.map(({ status, errorsJson, ...r }) => ({
    ...r,
    problem: status === "failed" || errorsJson !== "[]" ? "failed" : "abandoned",
    errorCount: (JSON.parse(errorsJson) as unknown[]).length,
  }));
}

export type CourseStatusRow = {
  id: string;
  titleVi: string;
  titleEn: string;
  status: "active" | "retired";
  /** First 12 characters of the content hash of the current version. */
  version: string | null;
  /** When the current version was first synced from build/content. */
  versionSince: number | null;
  /** Last time the course row changed (new version, title, order…). */
  updatedAt: number;
  lessonCount: number;
  /** People who started the course (opened a lesson, enrolled or sat the exam) and have not passed it yet. */
  inProgress: number;
  /** People with a passed exam attempt on the course. */
  passed: number;
};

/** Each course: its current version, when it last synced, how many lessons, and how many learners are where. */
export async function courseStatus(read: Database["read"]): Promise<CourseStatusRow[]> {
  const rows = await read
    .select({
      id: courses.id,
      titleVi: courses.titleVi,
      titleEn: courses.titleEn,
      status: courses.status,
      updatedAt: courses.updatedAt,
      contentHash: courseVersions.contentHash,
      versionSince: courseVersions.createdAt,
      manifestJson: courseVersions.manifestJson,
    })
    .from(courses)
    .leftJoin(courseVersions, eq(courses.currentVersionId, courseVersions.id))
    .orderBy(courses.status, courses.sortOrder, courses.id);
  // One pass over the learning tables for all courses: who started each course, and who of them passed.
  const counts = await read.all<{ courseId: string; inProgress: number; passed: number }>(sql`
    with started as (
      select person_id, course_id from enrollments
      union select person_id, course_id from lesson_progress
      union select person_id, course_id from attempts
    ), passed as (
      select distinct person_id, course_id from attempts where passed = 1
    )
    select s.course_id as courseId,
           sum(case when p.person_id is null then 1 else 0 end) as inProgress,
           sum(case when p.person_id is null then 0 else 1 end) as passed
    from started s left join passed p on p.person_id = s.person_id and p.course_id = s.course_id
    group by s.course_id`);
  const byCourse = new Map(counts.map((c) => [c.courseId, c]));
  return rows.map((r) => {
    let lessonCount = 0;
    try {
      const manifest = r.manifestJson ? (JSON.parse(r.manifestJson) as { lessons?: unknown[] }) : null;
      lessonCount = Array.isArray(manifest?.lessons) ? manifest.lessons.length : 0;
    } catch {
      lessonCount = 0;
    }
    const c = byCourse.get(r.id);
    return {
      id: r.id,
      titleVi: r.titleVi,
      titleEn: r.titleEn,
      status: r.status,
      version: r.contentHash ? r.contentHash.slice(0, 12) : null,
      versionSince: r.versionSince ?? null,
      updatedAt: r.updatedAt,
      lessonCount,
      inProgress: Number(c?.inProgress ?? 0),
      passed: Number(c?.passed ?? 0),
    };
  });
}

export async function adminHome(now = Date.now()) {
  const { read } = await getDatabase();
  const count = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0);
  const [userCount, activeUserCount, peopleCount, unitCount, certsToday] = await Promise.all([
    count(read.select({ n: sql<number>`count(*)` }).from(users)),
    count(read.select({ n: sql<number>`count(*)` }).from(users).where(eq(users.status, "active"))),
    count(read.select({ n: sql<number>`count(*)` }).from(people).where(eq(people.employmentStatus, "active"))),
    count(read.select({ n: sql<number>`count(*)` }).from(orgUnits)),
    count(read.select({ n: sql<number>`count(*)` }).from(certificates).where(gte(certificates.issuedAt, vietnamDayStart(now)))),
  ]);
  const [imports, courseRows, recentAudit] = await Promise.all([
    problemImports(read, now),
    courseStatus(read),
    read
      .select({ at: auditLog.at, actor: auditLog.actorLabel, action: auditLog.action, subjectType: auditLog.subjectType })
      .from(auditLog)
      .orderBy(desc(auditLog.at))
      .limit(20),
  ]);
  return { userCount, activeUserCount, peopleCount, unitCount, certsToday, problemImports: imports, courses: courseRows, recentAudit };
}
