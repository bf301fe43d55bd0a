/**
 * Revoke / suspend / reinstate (new rows in certificate_status_events, never edits; each one audited), and the
 * Bitstring Status List credential served at /status/<issuer>/<listId>.
 *
 * Status list: status_list_index is global and unique; list N of an issuing body covers global indexes
 * N·131072 … (N+1)·131072−1 (lifecycle.statusListPosition). One list per issuing body and page, purpose
 * "revocation"; a bit is set while the certificate is revoked OR suspended (a reinstatement clears it again).
 * The database stays authoritative; the list is for wallets and offline checkers (ttl 5 minutes).
 */
import { and, desc, eq, gte, lt } from "drizzle-orm";
import { certificateStatusEvents, certificates, orgUnits, signingKeys } from "#db/schema";
import { getDatabase, type Database } from "~/db.server";
import { audit } from "~/utils/audit.server";
import { newId } from "~/utils/ids";
import { afterCertificateChange, CertificateError, type Actor } from "./issue.server";
import { loadPrivateKey } from "./keys.server";
import { checkTransition, deriveStatus, REASON_MAX, STATUS_LIST_SIZE, type DerivedStatus, type StatusAction, type StatusEvent } from "./lifecycle";
import { buildStatusListCredential, issuerProfileUrl, signDataIntegrityJcs, statusListUrl, type JsonObject } from "./openbadge";
import { inScope, loadRecordBySerial, statusOf, type CertificateScope } from "./records.server";
import { forgetVerifiedTokens } from "./verify.server";

export { REASON_MAX } from "./lifecycle";

export interface StatusChangeInput {
  serial: string;
  action: StatusAction;
  reason: string;
  /** When it takes effect (ms); defaults to now; may be in the past (e.g. revoked "on" a date), never in the future. */
  effectiveAt?: number;
  actor: Actor;
  scope: CertificateScope;
}

export interface StatusChangeResult {
  serial: string;
  action: StatusAction;
  status: DerivedStatus;
  eventId: string;
}

const AUDIT_ACTION: Record<StatusAction, string> = {
  revoke: "certificate.revoke",
  suspend: "certificate.suspend",
  reinstate: "certificate.reinstate",
};

