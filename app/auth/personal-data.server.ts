/**
 * "Download my data": everything the system holds about the signed-in person, as JSON — profile (account, roles,
 * roster entry), course enrolments and lesson progress, exam attempts, certificates with their status events.
 * Every query is keyed by the caller's own user id / person id, never by anything in the request.
 * Left out on purpose: the password hash and sessions (secrets), and the exam material of attempts (the drawn
 * question ids, option order, answers per question and grading detail): with them, anyone could rebuild the
 * question bank's answer key, which would invalidate everyone's exams. The score, result and dates are included.
 */
import { asc, eq, inArray } from "drizzle-orm";
import { attemptAnswers, attempts, certificates, certificateStatusEvents, enrollments, lessonProgress, orgUnits, people, roleAssignments, users } from "#db/schema";
import { getDatabase } from "~/db.server";

export const PERSONAL_DATA_FORMAT = "lms-personal-data/1";

export async function personalData(userId: string, now = Date.now()) {
  const { read } = await getDatabase();
  const [account] = await read
    .select({ username: users.username, displayName: users.displayName, email: users.email, locale: users.locale, status: users.status, createdAt: users.createdAt, passwordChangedAt: users.passwordChangedAt, personId: users.personId })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) throw new Error(`personalData: no account ${userId}`);
  const roles = await read
    .select({ role: roleAssignments.role, unitCode: orgUnits.code, unitName: orgUnits.nameVi, grantedAt: roleAssignments.createdAt })
    .from(roleAssignments)
    .innerJoin(orgUnits, eq(roleAssignments.orgUnitId, orgUnits.id))
    .where(eq(roleAssignments.userId, userId));
  const { personId, ...profile } = account;
  const base = { format: PERSONAL_DATA_FORMAT, exportedAt: new Date(now).toISOString(), account: { ...profile, roles } };
  if (!personId) return { ...base, person: null, enrollments: [], lessonProgress: [], attempts: [], certificates: [] };

  const [person] = await read
    .select({
      staffCode: people.staffCode,
      fullName: people.fullName,
      unitCode: orgUnits.code,
      unitName: orgUnits.nameVi,
      category: people.category,
      isItDx: people.isItDx,
      isLeader: people.isLeader,
      employmentStatus: people.employmentStatus,
      leftAt: people.leftAt,
      createdAt: people.createdAt,
      updatedAt: people.updatedAt,
    })
    .from(people)
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .where(eq(people.id, personId));
  const enrolled = await read
    .select({ courseId: enrollments.courseId, startedAt: enrollments.startedAt, lastLessonSlug: enrollments.lastLessonSlug, lastVisitedAt: enrollments.lastVisitedAt, lessonsCompletedAt: enrollments.lessonsCompletedAt, completedAt: enrollments.completedAt })
    .from(enrollments)
    .where(eq(enrollments.personId, personId))
    .orderBy(asc(enrollments.startedAt));
  const progress = await read
    .select({ courseId: lessonProgress.courseId, lessonSlug: lessonProgress.lessonSlug, firstViewedAt: lessonProgress.firstViewedAt, completedAt: lessonProgress.completedAt })
    .from(lessonProgress)
    .where(eq(lessonProgress.personId, personId))
    .orderBy(asc(lessonProgress.courseId), asc(lessonProgress.firstViewedAt));
  const tries = await read
    .select({
      id: attempts.id,
      courseId: attempts.courseId,
      attemptNo: attempts.attemptNo,
      status: attempts.status,
      startedAt: attempts.startedAt,
      deadlineAt: attempts.deadlineAt,
      submittedAt: attempts.submittedAt,
      submitReason: attempts.submitReason,
      scorePercent: attempts.scorePercent,
      passed: attempts.passed,
    })
    .from(attempts)
    .where(eq(attempts.personId, personId))
    .orderBy(asc(attempts.startedAt));
  const answered = tries.length
    ? await read.select({ attemptId: attemptAnswers.attemptId }).from(attemptAnswers).where(inArray(attemptAnswers.attemptId, tries.map((t) => t.id)))
    : [];
  const certs = await read
    .select({ id: certificates.id, serial: certificates.serial, credentialId: certificates.credentialId, holderName: certificates.holderName, holderUnitName: certificates.holderUnitName, source: certificates.source, scorePercent: certificates.scorePercent, issuedAt: certificates.issuedAt, expiresAt: certificates.expiresAt })
    .from(certificates)
    .where(eq(certificates.personId, personId))
    .orderBy(asc(certificates.issuedAt));
  const events = certs.length
    ? await read
        .select({ certificateId: certificateStatusEvents.certificateId, status: certificateStatusEvents.status, reason: certificateStatusEvents.reason, effectiveAt: certificateStatusEvents.effectiveAt })
        .from(certificateStatusEvents)
        .where(inArray(certificateStatusEvents.certificateId, certs.map((c) => c.id)))
        .orderBy(asc(certificateStatusEvents.createdAt))
    : [];
  return {
    ...base,
    person: person ?? null,
    enrollments: enrolled,
    lessonProgress: progress,
    attempts: tries.map((t) => ({ ...t, questionsAnswered: answered.filter((a) => a.attemptId === t.id).length })),
    certificates: certs.map(({ id, ...c }) => ({ ...c, statusEvents: events.filter((e) => e.certificateId === id).map(({ certificateId: _, ...e }) => e) })),
  };
}
