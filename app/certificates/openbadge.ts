/**
 * Open Badges 3.0 credentials (W3C VC 2.0 data model) with a Data Integrity proof `eddsa-jcs-2022`
 * (W3C vc-di-eddsa), the did:key form of an Ed25519 public key, and Bitstring Status Lists (W3C REC 2025).
 *
 * The credential is signed with the same Ed25519 key as the QR token; the key is named in the proof as a
 * `did:key`, so anyone can check the proof with no network and no JSON-LD processing (JCS signs every member).
 *
 * Server-only in practice (node:crypto, node:zlib).
 */
import canonicalize from "canonicalize";
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { exportPublicKeyB64url, importPublicKeyB64url } from "./payload";

export const VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2";
export const OB_CONTEXT_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
export const OB_MEDIA_TYPE = "application/ld+json";

// ---------------------------------------------------------------------------------------------------------------
// base58btc and did:key

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function base58btcEncode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits: number[] = []; // little-endian base-58 digits
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i]!;
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j]! << 8;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = "1".repeat(zeros);
  for (let i = digits.length - 1; i >= 0; i--) out += B58[digits[i]!];
  return out;
}

export function base58btcDecode(text: string): Uint8Array {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === "1") zeros++;
  const bytes: number[] = []; // little-endian
  for (let i = zeros; i < text.length; i++) {
    let carry = B58.indexOf(text[i]!);
    if (carry < 0) throw new Error(`base58btc: invalid character "${text[i]}" at position ${i + 1}`);
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let i = 0; i < bytes.length; i++) out[out.length - 1 - i] = bytes[i]!;
  return out;
}

const ED25519_PUB_MULTICODEC = [0xed, 0x01];

/** `z6Mk…`: multibase base58btc of multicodec ed25519-pub (0xed01) + the 32-byte key. */
export function publicKeyMultibase(key: KeyObject): string {
  const raw = Buffer.from(exportPublicKeyB64url(key), "base64url");
  return "z" + base58btcEncode(Uint8Array.from([...ED25519_PUB_MULTICODEC, ...raw]));
}

export function didKeyOf(key: KeyObject): string {
  return `did:key:${publicKeyMultibase(key)}`;
}

/** The verification method id used in proofs: `did:key:z6Mk…#z6Mk…`. */
export function didKeyVerificationMethod(key: KeyObject): string {
  const mb = publicKeyMultibase(key);
  return `did:key:${mb}#${mb}`;
}

/** Resolves `did:key:z6Mk…` (optionally with `#fragment`) to the Ed25519 public key, or null. */
export function publicKeyFromDidKey(didUrl: string): KeyObject | null {
  const m = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)(?:#(z[1-9A-HJ-NP-Za-km-z]+))?$/.exec(didUrl);
  if (!m || (m[2] !== undefined && m[2] !== m[1])) return null;
  let bytes: Uint8Array;
  try {
    bytes = base58btcDecode(m[1]!.slice(1));
  } catch {
    return null;
  }
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) return null;
  return importPublicKeyB64url(Buffer.from(bytes.subarray(2)).toString("base64url"));
}

// ---------------------------------------------------------------------------------------------------------------
// Data Integrity eddsa-jcs-2022

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface DataIntegrityProof {
  type: "DataIntegrityProof";
  cryptosuite: "eddsa-jcs-2022";
  created: string;
  verificationMethod: string;
  proofPurpose: "assertionMethod";
  "@context"?: Json;
  proofValue: string;
}

function jcs(value: unknown): string {
  const s = canonicalize(value);
  if (s === undefined) throw new Error("JCS: value cannot be canonicalised");
  return s;
}
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest();

function hashData(unsecured: JsonObject, proofConfig: Omit<DataIntegrityProof, "proofValue">): Buffer {
  return Buffer.concat([sha256(jcs(proofConfig)), sha256(jcs(unsecured))]);
}

