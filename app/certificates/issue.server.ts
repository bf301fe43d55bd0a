/**
 * Issues the certificate for a passed exam attempt, inside the grading write (the caller's `tx`).
 *
 * STAND-IN written by the exam engine so its branch compiles and runs end to end; the certificates domain's own
 * version of this module replaces it (same exported signature). It is nevertheless real: a canonical payload
 * signed with Ed25519 (payload.ts), a check-charactered serial (serial.ts), a status-list index, the holder's
 * name and unit snapshotted, an audit row. Signing key: the newest usable key of the issuing unit whose private
 * half is on disk; when there is none, a demo key is generated, its private half written under the data
 * directory (keys/<kid>.pem, mode 0600) and its public half recorded in signing_keys (is_demo = 1).
 * Idempotent per attempt (certificates.attempt_id is unique).
 */
import { and, desc, eq, gt, isNull, like, lte, or, sql } from "drizzle-orm";
import { createPublicKey, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { resolveDatabaseUrl } from "#db/client";
import { unitId } from "#db/reference";
import { certificates, courses, credentials, orgUnits, people, signingKeys, type CredentialId } from "#db/schema";
import type { Tx } from "~/db.server";
import { audit } from "~/utils/audit.server";
import { newId } from "~/utils/ids";
import {
  canonicalPayloadJson,
  createSigningKey,
  exportPublicKeyB64url,
  makePayload,
  privateKeyFromPem,
  signPayload,
  toVietnamDate,
} from "./payload";
import { formatSerial } from "./serial";

export type IssueForPassInput = {
  attemptId: string;
  personId: string;
  courseId: string;
  courseVersionId: string;
  credentialId: CredentialId;
  scorePercent: number;
  /** ms */
  issuedAt: number;
};

/** Ministry of Home Affairs: the issuing body of civil-service training certificates. */
export const ISSUER_UNIT_CODE = "G09";

export function dataDir(): string {
  if (process.env.LMS_DATA_DIR) return path.resolve(process.env.LMS_DATA_DIR);
  const url = resolveDatabaseUrl();
  if (url.startsWith("file:")) return path.dirname(path.resolve(url.slice("file:".length)));
  return path.resolve("data");
}

const keyFile = (kid: string) => path.join(dataDir(), "keys", `${kid}.pem`);

function addMonths(ms: number, months: number): Date {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

async function issuingKey(tx: Tx, issuer: { id: string; code: string }, now: number): Promise<{ kid: string; key: KeyObject }> {
  const rows = await tx
    .select({ id: signingKeys.id, publicKey: signingKeys.publicKey })
    .from(signingKeys)
    .where(
      and(
        eq(signingKeys.issuerUnitId, issuer.id),
        lte(signingKeys.validFrom, now),
        or(isNull(signingKeys.validTo), gt(signingKeys.validTo, now)),
      ),
    )
    .orderBy(desc(signingKeys.validFrom));
  for (const row of rows) {
    const file = keyFile(row.id);
    if (!existsSync(file)) continue;
    const key = privateKeyFromPem(readFileSync(file), file);
    if (exportPublicKeyB64url(createPublicKey(key)) === row.publicKey) return { kid: row.id, key };
  }
  const year = Number(toVietnamDate(new Date(now)).slice(0, 4));
  const created = createSigningKey({ issuerCode: issuer.code.replace(/[^A-Za-z0-9]/g, ""), year });
  const file = keyFile(created.kid);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, created.privateKeyPem, { mode: 0o600 });
  chmodSync(file, 0o600);
  await tx.insert(signingKeys).values({
    id: created.kid,
    issuerUnitId: issuer.id,
    algorithm: "Ed25519",
    publicKey: created.publicKeyB64url,
    validFrom: now,
    validTo: null,
    isDemo: true,
    createdAt: now,
  });
  return { kid: created.kid, key: privateKeyFromPem(created.privateKeyPem, file) };
}

export async function issueCertificateForPass(
  tx: Tx,
  input: IssueForPassInput,
): Promise<{ certificateId: string; serial: string }> {
  const [existing] = await tx
    .select({ id: certificates.id, serial: certificates.serial })
    .from(certificates)
    .where(eq(certificates.attemptId, input.attemptId));
  if (existing) return { certificateId: existing.id, serial: existing.serial };

  const [holder] = await tx
    .select({ fullName: people.fullName, unitId: orgUnits.id, unitNameVi: orgUnits.nameVi })
    .from(people)
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .where(eq(people.id, input.personId));
  if (!holder) throw new Error(`issueCertificateForPass: person ${input.personId} does not exist`);
  const [credential] = await tx
    .select({ prefix: credentials.serialPrefix })
    .from(credentials)
    .where(eq(credentials.id, input.credentialId));
  if (!credential) throw new Error(`issueCertificateForPass: credential ${input.credentialId} does not exist`);
  const [course] = await tx
    .select({ validityMonths: courses.validityMonths })
    .from(courses)
    .where(eq(courses.id, input.courseId));

  const [issuer] = await tx
    .select({ id: orgUnits.id, code: orgUnits.code })
    .from(orgUnits)
    .where(eq(orgUnits.id, unitId(ISSUER_UNIT_CODE)));
  if (!issuer) throw new Error(`issueCertificateForPass: issuing unit ${ISSUER_UNIT_CODE} is not in the org tree`);
  const { kid, key } = await issuingKey(tx, issuer, input.issuedAt);

  // Serial sequence per prefix and year: the zero-padded number makes the lexicographic maximum the numeric one.
  const year = Number(toVietnamDate(new Date(input.issuedAt)).slice(0, 4));
  const [last] = await tx
    .select({ serial: sql<string | null>`max(${certificates.serial})` })
    .from(certificates)
    .where(like(certificates.serial, `${credential.prefix}-${year}-%`));
  const sequence = last?.serial ? Number(last.serial.split("-")[2]) + 1 : 1;
  const serial = formatSerial(credential.prefix, year, sequence);
  const [index] = await tx.select({ max: sql<number | null>`max(${certificates.statusListIndex})` }).from(certificates);
  const statusListIndex = (index?.max ?? -1) + 1;

  const expiresAt = course?.validityMonths ? addMonths(input.issuedAt, course.validityMonths) : null;
  const payload = makePayload({
    serial,
    name: holder.fullName,
    credential: input.credentialId,
    issuedAt: new Date(input.issuedAt),
    expiresAt,
    issuer: issuer.code,
    kid,
  });
  const id = newId();
  await tx.insert(certificates).values({
    id,
    serial,
    personId: input.personId,
    holderName: payload.name,
    holderUnitId: holder.unitId,
    holderUnitName: holder.unitNameVi,
    issuerUnitId: issuer.id,
    credentialId: input.credentialId,
    courseId: input.courseId,
    courseVersionId: input.courseVersionId,
    attemptId: input.attemptId,
    source: "passed",
    scorePercent: input.scorePercent,
    issuedAt: input.issuedAt,
    expiresAt: expiresAt ? expiresAt.getTime() : null,
    statusListIndex,
    keyId: kid,
    payloadJson: canonicalPayloadJson(payload),
    signature: signPayload(payload, key),
    createdBy: null,
    createdAt: input.issuedAt,
  });
  await audit(tx, {
    actorLabel: "system:exam-pass",
    action: "certificate.issue",
    subjectType: "certificate",
    subjectId: id,
    unitId: holder.unitId,
    after: { serial, attemptId: input.attemptId, credentialId: input.credentialId, scorePercent: input.scorePercent },
  });
  return { certificateId: id, serial };
}
