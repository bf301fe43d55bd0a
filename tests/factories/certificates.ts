/**
 * Small factories for certificate tests: units, people, accounts with role grants, a course with a version, a
 * passed attempt, and an issued certificate. Everything goes through the single writer of the test's database.
 */
import { eq } from "drizzle-orm";
import type { User } from "lucia";
import { attempts, courseVersions, courses, orgUnits, people, roleAssignments, users, type CredentialId, type Role } from "#db/schema";
import type { RoleGrant } from "~/auth/session.server";
import type { Database } from "~/db.server";
import { issueCertificateForPass } from "~/certificates/issue.server";
import { newId } from "~/utils/ids";

let counter = 0;
const next = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** A department under `parentCode` (reference units exist in every test database: VN, G06, 96, 32002, …). */
export async function makeUnit(database: Database, o: { code: string; parentCode: string; nameVi?: string }) {
  const [parent] = await database.read.select().from(orgUnits).where(eq(orgUnits.code, o.parentCode));
  if (!parent) throw new Error(`factory: parent unit ${o.parentCode} does not exist`);
  const [existing] = await database.read.select().from(orgUnits).where(eq(orgUnits.code, o.code));
  if (existing) return existing;
  const row = {
    id: `ou-${o.code}`,
    parentId: parent.id,
    kind: "department" as const,
    code: o.code,
    nameVi: o.nameVi ?? `Phòng thử nghiệm ${o.code}`,
    nameEn: `Test department ${o.code}`,
    path: `${parent.path}${o.code}/`,
    depth: parent.depth + 1,
    createdAt: Date.now(),
  };
  await database.write((tx) => tx.insert(orgUnits).values(row));
  return row;
}

export async function makePerson(database: Database, o: { unitCode: string; fullName?: string; staffCode?: string }) {
  const [unit] = await database.read.select().from(orgUnits).where(eq(orgUnits.code, o.unitCode));
  if (!unit) throw new Error(`factory: unit ${o.unitCode} does not exist`);
  const row = {
    id: newId(),
    staffCode: o.staffCode ?? `T${next()}`.toUpperCase(),
    fullName: (o.fullName ?? "Nguyễn Thị Hường").normalize("NFC"),
    orgUnitId: unit.id,
    category: "civil_servant" as const,
    createdAt: Date.now(),
    updatedAt: Date.now(),
  };
  await database.write((tx) => tx.insert(people).values(row));
  return row;
}

/** An account row (no real password: tests pass the user object as the load context) with role grants. */
export async function makeUser(database: Database, o: { personId?: string | null; roles?: { role: Role; unitCode: string }[]; username?: string }) {
  const id = newId();
  const username = o.username ?? `u${next()}`;
  const now = Date.now();
  await database.write(async (tx) => {
    await tx.insert(users).values({ id, personId: o.personId ?? null, username, displayName: username, passwordHash: "x", createdAt: now, passwordChangedAt: now });
    for (const r of o.roles ?? []) {
      const [unit] = await tx.select().from(orgUnits).where(eq(orgUnits.code, r.unitCode));
      if (!unit) throw new Error(`factory: unit ${r.unitCode} does not exist`);
      await tx.insert(roleAssignments).values({ id: newId(), userId: id, role: r.role, orgUnitId: unit.id, createdAt: now });
    }
  });
  const user = { id, username, displayName: username, personId: o.personId ?? null, locale: "vi", status: "active" } as unknown as User;
  return user;
}

/** Grants as getRoleGrants would return them, without an account. */
export async function grantsFor(database: Database, list: { role: Role; unitCode: string }[]): Promise<RoleGrant[]> {
  const out: RoleGrant[] = [];
  for (const g of list) {
    const [u] = await database.read.select().from(orgUnits).where(eq(orgUnits.code, g.unitCode));
    if (!u) throw new Error(`factory: unit ${g.unitCode} does not exist`);
    out.push({ role: g.role, unitId: u.id, unitCode: u.code, unitPath: u.path, unitNameVi: u.nameVi, unitNameEn: u.nameEn });
  }
  return out;
}

export async function makeCourse(database: Database, o: { id?: string; credentialId?: CredentialId; validityMonths?: number | null; titleVi?: string } = {}) {
  const id = o.id ?? `khoa-hoc-${next()}`;
  const versionId = newId();
  const now = Date.now();
  await database.write(async (tx) => {
    await tx.insert(courses).values({
      id,
      credentialId: o.credentialId ?? "basic_digital_skills",
      titleVi: o.titleVi ?? "Kỹ năng số cơ bản cho cán bộ, công chức, viên chức",
      titleEn: "Basic digital skills for civil servants",
      audience: "all",
      validityMonths: o.validityMonths === undefined ? 36 : o.validityMonths,
      currentVersionId: versionId,
      updatedAt: now,
    });
    await tx.insert(courseVersions).values({ id: versionId, courseId: id, contentHash: `h-${versionId}`, manifestJson: "{}", examJson: null, createdAt: now });
  });
  return { courseId: id, courseVersionId: versionId, credentialId: o.credentialId ?? ("basic_digital_skills" as CredentialId) };
}

let attemptNo = 0;
export async function makeAttempt(database: Database, o: { personId: string; courseId: string; courseVersionId: string; scorePercent?: number; at?: number }) {
  const id = newId();
  const at = o.at ?? Date.now();
  await database.write((tx) =>
    tx.insert(attempts).values({
      id,
      personId: o.personId,
      courseId: o.courseId,
      courseVersionId: o.courseVersionId,
      attemptNo: ++attemptNo,
      status: "submitted",
      paperJson: "{}",
      startedAt: at - 600_000,
      deadlineAt: at + 600_000,
      submittedAt: at,
      submitReason: "candidate",
      scorePercent: o.scorePercent ?? 90,
      passed: true,
    }),
  );
  return id;
}

/** A person in `unitCode` who passed a course: the certificate is issued exactly as the exam engine does it. */
export async function issuedCertificate(
  database: Database,
  o: { unitCode?: string; fullName?: string; course?: Awaited<ReturnType<typeof makeCourse>>; issuedAt?: number; scorePercent?: number; personId?: string } = {},
) {
  const personId = o.personId ?? (await makePerson(database, { unitCode: o.unitCode ?? "G06", fullName: o.fullName })).id;
  const course = o.course ?? (await makeCourse(database));
  const issuedAt = o.issuedAt ?? Date.now();
  const attemptId = await makeAttempt(database, { personId, courseId: course.courseId, courseVersionId: course.courseVersionId, scorePercent: o.scorePercent, at: issuedAt });
  const issued = await database.write((tx) =>
    issueCertificateForPass(tx, { attemptId, personId, courseId: course.courseId, courseVersionId: course.courseVersionId, credentialId: course.credentialId, scorePercent: o.scorePercent ?? 90, issuedAt }),
  );
  return { ...issued, personId, attemptId, course };
}
