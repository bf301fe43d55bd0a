/**
 * Issuing certificates: append-only rows, signed inside the caller's single write.
 *
 * AGREED INTERFACE (the exam engine calls it in the same write as the passing grade):
 *   issueCertificateForPass(tx, { attemptId, personId, courseId, courseVersionId, credentialId, scorePercent, issuedAt })
 *     → { certificateId, serial }
 * Idempotent per attempt (a second call returns the first certificate). Snapshot of the holder's name and unit at
 * issue time; serial `<credentials.serial_prefix>-<year>-<seq>-<check>` with the next sequence per prefix and
 * Vietnam year computed inside the write; expires_at from courses.validity_months (null = never); the next free
 * status-list index; Ed25519 signature over the canonical payload by the issuing body's key for that year.
 * No PDF is rendered here: PDFs are rendered on download from the row.
 */
import { applyCertificateIssued, applyCertificateRevoked } from "~/reports/counters.server";
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { attempts, certificates, courses, credentials, orgUnits, people, type CredentialId } from "#db/schema";
import type { Tx } from "~/db.server";
import { audit } from "~/utils/audit.server";
import { newId } from "~/utils/ids";
import { signingKeyFor } from "./keys.server";
import { expiryFor, issuerCodeForPath, vietnamYear } from "./lifecycle";
import { canonicalPayloadJson, makePayload, signPayload } from "./payload";
import { formatSerial, SERIAL_MAX_SEQUENCE } from "./serial";

export class CertificateError extends Error {
  override name = "CertificateError";
  constructor(
    readonly code: "not_found" | "forbidden" | "invalid" | "conflict",
    message: string,
  ) {
    super(message);
  }
}