/** ISO 8601 date-time with seconds and Z, as Data Integrity `created` expects. */
export function xsdDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Adds an `eddsa-jcs-2022` proof (replacing any existing one). The verification method defaults to the did:key. */
export function signDataIntegrityJcs<T extends JsonObject>(
  document: T,
  privateKey: KeyObject,
  options: { created?: Date; verificationMethod?: string } = {},
): T & { proof: DataIntegrityProof } {
  const { proof: _old, ...unsecured } = document as JsonObject;
  const proofConfig: Omit<DataIntegrityProof, "proofValue"> = {
    type: "DataIntegrityProof",
    cryptosuite: "eddsa-jcs-2022",
    created: xsdDateTime(options.created ?? new Date()),
    verificationMethod: options.verificationMethod ?? didKeyVerificationMethod(createPublicKey(privateKey)),
    proofPurpose: "assertionMethod",
    ...(unsecured["@context"] !== undefined ? { "@context": unsecured["@context"] } : {}),
  };
  const signature = sign(null, hashData(unsecured, proofConfig), privateKey);
  return { ...(unsecured as T), proof: { ...proofConfig, proofValue: "z" + base58btcEncode(signature) } };
}

export type ProofCheck = { ok: true } | { ok: false; reason: string };

/**
 * Verifies an `eddsa-jcs-2022` proof. The key comes from `publicKey` if given, else from a did:key
 * verificationMethod (any other method needs the key passed in).
 */
export function checkDataIntegrityJcs(document: unknown, publicKey?: KeyObject): ProofCheck {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return { ok: false, reason: "not a JSON object" };
  const { proof, ...unsecured } = document as JsonObject;
  if (typeof proof !== "object" || proof === null || Array.isArray(proof)) return { ok: false, reason: "no proof object" };
  const { proofValue, ...config } = proof as JsonObject;
  if (config.type !== "DataIntegrityProof" || config.cryptosuite !== "eddsa-jcs-2022") {
    return { ok: false, reason: "proof is not a DataIntegrityProof with cryptosuite eddsa-jcs-2022" };
  }
  if (config.proofPurpose !== "assertionMethod") return { ok: false, reason: "proofPurpose is not assertionMethod" };
  if (typeof proofValue !== "string" || !proofValue.startsWith("z")) return { ok: false, reason: "proofValue is not base58btc multibase" };
  if (config["@context"] !== undefined && jcs(config["@context"]) !== jcs(unsecured["@context"])) {
    return { ok: false, reason: "proof @context differs from the document @context" };
  }
  const key = publicKey ?? (typeof config.verificationMethod === "string" ? publicKeyFromDidKey(config.verificationMethod) : null);
  if (!key) return { ok: false, reason: "verificationMethod is not a resolvable did:key" };
  let sig: Uint8Array;
  try {
    sig = base58btcDecode(proofValue.slice(1));
  } catch {
    return { ok: false, reason: "proofValue is not valid base58btc" };
  }
  if (sig.length !== 64) return { ok: false, reason: "signature is not 64 bytes" };
  const ok = verify(null, hashData(unsecured, config as unknown as Omit<DataIntegrityProof, "proofValue">), key, sig);
  return ok ? { ok: true } : { ok: false, reason: "signature does not match the credential" };
}

// ---------------------------------------------------------------------------------------------------------------
// Open Badges 3.0

export interface OpenBadgeInput {
  /** Public base URL of the LMS, e.g. "https://hoctap.noivu.gov.vn" (no trailing slash needed). */
  baseUrl: string;
  /** Credential id; defaults to a deterministic urn:uuid derived from the serial. The verify URL is a good choice. */
  id?: string;
  serial: string;
  holderName: string;
  issuer: { code: string; nameVi: string; nameEn?: string };
  credential: { id: string; code: string; nameVi: string; nameEn: string; descriptionVi?: string; descriptionEn?: string };
  criteriaVi?: string;
  criteriaEn?: string;
  /** Calendar dates (YYYY-MM-DD, Vietnam time). */
  issuedAt: string;
  expiresAt: string | null;
  status: { index: number; listUrl: string };
  source: "passed" | "recognised";
  scorePercent?: number | null;
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, "");
}

