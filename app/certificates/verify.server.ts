/**
 * The public verification service behind /v/<token>, /verify (serial or uploaded PDF) and `cert:verify`.
 *
 * Answers exactly one of: valid, revoked (date, reason), suspended, expired, altered, unknown. A certificate that
 * exists is never "unknown": a revoked one is revoked forever. It shows the holder's name, the credential and the
 * issuing body and nothing more (no unit, no staff code, no national ID). A serial typed by hand shows only a
 * masked name ("Nguyễn T. H.") unless the visitor types the full name too, because serials are sequential.
 *
 * Rate limits (per client address, in memory, per process — see rate-limit.ts):
 *  - /verify lookups and uploads: LMS_VERIFY_RATE (default 20/min).
 *  - /v/<token>: only failed checks (altered, unknown, malformed) consume LMS_VERIFY_FAILURE_RATE (default 30/min);
 *    once it is empty every /v request from that address gets 429 until it refills. A valid token cannot be forged
 *    or guessed, so valid lookups are not counted (and /v stays fast for printed QR codes scanned at scale).
 */
import { getDatabase, type Database } from "~/db.server";
import { getPadesSigner, publishedKeys, publishedKeySet, refreshIfUnknownKid, toJwk, trustedSignerFingerprints, type LmsJwk } from "./keys.server";
import { maskName, sameName, vietnamDate } from "./lifecycle";
import { canonicalPayloadJson, type CertificatePayload } from "./payload";
import { inspectCertificatePdf, judgeCertificatePdf, type PdfInspection } from "./pdf-check.server";
import { parseRate, TokenBuckets } from "./rate-limit";
import { loadRecordBySerial, loadStatusEvents, payloadOf, statusOf, type CertificateRecord } from "./records.server";
import { parseSerial } from "./serial";
import { encodeToken, verifyTokenOffline, type KeySet } from "./token";

export type VerifyStatus = "valid" | "revoked" | "suspended" | "expired" | "altered" | "unknown";

export interface PublicFacts {
  serial: string;
  /** Full name, or the masked form for a serial-only lookup (then `nameMasked` is true). */
  holderName: string;
  nameMasked: boolean;
  credentialNameVi: string;
  credentialNameEn: string;
  issuerNameVi: string;
  issuerNameEn: string | null;
  /** Vietnam calendar dates. */
  issuedOn: string;
  expiresOn: string | null;
  source: "passed" | "recognised";
}

export interface VerifyResult {
  status: VerifyStatus;
  facts: PublicFacts | null;
  /** Revoked: when (date) and why; suspended: since when and why. */
  statusOn: string | null;
  reason: string | null;
  /** The certificate is past its expiry date (also true for a revoked one that has expired since). */
  expired: boolean;
  /** The Ed25519 key that signed it, or the PDF's signer, is a demo key/certificate. */
  demo: boolean;
  /** Why a check failed (altered/unknown), in English technical terms; shown in a details box. */
  reasons: string[];
  /** For an uploaded PDF: the PAdES signer. */
  pdfSigner?: { commonName: string | null; isDemo: boolean } | null;
  /** For a serial lookup with a typed name: whether it matches the holder. */
  nameMatches?: boolean | null;
}

const unknown = (reasons: string[]): VerifyResult => ({ status: "unknown", facts: null, statusOn: null, reason: null, expired: false, demo: false, reasons });
const altered = (reasons: string[]): VerifyResult => ({ status: "altered", facts: null, statusOn: null, reason: null, expired: false, demo: false, reasons });

function factsOf(record: CertificateRecord, payload: CertificatePayload, masked: boolean): PublicFacts {
  return {
    serial: record.serial,
    holderName: masked ? maskName(payload.name) : payload.name,
    nameMasked: masked,
    credentialNameVi: record.credentialNameVi,
    credentialNameEn: record.credentialNameEn,
    issuerNameVi: record.issuerNameVi,
    issuerNameEn: record.issuerNameEn,
    issuedOn: payload.issuedAt,
    expiresOn: payload.expiresAt,
    source: record.source,
  };
}

/** The database verdict for a record whose signed data was already checked. */
function fromRecord(record: CertificateRecord, payload: CertificatePayload, now: number, masked = false): VerifyResult {
  const s = statusOf(record, now);
  const at = s.revokedAt ?? s.suspendedAt;
  return {
    status: s.status,
    facts: factsOf(record, payload, masked),
    statusOn: at === null ? (s.status === "expired" && record.expiresAt !== null ? vietnamDate(record.expiresAt) : null) : vietnamDate(at),
    reason: s.reason,
    expired: s.expired,
    demo: record.keyIsDemo,
    reasons: [],
  };
}

/** The row must carry exactly the signed payload and signature the token/file carries. */
function sameSignedData(record: CertificateRecord, payload: CertificatePayload, signature: string): boolean {
  return record.payloadJson === canonicalPayloadJson(payload) && record.signature === signature;
}

async function context(database?: Database) {
  const db = database ?? (await getDatabase());
  return { db, keys: await publishedKeySet(db) };
}