/** Applies a status change in one write: scope check, transition rule, event row, audit event, counters hook. */
export async function changeCertificateStatus(input: StatusChangeInput, database?: Database): Promise<StatusChangeResult> {
  const reason = input.reason.normalize("NFC").trim().replace(/\s+/g, " ");
  if (reason.length < 3) throw new CertificateError("invalid", "A reason of at least 3 characters is required.");
  if (reason.length > REASON_MAX) throw new CertificateError("invalid", `The reason is longer than ${REASON_MAX} characters.`);
  const now = Date.now();
  const effectiveAt = input.effectiveAt ?? now;
  if (!Number.isFinite(effectiveAt) || effectiveAt > now + 60_000) throw new CertificateError("invalid", "The effective date cannot be in the future.");
  const db = database ?? (await getDatabase());
  const result = await db.write(async (tx) => {
    const record = await loadRecordBySerial(tx, input.serial);
    if (!record) throw new CertificateError("not_found", `There is no certificate ${input.serial}.`);
    if (!inScope(input.scope, record)) throw new CertificateError("forbidden", `Certificate ${input.serial} is outside your scope.`);
    if (effectiveAt < record.issuedAt) throw new CertificateError("invalid", "The effective date is before the certificate was issued.");
    const before = statusOf(record, now);
    const check = checkTransition(before.status, input.action);
    if (!check.ok) {
      const messages = {
        already_revoked: `Certificate ${record.serial} is revoked; a revocation is final.`,
        already_suspended: `Certificate ${record.serial} is already suspended.`,
        not_suspended: `Certificate ${record.serial} is not suspended, so it cannot be reinstated.`,
      } as const;
      throw new CertificateError("conflict", messages[check.reason]);
    }
    const event: StatusEvent & { id: string } = { id: newId(), status: check.event, reason, effectiveAt, createdAt: now };
    await tx.insert(certificateStatusEvents).values({
      id: event.id,
      certificateId: record.id,
      status: event.status,
      reason,
      effectiveAt,
      actorUserId: input.actor.userId,
      createdAt: now,
    });
    const after = deriveStatus({ expiresAt: record.expiresAt }, [...record.events, event], now);
    await audit(tx, {
      actorUserId: input.actor.userId,
      actorLabel: input.actor.label,
      action: AUDIT_ACTION[input.action],
      subjectType: "certificate",
      subjectId: record.id,
      unitId: record.holderUnitId,
      before: { serial: record.serial, status: before.status },
      after: { serial: record.serial, status: after.status, reason, effectiveAt },
      ip: input.actor.ip ?? null,
      requestId: input.actor.requestId ?? null,
    });
    await afterCertificateChange(tx, {
      kind: check.event,
      certificateId: record.id,
      personId: record.personId,
      holderUnitId: record.holderUnitId,
      credentialId: record.credentialId,
      issuedAt: record.issuedAt,
      expiresAt: record.expiresAt,
      effectiveAt,
      eventId: event.id,
      createdAt: now,
    });
    return { serial: record.serial, action: input.action, status: after, eventId: event.id };
  });
  statusListCache.clear();
  forgetVerifiedTokens();
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Bitstring Status List

export const STATUS_LIST_TTL_MS = 5 * 60_000;
const statusListCache = new Map<string, { at: number; credential: JsonObject }>();
const CACHE_MS = 10_000;

/** Global indexes (minus the list offset) of the issuer's certificates in list `listId` that are revoked or suspended now. */
export async function flaggedIndexes(issuerUnitId: string, listId: number, now = Date.now(), database?: Database): Promise<number[]> {
  const db = (database ?? (await getDatabase())).read;
  const lo = listId * STATUS_LIST_SIZE;
  const rows = await db
    .select({
      certificateId: certificates.id,
      index: certificates.statusListIndex,
      expiresAt: certificates.expiresAt,
      status: certificateStatusEvents.status,
      reason: certificateStatusEvents.reason,
      effectiveAt: certificateStatusEvents.effectiveAt,
      createdAt: certificateStatusEvents.createdAt,
    })
    .from(certificateStatusEvents)
    .innerJoin(certificates, eq(certificateStatusEvents.certificateId, certificates.id))
    .where(and(eq(certificates.issuerUnitId, issuerUnitId), gte(certificates.statusListIndex, lo), lt(certificates.statusListIndex, lo + STATUS_LIST_SIZE)));
  const byCert = new Map<string, { index: number; expiresAt: number | null; events: StatusEvent[] }>();
  for (const r of rows) {
    const c = byCert.get(r.certificateId) ?? { index: r.index, expiresAt: r.expiresAt, events: [] };
    c.events.push({ status: r.status, reason: r.reason, effectiveAt: r.effectiveAt, createdAt: r.createdAt });
    byCert.set(r.certificateId, c);
  }
  const out: number[] = [];
  for (const c of byCert.values()) {
    const s = deriveStatus({ expiresAt: c.expiresAt }, c.events, now).status;
    if (s === "revoked" || s === "suspended") out.push(c.index - lo);
  }
  return out.sort((a, b) => a - b);
}

/**
 * The signed BitstringStatusListCredential for an issuing body's list, or null when the body has never issued
 * (no key) or the list id is not a page that exists.
 */
export async function statusListCredential(issuerCode: string, listId: number, baseUrl: string, database?: Database): Promise<JsonObject | null> {
  if (!Number.isInteger(listId) || listId < 0 || listId > 10_000) return null;
  const cacheKey = `${baseUrl}|${issuerCode}|${listId}`;
  const hit = statusListCache.get(cacheKey);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.credential;
  const db = database ?? (await getDatabase());
  const [issuer] = await db.read.select({ id: orgUnits.id, code: orgUnits.code, nameVi: orgUnits.nameVi }).from(orgUnits).where(eq(orgUnits.code, issuerCode));
  if (!issuer) return null;
  const [first] = await db.read
    .select({ id: certificates.id })
    .from(certificates)
    .where(and(eq(certificates.issuerUnitId, issuer.id), gte(certificates.statusListIndex, listId * STATUS_LIST_SIZE), lt(certificates.statusListIndex, (listId + 1) * STATUS_LIST_SIZE)))
    .limit(1);
  if (!first) return null;
  const keys = await db.read.select().from(signingKeys).where(eq(signingKeys.issuerUnitId, issuer.id)).orderBy(signingKeys.isDemo, desc(signingKeys.validFrom), desc(signingKeys.createdAt));
  const now = new Date();
  for (const k of keys) {
    const privateKey = loadPrivateKey(k.id, k.publicKey);
    if (!privateKey) continue;
    const url = statusListUrl(baseUrl, issuer.code, listId);
    const unsigned = buildStatusListCredential({
      id: url,
      issuer: { id: issuerProfileUrl(baseUrl, issuer.code), name: issuer.nameVi },
      revokedIndexes: await flaggedIndexes(issuer.id, listId, now.getTime(), db),
      validFrom: now,
      validUntil: new Date(now.getTime() + STATUS_LIST_TTL_MS * 12),
      ttl: STATUS_LIST_TTL_MS,
    });
    const credential = signDataIntegrityJcs(unsigned, privateKey, { created: now });
    statusListCache.set(cacheKey, { at: Date.now(), credential });
    return credential;
  }
  return null;
}