/** RFC 4122 layout, version 8 (custom), from SHA-256 of a namespace + name: stable across renders. */
export function deterministicUrnUuid(name: string): string {
  const h = createHash("sha256").update(`lms-cert:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const issuerProfileUrl = (baseUrl: string, issuerCode: string) => `${trimSlash(baseUrl)}/issuers/${encodeURIComponent(issuerCode)}`;
export const achievementUrl = (baseUrl: string, credentialId: string) => `${trimSlash(baseUrl)}/credentials/${encodeURIComponent(credentialId)}`;
/** Where an issued credential is published: its id. The token (signed payload + signature) cannot be guessed. */
export const credentialDocumentUrl = (baseUrl: string, token: string) => `${trimSlash(baseUrl)}/credentials/${token}`;
export const statusListUrl = (baseUrl: string, issuerCode: string, listId: string | number) =>
  `${trimSlash(baseUrl)}/status/${encodeURIComponent(issuerCode)}/${encodeURIComponent(String(listId))}`;

/** Midnight of a Vietnam calendar date as an XSD dateTimeStamp. */
const vnMidnight = (date: string) => `${date}T00:00:00+07:00`;

const SOURCE_CRITERIA = {
  passed: { vi: "Đạt bài kiểm tra cuối khóa trên hệ thống.", en: "Passed the final assessment on the platform." },
  recognised: { vi: "Công nhận kết quả học tập đã đạt được ở nơi khác.", en: "Recognition of learning achieved elsewhere." },
};

/**
 * The Achievement (what the credential certifies), as embedded in each credential and served on its own at its id
 * (`/credentials/<credential-id>`). Without a `source` the criteria name both ways to earn it.
 */
export function buildAchievement(
  baseUrl: string,
  c: OpenBadgeInput["credential"],
  criteria: { source?: OpenBadgeInput["source"]; vi?: string; en?: string } = {},
): JsonObject {
  const nfc = (s: string) => s.normalize("NFC");
  const descVi = nfc(c.descriptionVi ?? `Hoàn thành chương trình bồi dưỡng "${c.nameVi}".`);
  const descEn = nfc(c.descriptionEn ?? `Completed the training programme "${c.nameEn}".`);
  const sourceVi = criteria.source ? SOURCE_CRITERIA[criteria.source].vi : `${SOURCE_CRITERIA.passed.vi} Hoặc: ${SOURCE_CRITERIA.recognised.vi.toLowerCase()}`;
  const sourceEn = criteria.source ? SOURCE_CRITERIA[criteria.source].en : `${SOURCE_CRITERIA.passed.en} Or: ${SOURCE_CRITERIA.recognised.en.toLowerCase()}`;
  return {
    id: achievementUrl(baseUrl, c.id),
    type: ["Achievement"],
    achievementType: "CertificateOfCompletion",
    name: nfc(c.nameVi),
    description: `${descVi}\n\n${descEn}`,
    criteria: { narrative: `${nfc(criteria.vi ?? sourceVi)}\n\n${nfc(criteria.en ?? sourceEn)}` },
    humanCode: c.code,
    inLanguage: "vi",
    tag: [nfc(c.nameEn)],
  };
}

/** Builds the unsigned OpenBadgeCredential. All text is NFC. */
export function buildOpenBadgeCredential(input: OpenBadgeInput): JsonObject {
  const nfc = (s: string) => s.normalize("NFC");
  const c = input.credential;
  const achievement = buildAchievement(input.baseUrl, c, { source: input.source, vi: input.criteriaVi, en: input.criteriaEn });
  const credential: JsonObject = {
    "@context": [VC_CONTEXT_V2, OB_CONTEXT_303],
    id: input.id ?? deterministicUrnUuid(input.serial),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: nfc(`${c.nameVi} — ${input.serial}`),
    description: achievement.description!,
    issuer: {
      id: issuerProfileUrl(input.baseUrl, input.issuer.code),
      type: ["Profile"],
      name: nfc(input.issuer.nameVi),
      ...(input.issuer.nameEn ? { description: nfc(input.issuer.nameEn) } : {}),
      url: trimSlash(input.baseUrl),
    },
    validFrom: vnMidnight(input.issuedAt),
    ...(input.expiresAt ? { validUntil: vnMidnight(input.expiresAt) } : {}),
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [{ type: "IdentityObject", identityHash: nfc(input.holderName), identityType: "name", hashed: false }],
      achievement,
      ...(typeof input.scorePercent === "number" ? { result: [{ type: ["Result"], value: `${Math.round(input.scorePercent)}%` }] } : {}),
    },
    credentialStatus: {
      id: `${input.status.listUrl}#${input.status.index}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(input.status.index),
      statusListCredential: input.status.listUrl,
    },
  };
  return credential;
}