// /v is what printed QR codes open, so it must be cheap. Everything about a token except the status is fixed once
// it has been checked: the signature check is pure, and the certificate row it is compared with is append-only. So
// a token that checked out is remembered per process (its payload and the record without its status history) for
// LMS_VERIFY_CACHE_MS (default 60 s, 0 = off; the TTL only picks up a renamed issuing body); the status events are
// read from the database on every request, so a revocation by any worker or the CLI shows at once. Failed checks
// are never cached (they are rate-limited instead). ADR 0015.
const SIGNED_CACHE_MS = Number(process.env.LMS_VERIFY_CACHE_MS ?? 60_000);
const SIGNED_CACHE_MAX = 10_000;
type CheckedToken = { at: number; payload: CertificatePayload; record: Omit<CertificateRecord, "events"> };
const checkedTokens = new Map<string, CheckedToken>();

/** Forgets the remembered token checks (tests, key changes). Status changes need not call it: status is always live. */
export function forgetVerifiedTokens(): void {
  checkedTokens.clear();
}

/** /v/<token>: offline signature check with the published keys (remembered), then the record's live status. */
export async function verifyToken(token: string, options: { database?: Database; now?: number } = {}): Promise<VerifyResult> {
  const cacheable = SIGNED_CACHE_MS > 0 && options.database === undefined;
  const now = options.now ?? Date.now();
  if (cacheable) {
    const hit = checkedTokens.get(token);
    if (hit && Date.now() - hit.at < SIGNED_CACHE_MS) {
      const db = await getDatabase();
      return fromRecord({ ...hit.record, events: await loadStatusEvents(db.read, hit.record.id) }, hit.payload, now);
    }
  }
  const checked = await checkTokenAgainstRecord(token, options.database);
  if (!("record" in checked)) return checked;
  if (cacheable) {
    if (checkedTokens.size >= SIGNED_CACHE_MAX) checkedTokens.delete(checkedTokens.keys().next().value!);
    const { events: _events, ...fixed } = checked.record;
    checkedTokens.set(token, { at: Date.now(), payload: checked.payload, record: fixed });
  }
  return fromRecord(checked.record, checked.payload, now);
}

/** The signature and signed-data part of /v: either a failed answer, or the payload and the matching record. */
async function checkTokenAgainstRecord(token: string, database?: Database): Promise<VerifyResult | { payload: CertificatePayload; record: CertificateRecord }> {
  const { db, keys } = await context(database);
  let r = verifyTokenOffline(token, keys);
  if (r.status === "unknown_key" && (await refreshIfUnknownKid(db, r.payload.kid))) r = verifyTokenOffline(token, await publishedKeySet(db));
  if (r.status === "malformed") {
    // Something token-shaped that does not decode was damaged or edited; anything else is simply not ours.
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token) && r.error !== "malformed" && r.error !== "bad_base64" ? altered([r.message]) : unknown([r.message]);
  }
  if (r.status === "altered") return altered([r.message]);
  const record = await loadRecordBySerial(db.read, r.payload.serial);
  if (r.status === "unknown_key") return record ? altered([r.message]) : unknown([r.message]);
  if (!record) return unknown([`No certificate ${r.payload.serial} was issued here.`]);
  const signature = token.split(".")[1]!;
  if (!sameSignedData(record, r.payload, signature)) return altered(["The signed data differs from the certificate on record."]);
  return { payload: r.payload, record };
}

/**
 * /verify with a serial (and optionally the holder's name as printed). The stored row's own signature is checked
 * too, so a row edited in the database reads as altered.
 */
export async function verifySerial(input: { serial: string; name?: string | null }, options: { database?: Database; now?: number } = {}): Promise<VerifyResult & { serialError?: string }> {
  const parsed = parseSerial(input.serial);
  if (!parsed.ok) return { ...unknown([parsed.message]), serialError: parsed.reason };
  const { db, keys } = await context(options.database);
  const record = await loadRecordBySerial(db.read, parsed.value.serial);
  if (!record) return unknown([`No certificate ${parsed.value.serial} was issued here.`]);
  const payload = payloadOf(record);
  const token = encodeToken(payload, record.signature);
  let check = verifyTokenOffline(token, keys);
  if (check.status === "unknown_key" && (await refreshIfUnknownKid(db, payload.kid))) check = verifyTokenOffline(token, await publishedKeySet(db));
  if (check.status !== "valid") return altered([`The stored certificate does not verify: ${check.message}`]);
  const typed = input.name?.trim() ? input.name : null;
  const matches = typed === null ? null : sameName(typed, payload.name);
  return { ...fromRecord(record, payload, options.now ?? Date.now(), matches !== true), nameMatches: matches };
}

export interface PdfVerifyOptions {
  database?: Database | null;
  /** Published keys; defaults to the database's. */
  keys?: KeySet;
  /** PAdES certificates this LMS signs with; defaults to the configured signer and every earlier one. */
  trustedSigners?: string[];
  now?: number;
}