export interface Actor {
  userId: string | null;
  /** Username, or "cli:<os user>" for the command line. */
  label: string;
  ip?: string | null;
  requestId?: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// The one call site for the per-unit counters (reports domain)

export type CertificateChange =
  | { kind: "issued"; certificateId: string; personId: string; holderUnitId: string; credentialId: string; issuedAt: number; expiresAt: number | null }
  | {
      kind: "revoked" | "suspended" | "reinstated";
      certificateId: string;
      personId: string;
      holderUnitId: string;
      credentialId: string;
      issuedAt: number;
      expiresAt: number | null;
      effectiveAt: number;
      eventId: string;
      createdAt: number;
    };

/**
 * Called inside the same write as every issue, revocation, suspension and reinstatement.
 * It keeps the reports domain's per-unit coverage counters exact: an issue counts the certificate; a revocation,
 * suspension or reinstatement recounts the holder (app/reports/counters.server.ts).
 */
export async function afterCertificateChange(tx: Tx, event: CertificateChange): Promise<void> {
  if (event.kind === "issued") {
    await applyCertificateIssued(tx, { id: event.certificateId, personId: event.personId, credentialId: event.credentialId, issuedAt: event.issuedAt, expiresAt: event.expiresAt });
  } else {
    await applyCertificateRevoked(tx, { id: event.eventId, certificateId: event.certificateId, status: event.kind, effectiveAt: event.effectiveAt, createdAt: event.createdAt });
  }
}

// ---------------------------------------------------------------------------------------------------------------

export interface PassInput {
  attemptId: string;
  personId: string;
  courseId: string;
  courseVersionId: string;
  credentialId: CredentialId;
  scorePercent: number;
  /** ms since the epoch */
  issuedAt: number;
}

export interface IssuedCertificate {
  certificateId: string;
  serial: string;
}

/** Next sequence for a prefix and year: one indexed range scan on the unique serial index. */
async function nextSequence(tx: Tx, prefix: string, year: number): Promise<number> {
  const lo = `${prefix}-${year}-`;
  const hi = `${prefix}-${year}.`; // "." sorts right after "-"
  const [row] = await tx
    .select({ serial: certificates.serial })
    .from(certificates)
    .where(and(gte(certificates.serial, lo), lt(certificates.serial, hi)))
    .orderBy(desc(certificates.serial))
    .limit(1);
  const last = row ? Number(row.serial.slice(lo.length, lo.length + 6)) : 0;
  if (last >= SERIAL_MAX_SEQUENCE) throw new CertificateError("conflict", `The serial sequence ${prefix}-${year} is exhausted (${SERIAL_MAX_SEQUENCE}).`);
  return last + 1;
}

async function nextStatusIndex(tx: Tx): Promise<number> {
  const [row] = await tx.select({ max: sql<number | null>`max(${certificates.statusListIndex})` }).from(certificates);
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

interface IssueCore {
  personId: string;
  credentialId: string;
  issuedAt: number;
  expiresAt: number | null;
  source: "passed" | "recognised";
  sourceNote: string | null;
  attemptId: string | null;
  courseId: string | null;
  courseVersionId: string | null;
  scorePercent: number | null;
  createdBy: string | null;
}

async function insertCertificate(tx: Tx, input: IssueCore): Promise<IssuedCertificate & { holderUnitId: string }> {
  const [person] = await tx
    .select({ fullName: people.fullName, unitId: orgUnits.id, unitName: orgUnits.nameVi, unitPath: orgUnits.path })
    .from(people)
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .where(eq(people.id, input.personId));
  if (!person) throw new CertificateError("not_found", `There is no person with id ${input.personId}.`);
  const [credential] = await tx.select().from(credentials).where(eq(credentials.id, input.credentialId as CredentialId));
  if (!credential) throw new CertificateError("not_found", `There is no credential "${input.credentialId}".`);
  const issuerCode = issuerCodeForPath(person.unitPath);
  const [issuer] = await tx.select({ id: orgUnits.id, code: orgUnits.code }).from(orgUnits).where(eq(orgUnits.code, issuerCode));
  if (!issuer) throw new CertificateError("not_found", `The issuing body ${issuerCode} is not in the org tree.`);

  const year = vietnamYear(input.issuedAt);
  const serial = formatSerial(credential.serialPrefix, year, await nextSequence(tx, credential.serialPrefix, year));
  const statusListIndex = await nextStatusIndex(tx);
  const { row: key, privateKey } = await signingKeyFor(tx, issuer, input.issuedAt);
  const payload = makePayload({
    serial,
    name: person.fullName,
    credential: credential.id,
    issuedAt: new Date(input.issuedAt),
    expiresAt: input.expiresAt === null ? null : new Date(input.expiresAt),
    issuer: issuer.code,
    kid: key.kid,
  });
  const signature = signPayload(payload, privateKey);
  const id = newId();
  await tx.insert(certificates).values({
    id,
    serial,
    personId: input.personId,
    holderName: payload.name,
    holderUnitId: person.unitId,
    holderUnitName: person.unitName.normalize("NFC"),
    issuerUnitId: issuer.id,
    credentialId: credential.id,
    courseId: input.courseId,
    courseVersionId: input.courseVersionId,
    attemptId: input.attemptId,
    source: input.source,
    sourceNote: input.sourceNote,
    scorePercent: input.scorePercent,
    issuedAt: input.issuedAt,
    expiresAt: input.expiresAt,
    statusListIndex,
    keyId: key.kid,
    payloadJson: canonicalPayloadJson(payload),
    signature,
    createdBy: input.createdBy,
    createdAt: Date.now(),
  });
  await afterCertificateChange(tx, {
    kind: "issued",
    certificateId: id,
    personId: input.personId,
    holderUnitId: person.unitId,
    credentialId: credential.id,
    issuedAt: input.issuedAt,
    expiresAt: input.expiresAt,
  });
  return { certificateId: id, serial, holderUnitId: person.unitId };
}

/** Issues the certificate for a passed attempt, inside the caller's write; returns the existing one on a repeat. */
export async function issueCertificateForPass(tx: Tx, input: PassInput): Promise<IssuedCertificate> {
  const [existing] = await tx.select({ certificateId: certificates.id, serial: certificates.serial }).from(certificates).where(eq(certificates.attemptId, input.attemptId));
  if (existing) return existing;
  if (!Number.isFinite(input.scorePercent) || input.scorePercent < 0 || input.scorePercent > 100) {
    throw new CertificateError("invalid", `scorePercent ${input.scorePercent} is not between 0 and 100.`);
  }
  if (!Number.isFinite(input.issuedAt)) throw new CertificateError("invalid", `issuedAt ${input.issuedAt} is not a timestamp in ms.`);
  const [attempt] = await tx.select({ personId: attempts.personId, courseId: attempts.courseId }).from(attempts).where(eq(attempts.id, input.attemptId));
  if (!attempt) throw new CertificateError("not_found", `There is no attempt ${input.attemptId}.`);
  if (attempt.personId !== input.personId || attempt.courseId !== input.courseId) {
    throw new CertificateError("invalid", `Attempt ${input.attemptId} belongs to another person or course.`);
  }
  const [course] = await tx.select({ validityMonths: courses.validityMonths, credentialId: courses.credentialId }).from(courses).where(eq(courses.id, input.courseId));
  if (!course) throw new CertificateError("not_found", `There is no course ${input.courseId}.`);
  if (course.credentialId !== input.credentialId) {
    throw new CertificateError("invalid", `Course ${input.courseId} awards ${course.credentialId}, not ${input.credentialId}.`);
  }
  const issued = await insertCertificate(tx, {
    personId: input.personId,
    credentialId: input.credentialId,
    issuedAt: input.issuedAt,
    expiresAt: expiryFor(input.issuedAt, course.validityMonths),
    source: "passed",
    sourceNote: null,
    attemptId: input.attemptId,
    courseId: input.courseId,
    courseVersionId: input.courseVersionId,
    scorePercent: Math.round(input.scorePercent * 100) / 100,
    createdBy: null,
  });
  // Issued by the exam engine on the candidate's passing submission: no user acted, the attempt is the cause.
  await audit(tx, {
    actorLabel: "system:exam-pass",
    action: "certificate.issue",
    subjectType: "certificate",
    subjectId: issued.certificateId,
    unitId: issued.holderUnitId,
    before: null,
    after: { serial: issued.serial, credentialId: input.credentialId, attemptId: input.attemptId, scorePercent: Math.round(input.scorePercent * 100) / 100, issuedAt: input.issuedAt },
  });
  return { certificateId: issued.certificateId, serial: issued.serial };
}

export interface RecognisedInput {
  personId: string;
  credentialId: CredentialId;
  /** ms: the date the learning was achieved elsewhere (Vietnam midnight of the day). */
  issuedAt: number;
  /** Where it was earned ("Nền tảng học trực tuyến quốc gia, chứng chỉ số …"). */
  source: string;
  actor: Actor;
}

/**
 * Records a certificate earned elsewhere (recognition of prior learning; source 'recognised', no attempt, no
 * score). Audited. Expiry follows the validity of the credential's course when there is one. Running the same
 * recognition again (same person, credential, date and source) returns the existing certificate.
 */
export async function issueRecognisedCertificate(tx: Tx, input: RecognisedInput): Promise<IssuedCertificate & { existing: boolean }> {
  const source = input.source.normalize("NFC").trim().replace(/\s+/g, " ");
  if (source.length < 3 || source.length > 500) throw new CertificateError("invalid", "The source must say where the learning was achieved (3 to 500 characters).");
  if (!Number.isFinite(input.issuedAt) || input.issuedAt > Date.now()) throw new CertificateError("invalid", "The issue date cannot be in the future.");
  const [existing] = await tx
    .select({ certificateId: certificates.id, serial: certificates.serial })
    .from(certificates)
    .where(
      and(
        eq(certificates.personId, input.personId),
        eq(certificates.credentialId, input.credentialId),
        eq(certificates.source, "recognised"),
        eq(certificates.issuedAt, input.issuedAt),
        eq(certificates.sourceNote, source),
      ),
    );
  if (existing) return { ...existing, existing: true };
  const [course] = await tx
    .select({ id: courses.id, validityMonths: courses.validityMonths })
    .from(courses)
    .where(eq(courses.credentialId, input.credentialId))
    .orderBy(courses.sortOrder, courses.id)
    .limit(1);
  const issued = await insertCertificate(tx, {
    personId: input.personId,
    credentialId: input.credentialId,
    issuedAt: input.issuedAt,
    expiresAt: expiryFor(input.issuedAt, course?.validityMonths ?? null),
    source: "recognised",
    sourceNote: source,
    attemptId: null,
    courseId: null,
    courseVersionId: null,
    scorePercent: null,
    createdBy: input.actor.userId,
  });
  await audit(tx, {
    actorUserId: input.actor.userId,
    actorLabel: input.actor.label,
    action: "certificate.recognise",
    subjectType: "certificate",
    subjectId: issued.certificateId,
    unitId: issued.holderUnitId,
    after: { serial: issued.serial, credentialId: input.credentialId, issuedAt: input.issuedAt, source },
    ip: input.actor.ip ?? null,
    requestId: input.actor.requestId ?? null,
  });
  return { certificateId: issued.certificateId, serial: issued.serial, existing: false };
}
