/** What the learner home shows: who I am on the roster, the targets that count me, my certificates. */
import { desc, eq, gte, sql } from "drizzle-orm";
import { auditLog, certificates, courses, orgUnits, people, targets, users } from "#db/schema";
import { loadRecordsByIds, statusOf } from "~/certificates/records.server";
import { renewDue } from "~/certificates/lifecycle";
import { getCourseProgress } from "~/courses/progress.server";
import { getDatabase } from "~/db.server";

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

export async function adminHome() {
  const { read } = await getDatabase();
  const startOfDay = new Date();
  startOfDay.setHours(0, 0, 0, 0);
  const count = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0);
  const [userCount, peopleCount, unitCount, certsToday] = await Promise.all([
    count(read.select({ n: sql<number>`count(*)` }).from(users)),
    count(read.select({ n: sql<number>`count(*)` }).from(people).where(eq(people.employmentStatus, "active"))),
    count(read.select({ n: sql<number>`count(*)` }).from(orgUnits)),
    count(read.select({ n: sql<number>`count(*)` }).from(certificates).where(gte(certificates.issuedAt, startOfDay.getTime()))),
  ]);
  const recentAudit = await read
    .select({ at: auditLog.at, actor: auditLog.actorLabel, action: auditLog.action, subjectType: auditLog.subjectType })
    .from(auditLog)
    .orderBy(desc(auditLog.at))
    .limit(20);
  return { userCount, peopleCount, unitCount, certsToday, recentAudit };
}