export type PdfVerifyResult = (VerifyResult & { fileError?: undefined }) | { fileError: string; message: string };

/**
 * /verify upload and `cert:verify`: inspect the file (token, QR link, printed name, Open Badge, PAdES), judge it
 * against the signed payload, then (with a database) the record's status. Without a database (`database: null`,
 * a JWKS file given) the answer is valid/altered/unknown from the file alone.
 */
export async function verifyPdf(bytes: Uint8Array, options: PdfVerifyOptions = {}): Promise<PdfVerifyResult> {
  const inspection = await inspectCertificatePdf(bytes);
  if (!inspection.ok) return { fileError: inspection.error, message: inspection.message };
  const db = options.database === null ? null : (options.database ?? (await getDatabase()));
  let keys = options.keys ?? (db ? await publishedKeySet(db) : {});
  if (!options.keys && db && inspection.token) {
    const kid = verifyTokenOffline(inspection.token, keys);
    if (kid.status === "unknown_key" && (await refreshIfUnknownKid(db, kid.payload.kid))) keys = await publishedKeySet(db);
  }
  const trustedSigners = options.trustedSigners ?? (db ? await trustedSignerFingerprints() : undefined);
  return judgeWithRecord(inspection, { db, keys, trustedSigners, now: options.now ?? Date.now() });
}

async function judgeWithRecord(inspection: PdfInspection, o: { db: Database | null; keys: KeySet; trustedSigners?: string[]; now: number }): Promise<VerifyResult> {
  const verdict = judgeCertificatePdf(inspection, { keys: o.keys, trustedSigners: o.trustedSigners });
  const pades = inspection.pades;
  const signer = "signer" in pades && pades.signer ? { commonName: pades.signer.commonName, isDemo: pades.signer.isDemo } : null;
  const withSigner = (r: VerifyResult): VerifyResult => ({ ...r, pdfSigner: signer, demo: r.demo || (signer?.isDemo ?? false) });
  if (verdict.verdict === "unknown") return withSigner(unknown(verdict.reasons));
  if (verdict.verdict === "altered") return withSigner(altered(verdict.reasons));
  const record = o.db ? await loadRecordBySerial(o.db.read, verdict.payload.serial) : null;
  if (verdict.verdict === "unknown_key") return withSigner(record ? altered(verdict.reasons) : unknown(verdict.reasons));
  if (!o.db) {
    // Offline: the file is intact and its data verifies; no status is known.
    const p = verdict.payload;
    return withSigner({
      status: "valid",
      facts: { serial: p.serial, holderName: p.name, nameMasked: false, credentialNameVi: p.credential, credentialNameEn: p.credential, issuerNameVi: p.issuer, issuerNameEn: null, issuedOn: p.issuedAt, expiresOn: p.expiresAt, source: "passed" },
      statusOn: null,
      reason: null,
      expired: p.expiresAt !== null && p.expiresAt <= vietnamDate(o.now),
      demo: false,
      reasons: ["Checked offline: revocation and suspension were not looked up."],
    });
  }
  if (!record) return withSigner(unknown([`No certificate ${verdict.payload.serial} was issued here.`]));
  const token = inspection.token!;
  if (!sameSignedData(record, verdict.payload, token.split(".")[1]!)) return withSigner(altered(["The signed data differs from the certificate on record."]));
  return withSigner(fromRecord(record, verdict.payload, o.now));
}

/** The JWKS document of /.well-known/jwks.json: every published key with its validity window. */
export async function publishedJwks(database?: Database): Promise<{ keys: LmsJwk[] }> {
  const db = database ?? (await getDatabase());
  return { keys: (await publishedKeys(db)).map(toJwk) };
}

/** Whether the PAdES signer currently configured is a demo one (shown on the verify pages). */
export async function signerIsDemo(): Promise<boolean> {
  try {
    return (await getPadesSigner()).isDemo;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rate limits

const formRate = parseRate(process.env.LMS_VERIFY_RATE, { capacity: 20, perSecond: 20 / 60 });
const failureRate = parseRate(process.env.LMS_VERIFY_FAILURE_RATE, { capacity: 30, perSecond: 30 / 60 });
const formBuckets = formRate ? new TokenBuckets(formRate.capacity, formRate.perSecond) : null;
const failureBuckets = failureRate ? new TokenBuckets(failureRate.capacity, failureRate.perSecond) : null;

/** /verify: one token per lookup or upload. */
export function takeVerifyFormToken(ip: string, now = Date.now()) {
  return formBuckets ? formBuckets.take(ip, now) : { ok: true, retryAfter: 0, remaining: Infinity };
}

/** /v: is this address still allowed (failures not exhausted)? */
export function checkTokenPageAllowed(ip: string, now = Date.now()) {
  return failureBuckets ? failureBuckets.check(ip, now) : { ok: true, retryAfter: 0, remaining: Infinity };
}

/** /v: a failed check costs a token. */
export function recordTokenFailure(ip: string, now = Date.now()) {
  failureBuckets?.take(ip, now);
}
