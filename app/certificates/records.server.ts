/**
 * Reading certificates: one record by serial (with its status history), the learner's own list, an HR officer's
 * scoped list with filters, and the access rule every download and status change goes through.
 *
 * Access (IDOR-proof): a certificate is visible to its holder (users.person_id), and to an hr/admin grant whose
 * unit subtree contains either the holder's unit at issue time or the person's current unit. Nothing here loads a
 * certificate for a user without that check; the public verify pages use verify.server.ts, which shows only the
 * name, credential, issuing body and status.
 */
import { aliasedTable, and, asc, desc, eq, gt, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { User } from "lucia";
import { certificateStatusEvents, certificates, courses, credentials, orgUnits, people, signingKeys, CREDENTIAL_IDS, type CredentialId } from "#db/schema";
import type { RoleGrant } from "~/auth/session.server";
import { preparedPerDb } from "#db/prepared";
import { getDatabase, type Database, type DbOrTx } from "~/db.server";
import type { CertificateView } from "./artifacts.server";
import { CertificateError } from "./issue.server";
import { deriveStatus, renewDue, statusListPosition, DAY_MS, RENEW_WINDOW_DAYS, type CertStatus, type DerivedStatus, type StatusEvent } from "./lifecycle";
import { CertificatePayloadSchema, type CertificatePayload } from "./payload";
import { encodeToken } from "./token";
import type { ListStatusFilter } from "./filters";

const holderUnit = aliasedTable(orgUnits, "holder_unit");
const currentUnit = aliasedTable(orgUnits, "current_unit");
const issuerUnit = aliasedTable(orgUnits, "issuer_unit");

export interface CertificateRecord {
  id: string;
  serial: string;
  personId: string;
  holderName: string;
  holderUnitId: string;
  holderUnitName: string;
  holderUnitPath: string;
  currentUnitPath: string;
  staffCode: string;
  issuerUnitId: string;
  issuerCode: string;
  issuerNameVi: string;
  issuerNameEn: string | null;
  credentialId: string;
  credentialCode: string;
  credentialNameVi: string;
  credentialNameEn: string;
  courseId: string | null;
  courseTitleVi: string | null;
  courseTitleEn: string | null;
  source: "passed" | "recognised";
  sourceNote: string | null;
  scorePercent: number | null;
  issuedAt: number;
  expiresAt: number | null;
  statusListIndex: number;
  keyId: string;
  keyIsDemo: boolean;
  payloadJson: string;
  signature: string;
  events: (StatusEvent & { id: string; actorUserId: string | null })[];
}

const recordColumns = {
  id: certificates.id,
  serial: certificates.serial,
  personId: certificates.personId,
  holderName: certificates.holderName,
  holderUnitId: certificates.holderUnitId,
  holderUnitName: certificates.holderUnitName,
  holderUnitPath: holderUnit.path,
  currentUnitPath: currentUnit.path,
  staffCode: people.staffCode,
  issuerUnitId: certificates.issuerUnitId,
  issuerCode: issuerUnit.code,
  issuerNameVi: issuerUnit.nameVi,
  issuerNameEn: issuerUnit.nameEn,
  credentialId: certificates.credentialId,
  credentialCode: credentials.serialPrefix,
  credentialNameVi: credentials.nameVi,
  credentialNameEn: credentials.nameEn,
  courseId: certificates.courseId,
  courseTitleVi: courses.titleVi,
  courseTitleEn: courses.titleEn,
  source: certificates.source,
  sourceNote: certificates.sourceNote,
  scorePercent: certificates.scorePercent,
  issuedAt: certificates.issuedAt,
  expiresAt: certificates.expiresAt,
  statusListIndex: certificates.statusListIndex,
  keyId: certificates.keyId,
  keyIsDemo: signingKeys.isDemo,
  payloadJson: certificates.payloadJson,
  signature: certificates.signature,
};

function recordQuery(db: DbOrTx) {
  return db
    .select(recordColumns)
    .from(certificates)
    .innerJoin(holderUnit, eq(certificates.holderUnitId, holderUnit.id))
    .innerJoin(people, eq(certificates.personId, people.id))
    .innerJoin(currentUnit, eq(people.orgUnitId, currentUnit.id))
    .innerJoin(issuerUnit, eq(certificates.issuerUnitId, issuerUnit.id))
    .innerJoin(credentials, eq(certificates.credentialId, credentials.id))
    .innerJoin(signingKeys, eq(certificates.keyId, signingKeys.id))
    .leftJoin(courses, eq(certificates.courseId, courses.id));
}

/** The status history of one certificate (oldest first): what /v reads live on every request. */
export async function loadStatusEvents(db: DbOrTx, certificateId: string): Promise<CertificateRecord["events"]> {
  const events = await statusEventsQuery(db).execute({ certificateId });
  return events.map((e) => ({ id: e.id, status: e.status, reason: e.reason, effectiveAt: e.effectiveAt, createdAt: e.createdAt, actorUserId: e.actorUserId }));
}

// Prepared once per connection: building the query with drizzle cost as much as running it (the /v profile).
const statusEventsQuery = preparedPerDb((db: DbOrTx) =>
  db
    .select()
    .from(certificateStatusEvents)
    .where(eq(certificateStatusEvents.certificateId, sql.placeholder("certificateId")))
    .orderBy(asc(certificateStatusEvents.effectiveAt), asc(certificateStatusEvents.createdAt))
    .prepare(),
);

async function withEvents(db: DbOrTx, rows: Omit<CertificateRecord, "events">[]): Promise<CertificateRecord[]> {
  if (rows.length === 0) return [];
  const events = await db
    .select()
    .from(certificateStatusEvents)
    .where(inArray(certificateStatusEvents.certificateId, rows.map((r) => r.id)))
    .orderBy(asc(certificateStatusEvents.effectiveAt), asc(certificateStatusEvents.createdAt));
  const byCert = new Map<string, CertificateRecord["events"]>();
  for (const e of events) {
    const list = byCert.get(e.certificateId) ?? [];
    list.push({ id: e.id, status: e.status, reason: e.reason, effectiveAt: e.effectiveAt, createdAt: e.createdAt, actorUserId: e.actorUserId });
    byCert.set(e.certificateId, list);
  }
  return rows.map((r) => ({ ...r, events: byCert.get(r.id) ?? [] }));
}

export async function loadRecordBySerial(db: DbOrTx, serial: string): Promise<CertificateRecord | null> {
  const rows = await recordQuery(db).where(eq(certificates.serial, serial));
  return (await withEvents(db, rows))[0] ?? null;
}

export async function loadRecordsByIds(db: DbOrTx, ids: string[]): Promise<CertificateRecord[]> {
  if (ids.length === 0) return [];
  const rows = await recordQuery(db).where(inArray(certificates.id, ids));
  const recs = await withEvents(db, rows);
  const order = new Map(ids.map((id, i) => [id, i]));
  return recs.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

export function statusOf(record: Pick<CertificateRecord, "expiresAt" | "events">, now = Date.now()): DerivedStatus {
  return deriveStatus({ expiresAt: record.expiresAt }, record.events, now);
}

export function payloadOf(record: Pick<CertificateRecord, "payloadJson" | "serial">): CertificatePayload {
  const parsed = CertificatePayloadSchema.safeParse(JSON.parse(record.payloadJson));
  if (!parsed.success) throw new Error(`certificate ${record.serial}: stored payload_json is not a valid payload`);
  return parsed.data;
}

/** The display/rendering view the core artifacts take. */
export function viewOf(record: CertificateRecord): CertificateView {
  const { listId, index } = statusListPosition(record.statusListIndex);
  return {
    payload: payloadOf(record),
    signature: record.signature,
    holderUnitName: record.holderUnitName,
    credential: { code: record.credentialCode, nameVi: record.credentialNameVi, nameEn: record.credentialNameEn },
    courseTitleVi: record.courseTitleVi,
    issuer: { nameVi: record.issuerNameVi, nameEn: record.issuerNameEn ?? undefined },
    scorePercent: record.scorePercent,
    source: record.source,
    statusListIndex: index,
    statusListId: listId,
    issuedAt: new Date(record.issuedAt),
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Access

export type CertificateScope = { kind: "all" } | { kind: "subtrees"; paths: string[] };

/** hr/admin grants → the subtrees they cover (an admin grant on the national root covers everything). */
export function scopeOfGrants(grants: Pick<RoleGrant, "role" | "unitPath">[]): CertificateScope {
  const paths = grants.filter((g) => g.role === "hr" || g.role === "admin").map((g) => g.unitPath);
  return { kind: "subtrees", paths: [...new Set(paths)] };
}

export function inScope(scope: CertificateScope, record: Pick<CertificateRecord, "holderUnitPath" | "currentUnitPath">): boolean {
  if (scope.kind === "all") return true;
  return scope.paths.some((p) => record.holderUnitPath.startsWith(p) || record.currentUnitPath.startsWith(p));
}

export interface Viewer {
  user: Pick<User, "id" | "personId">;
  scope: CertificateScope;
}

/**
 * The record for `serial` if `viewer` may see it: the holder, or an officer whose scope covers it.
 * Unknown serial → not_found; someone else's certificate → forbidden.
 */
export async function certificateForViewer(viewer: Viewer, serial: string, database?: Database): Promise<CertificateRecord> {
  const db = database ?? (await getDatabase());
  const record = await loadRecordBySerial(db.read, serial);
  if (!record) throw new CertificateError("not_found", `There is no certificate ${serial}.`);
  const isHolder = viewer.user.personId !== null && viewer.user.personId === record.personId;
  if (!isHolder && !inScope(viewer.scope, record)) throw new CertificateError("forbidden", `Certificate ${serial} is outside your scope.`);
  return record;
}

// ---------------------------------------------------------------------------------------------------------------
// Lists

export interface CertificateListItem {
  serial: string;
  holderName: string;
  staffCode: string;
  holderUnitName: string;
  credentialId: string;
  credentialNameVi: string;
  credentialNameEn: string;
  courseId: string | null;
  source: "passed" | "recognised";
  issuedAt: number;
  expiresAt: number | null;
  status: CertStatus;
  statusAt: number | null;
  statusReason: string | null;
  renewDue: boolean;
  /** /v/<token>: the public verification page of this certificate. */
  verifyPath: string;
}

/** SQL mirror of deriveStatus (lifecycle.ts) so lists can filter and count by status. */
function statusSql(now: number): SQL<CertStatus> {
  return sql<CertStatus>`case
    when exists (select 1 from ${certificateStatusEvents} e where e.certificate_id = ${certificates.id} and e.status = 'revoked' and e.effective_at <= ${now}) then 'revoked'
    when (select e.status from ${certificateStatusEvents} e where e.certificate_id = ${certificates.id} and e.status <> 'revoked' and e.effective_at <= ${now}
          order by e.effective_at desc, e.created_at desc limit 1) = 'suspended' then 'suspended'
    when ${certificates.expiresAt} is not null and ${certificates.expiresAt} <= ${now} then 'expired'
    else 'valid' end`;
}

function toListItems(rows: CertificateRecord[], now: number): CertificateListItem[] {
  return rows.map((r) => {
    const s = statusOf(r, now);
    return {
      serial: r.serial,
      holderName: r.holderName,
      staffCode: r.staffCode,
      holderUnitName: r.holderUnitName,
      credentialId: r.credentialId,
      credentialNameVi: r.credentialNameVi,
      credentialNameEn: r.credentialNameEn,
      courseId: r.courseId,
      source: r.source,
      issuedAt: r.issuedAt,
      expiresAt: r.expiresAt,
      status: s.status,
      statusAt: s.revokedAt ?? s.suspendedAt ?? (s.status === "expired" ? r.expiresAt : null),
      statusReason: s.reason,
      renewDue: s.status !== "revoked" && s.status !== "suspended" && renewDue(r.expiresAt, now),
      verifyPath: `/v/${encodeToken(payloadOf(r), r.signature)}`,
    };
  });
}

/** The learner's own certificates, newest first (revoked ones stay listed as revoked). */
export async function myCertificates(personId: string | null, now = Date.now(), database?: Database): Promise<CertificateListItem[]> {
  if (!personId) return [];
  const db = database ?? (await getDatabase());
  const rows = await withEvents(db.read, await recordQuery(db.read).where(eq(certificates.personId, personId)).orderBy(desc(certificates.issuedAt)));
  return toListItems(rows, now);
}


export interface UnitListFilters {
  unitCode: string;
  credentialId?: CredentialId | null;
  status?: ListStatusFilter;
  /** Name, staff code or serial (contains, case-insensitive for ASCII). */
  q?: string | null;
  year?: number | null;
  page?: number;
  pageSize?: number;
}

export interface UnitCertificateList {
  unit: { id: string; code: string; nameVi: string; nameEn: string | null; path: string };
  items: CertificateListItem[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<CertStatus, number>;
}

/** Finds the unit by code and checks the scope covers its whole subtree (the officer's unit or below). */
async function unitInScope(db: DbOrTx, scope: CertificateScope, unitCode: string) {
  const [unit] = await db.select({ id: orgUnits.id, code: orgUnits.code, nameVi: orgUnits.nameVi, nameEn: orgUnits.nameEn, path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.code, unitCode));
  if (!unit) throw new CertificateError("not_found", `There is no unit with the code ${unitCode}.`);
  if (scope.kind !== "all" && !scope.paths.some((p) => unit.path.startsWith(p))) throw new CertificateError("forbidden", `Unit ${unitCode} is outside your scope.`);
  return unit;
}

function unitConditions(unitPath: string, f: UnitListFilters, now: number): SQL[] {
  const conds: SQL[] = [or(like(holderUnit.path, `${unitPath}%`), like(currentUnit.path, `${unitPath}%`))!];
  if (f.credentialId) conds.push(eq(certificates.credentialId, f.credentialId));
  if (f.year) {
    const from = Date.UTC(f.year, 0, 1) - 7 * 3600_000;
    const to = Date.UTC(f.year + 1, 0, 1) - 7 * 3600_000;
    conds.push(sql`${certificates.issuedAt} >= ${from} and ${certificates.issuedAt} < ${to}`);
  }
  const q = f.q?.normalize("NFC").trim();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(${certificates.holderName} like ${pattern} escape '\\' or ${people.staffCode} like ${pattern} escape '\\' or ${certificates.serial} like ${pattern} escape '\\')`);
  }
  const status = f.status ?? "all";
  if (status === "expiring") {
    conds.push(sql`${statusSql(now)} = 'valid'`);
    conds.push(and(sql`${certificates.expiresAt} is not null`, sql`${certificates.expiresAt} <= ${now + RENEW_WINDOW_DAYS * DAY_MS}`)!);
  } else if (status !== "all") conds.push(sql`${statusSql(now)} = ${status}`);
  return conds;
}

/** An officer's list for one unit subtree, with filters, counts per status and paging. */
export async function unitCertificates(scope: CertificateScope, filters: UnitListFilters, now = Date.now(), database?: Database): Promise<UnitCertificateList> {
  const db = (database ?? (await getDatabase())).read;
  const unit = await unitInScope(db, scope, filters.unitCode);
  const pageSize = Math.min(Math.max(filters.pageSize ?? 50, 1), 500);
  const page = Math.max(filters.page ?? 1, 1);
  const where = and(...unitConditions(unit.path, filters, now));
  const base = () =>
    db
      .select({ id: certificates.id })
      .from(certificates)
      .innerJoin(holderUnit, eq(certificates.holderUnitId, holderUnit.id))
      .innerJoin(people, eq(certificates.personId, people.id))
      .innerJoin(currentUnit, eq(people.orgUnitId, currentUnit.id));
  const ids = (await base().where(where).orderBy(desc(certificates.issuedAt), desc(certificates.serial)).limit(pageSize).offset((page - 1) * pageSize)).map((r) => r.id);
  const [{ total } = { total: 0 }] = await db
    .select({ total: sql<number>`count(*)` })
    .from(certificates)
    .innerJoin(holderUnit, eq(certificates.holderUnitId, holderUnit.id))
    .innerJoin(people, eq(certificates.personId, people.id))
    .innerJoin(currentUnit, eq(people.orgUnitId, currentUnit.id))
    .where(where);
  const countRows = await db
    .select({ status: statusSql(now), n: sql<number>`count(*)` })
    .from(certificates)
    .innerJoin(holderUnit, eq(certificates.holderUnitId, holderUnit.id))
    .innerJoin(people, eq(certificates.personId, people.id))
    .innerJoin(currentUnit, eq(people.orgUnitId, currentUnit.id))
    .where(and(...unitConditions(unit.path, { ...filters, status: "all" }, now)))
    .groupBy(sql`1`);
  const counts: Record<CertStatus, number> = { valid: 0, revoked: 0, suspended: 0, expired: 0 };
  for (const c of countRows) counts[c.status] = Number(c.n);
  return { unit, items: toListItems(await loadRecordsByIds(db, ids), now), total: Number(total), page, pageSize, counts };
}

/**
 * Every certificate id of a unit list (same filters, no paging) in batches, for the bulk export: keyset paging by
 * (issued_at, id) so 10,000 rows never sit in memory at once.
 */
export async function* unitCertificateIdBatches(
  scope: CertificateScope,
  filters: UnitListFilters,
  batchSize = 200,
  now = Date.now(),
  database?: Database,
): AsyncGenerator<string[]> {
  const db = (database ?? (await getDatabase())).read;
  const unit = await unitInScope(db, scope, filters.unitCode);
  let after: { issuedAt: number; id: string } | null = null;
  for (;;) {
    const conds = unitConditions(unit.path, filters, now);
    if (after) conds.push(or(gt(certificates.issuedAt, after.issuedAt), and(eq(certificates.issuedAt, after.issuedAt), gt(certificates.id, after.id)))!);
    const rows: { id: string; issuedAt: number }[] = await db
      .select({ id: certificates.id, issuedAt: certificates.issuedAt })
      .from(certificates)
      .innerJoin(holderUnit, eq(certificates.holderUnitId, holderUnit.id))
      .innerJoin(people, eq(certificates.personId, people.id))
      .innerJoin(currentUnit, eq(people.orgUnitId, currentUnit.id))
      .where(and(...conds))
      .orderBy(asc(certificates.issuedAt), asc(certificates.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    const last = rows[rows.length - 1]!;
    after = { issuedAt: last.issuedAt, id: last.id };
    if (rows.length < batchSize) return;
  }
}

/** Counts what an export of this list would contain (for the progress indicator). */
export async function countUnitCertificates(scope: CertificateScope, filters: UnitListFilters, now = Date.now(), database?: Database): Promise<number> {
  const list = await unitCertificates(scope, { ...filters, page: 1, pageSize: 1 }, now, database);
  return list.total;
}

export const isCredentialId = (v: unknown): v is CredentialId => typeof v === "string" && (CREDENTIAL_IDS as readonly string[]).includes(v);

/** Units an officer can pick in the list (the granted units and their children), for the unit selector. */
export async function selectableUnits(scope: CertificateScope, database?: Database) {
  if (scope.kind === "all" || scope.paths.length === 0) return [];
  const db = (database ?? (await getDatabase())).read;
  const out: { code: string; nameVi: string; nameEn: string | null; depth: number }[] = [];
  const seen = new Set<string>();
  for (const p of scope.paths) {
    const depth = p.split("/").filter(Boolean).length - 1;
    const rows = await db
      .select({ code: orgUnits.code, nameVi: orgUnits.nameVi, nameEn: orgUnits.nameEn, depth: orgUnits.depth })
      .from(orgUnits)
      .where(and(like(orgUnits.path, `${p}%`), sql`${orgUnits.depth} <= ${depth + 1}`))
      .orderBy(orgUnits.depth, orgUnits.code)
      .limit(200);
    for (const r of rows) if (!seen.has(r.code)) (seen.add(r.code), out.push(r));
  }
  return out;
}