export function signOpenBadge(credential: JsonObject, privateKey: KeyObject, created?: Date) {
  return signDataIntegrityJcs(credential, privateKey, { created });
}

/** True when the proof is a valid eddsa-jcs-2022 proof by the did:key it names (or by `publicKey` if given). */
export function verifyOpenBadge(credential: unknown, publicKey?: KeyObject): boolean {
  return checkDataIntegrityJcs(credential, publicKey).ok;
}

// ---------------------------------------------------------------------------------------------------------------
// Bitstring Status List v1.0

export const MIN_STATUS_LIST_SIZE = 131_072;

/** encodedList: multibase 'u' + base64url(no padding) of GZIP(bitstring); index 0 is the left-most (high) bit. */
export function encodeStatusList(revokedIndexes: Iterable<number>, size = MIN_STATUS_LIST_SIZE): string {
  if (!Number.isInteger(size) || size < MIN_STATUS_LIST_SIZE || size % 8 !== 0) {
    throw new Error(`status list size ${size} must be a multiple of 8 and at least ${MIN_STATUS_LIST_SIZE}`);
  }
  const bits = new Uint8Array(size / 8);
  for (const i of revokedIndexes) {
    if (!Number.isInteger(i) || i < 0 || i >= size) throw new Error(`status list index ${i} is outside 0..${size - 1}`);
    bits[i >> 3]! |= 0x80 >> (i & 7);
  }
  return "u" + gzipSync(bits, { level: 9 }).toString("base64url");
}

/** Decodes an encodedList back into the raw bitstring. */
export function decodeStatusList(encodedList: string): Uint8Array {
  if (!encodedList.startsWith("u")) throw new Error("encodedList must be multibase base64url (prefix 'u')");
  return new Uint8Array(gunzipSync(Buffer.from(encodedList.slice(1), "base64url")));
}

export function isStatusSet(bitstring: Uint8Array, index: number): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= bitstring.length * 8) throw new Error(`status index ${index} out of range`);
  return (bitstring[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

export interface StatusListCredentialInput {
  /** The URL the list is served at (statusListCredential in each entry). */
  id: string;
  issuer: { id: string; name?: string } | string;
  revokedIndexes: Iterable<number>;
  size?: number;
  validFrom: Date;
  validUntil?: Date;
  statusPurpose?: "revocation" | "suspension";
  /** Suggested cache time in milliseconds. */
  ttl?: number;
}

/** A BitstringStatusListCredential; sign it with `signDataIntegrityJcs` to publish. */
export function buildStatusListCredential(input: StatusListCredentialInput): JsonObject {
  return {
    "@context": [VC_CONTEXT_V2],
    id: input.id,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: typeof input.issuer === "string" ? input.issuer : { id: input.issuer.id, ...(input.issuer.name ? { name: input.issuer.name } : {}) },
    validFrom: xsdDateTime(input.validFrom),
    ...(input.validUntil ? { validUntil: xsdDateTime(input.validUntil) } : {}),
    credentialSubject: {
      id: `${input.id}#list`,
      type: "BitstringStatusList",
      statusPurpose: input.statusPurpose ?? "revocation",
      encodedList: encodeStatusList(input.revokedIndexes, input.size),
      ...(input.ttl !== undefined ? { ttl: input.ttl } : {}),
    },
  };
}
