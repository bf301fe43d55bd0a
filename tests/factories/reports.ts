/**
 * Small factories for the reports tests: units, people, HR accounts with sessions, and certificates inserted
 * directly (placeholder signatures: test data only) through the same counter hooks certificate issuing calls.
 */
import { eq } from "drizzle-orm";
import { certificates, certificateStatusEvents, orgUnits, people, signingKeys, type OrgUnitKind, type PersonCategory, type Role } from "#db/schema";
import { unitId } from "#db/reference";
import { insertUser, prepareUser } from "~/auth/accounts.server";
import { getLucia } from "~/auth/lucia.server";
import { getDatabase } from "~/db.server";
import { applyCertificateIssued, applyCertificateRevoked, applyPeopleChanged, snapshotPeople } from "~/reports/counters.server";
import { newId } from "~/utils/ids";

let seq = 0;
const next = () => ++seq;

export async function makeUnit(code: string, parentCode: string, kind: OrgUnitKind = "department", nameVi = `Đơn vị ${code}`): Promise<string> {
  const database = await getDatabase();
  const [parent] = await database.read.select().from(orgUnits).where(eq(orgUnits.code, parentCode));
  if (!parent) throw new Error(`makeUnit: no parent ${parentCode}`);
  const id = unitId(code);
  await database.write(async (tx) => {
    await tx.insert(orgUnits).values({ id, parentId: parent.id, kind, code, nameVi, nameEn: `Unit ${code}`, path: `${parent.path}${code}/`, depth: parent.depth + 1, createdAt: Date.now() });
  });
  return id;
}

export interface PersonInput {
  unitCode: string;
  staffCode?: string;
  fullName?: string;
  category?: PersonCategory;
  isItDx?: boolean;
  isLeader?: boolean;
  status?: "active" | "left";
  now?: number;
}

/** Inserts people (counted by the counters when they are built). */
export async function makePeople(inputs: PersonInput[]): Promise<string[]> {
  const database = await getDatabase();
  const ids: string[] = [];
  await database.write(async (tx) => {
    const now = inputs[0]?.now ?? Date.now();
    const snapshot = await snapshotPeople(tx, [], now);
    for (const p of inputs) {
      const id = newId();
      ids.push(id);
      const [unit] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, p.unitCode));
      if (!unit) throw new Error(`makePeople: no unit ${p.unitCode}`);
      const n = next();
      await tx.insert(people).values({
        id,
        staffCode: p.staffCode ?? `T${String(n).padStart(6, "0")}`,
        fullName: p.fullName ?? `Nguyễn Văn Thử ${n}`,
        orgUnitId: unit.id,
        category: p.category ?? "civil_servant",
        isItDx: p.isItDx ?? false,
        isLeader: p.isLeader ?? false,
        employmentStatus: p.status ?? "active",
        leftAt: p.status === "left" ? now : null,
        createdAt: now,
        updatedAt: now,
      });
    }
    await applyPeopleChanged(tx, snapshot, ids, now);
  });
  return ids;
}

export async function makePerson(input: PersonInput): Promise<string> {
  return (await makePeople([input]))[0]!;
}

/** Moves a person to another unit and/or changes flags, through the counters (like a roster import does). */
export async function updatePerson(
  personId: string,
  change: Partial<{ unitCode: string; category: PersonCategory; isItDx: boolean; isLeader: boolean; status: "active" | "left" }>,
  now = Date.now(),
): Promise<void> {
  const database = await getDatabase();
  await database.write(async (tx) => {
    const snapshot = await snapshotPeople(tx, [personId], now);
    const set: Partial<typeof people.$inferInsert> = { updatedAt: now };
    if (change.unitCode) {
      const [unit] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, change.unitCode));
      set.orgUnitId = unit!.id;
    }
    if (change.category) set.category = change.category;
    if (change.isItDx !== undefined) set.isItDx = change.isItDx;
    if (change.isLeader !== undefined) set.isLeader = change.isLeader;
    if (change.status) {
      set.employmentStatus = change.status;
      set.leftAt = change.status === "left" ? now : null;
    }
    await tx.update(people).set(set).where(eq(people.id, personId));
    await applyPeopleChanged(tx, snapshot, [personId], now);
  });
}

let keyId: string | null = null;

/** A signing key row (the certificates' foreign key needs one); the public key is a placeholder. */
export async function makeSigningKey(): Promise<string> {
  if (keyId) return keyId;
  const database = await getDatabase();
  const id = `test-key-${newId()}`;
  await database.write(async (tx) => {
    await tx.insert(signingKeys).values({ id, issuerUnitId: unitId("VN"), publicKey: "placeholder-public-key", validFrom: 0, isDemo: true, createdAt: Date.now() });
  });
  keyId = id;
  return id;
}

export interface CertInput {
  personId: string;
  credentialId?: (typeof certificates.$inferInsert)["credentialId"];
  issuedAt: number;
  expiresAt?: number | null;
  now?: number;
}

/** Inserts a certificate and counts it, in one write, like certificate issuing does. */
export async function issueCertificate(input: CertInput): Promise<string> {
  const database = await getDatabase();
  const key = await makeSigningKey();
  const id = newId();
  const n = next();
  await database.write(async (tx) => {
    const [person] = await tx.select().from(people).where(eq(people.id, input.personId));
    if (!person) throw new Error(`issueCertificate: no person ${input.personId}`);
    const row = {
      id,
      serial: `TEST-${String(n).padStart(8, "0")}`,
      personId: person.id,
      holderName: person.fullName,
      holderUnitId: person.orgUnitId,
      holderUnitName: "test",
      issuerUnitId: unitId("VN"),
      credentialId: input.credentialId ?? "basic_digital_skills",
      source: "recognised" as const,
      issuedAt: input.issuedAt,
      expiresAt: input.expiresAt ?? null,
      statusListIndex: 1_000_000 + n,
      keyId: key,
      payloadJson: "{}",
      signature: "placeholder-signature",
      createdAt: input.issuedAt,
    };
    await tx.insert(certificates).values(row);
    await applyCertificateIssued(tx, row, input.now ?? Date.now());
  });
  return id;
}

export async function setCertificateStatus(certificateId: string, status: "revoked" | "suspended" | "reinstated", effectiveAt: number, now = Date.now()): Promise<void> {
  const database = await getDatabase();
  await database.write(async (tx) => {
    const row = { id: newId(), certificateId, status, reason: "test", effectiveAt, createdAt: now };
    await tx.insert(certificateStatusEvents).values(row);
    await applyCertificateRevoked(tx, row, now);
  });
}

/** An account with a role over a unit, and a session cookie header for it. */
export async function makeUserWithSession(username: string, role: Role, unitCode: string): Promise<{ userId: string; cookie: string }> {
  const database = await getDatabase();
  const [unit] = await database.read.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, unitCode));
  if (!unit) throw new Error(`makeUserWithSession: no unit ${unitCode}`);
  const prepared = await prepareUser({ username, displayName: username, password: "mat-khau-thu-nghiem-123", roles: [{ role, orgUnitId: unit.id }] });
  const userId = await database.write((tx) => insertUser(tx, prepared, "test"));
  const lucia = await getLucia();
  const session = await lucia.createSession(userId, {});
  return { userId, cookie: lucia.createSessionCookie(session.id).serialize().split(";")[0]! };
}
