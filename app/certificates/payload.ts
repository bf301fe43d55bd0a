/**
 * The canonical signed certificate payload and the Ed25519 keys that sign it.
 *
 * Signed bytes = UTF-8("LMS-CERT-V1\n") || JCS(payload) (RFC 8785 via `canonicalize`). The context prefix keeps a
 * payload signature from ever being valid for another message signed with the same key (e.g. an Open Badge
 * proof, which signs 64 bytes of hashes).
 *
 * Server-only in practice: uses node:crypto (import it from loaders/actions/CLI, not from browser code).
 */
import canonicalize from "canonicalize";
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from "node:crypto";
import { z } from "zod";
import { isValidSerial } from "./serial";

export const PAYLOAD_VERSION = 1;
export const SIGNING_CONTEXT = "LMS-CERT-V1\n";

/** A calendar date, checked to exist (no 2025-02-30). */
export const IsoDateSchema = z.string().refine(isIsoDate, { message: "must be a real date written YYYY-MM-DD" });

export const KID_PATTERN = /^[A-Za-z0-9]{1,16}-\d{4}-[0-9a-f]{4}$/;

export const CertificatePayloadSchema = z.strictObject({
  v: z.literal(PAYLOAD_VERSION),
  serial: z.string().refine(isValidSerial, { message: "must be a canonical serial like KNS-2025-000123-X" }),
  name: z
    .string()
    .min(1)
    .max(100)
    .refine((s) => new TextEncoder().encode(s).length <= 255, { message: "must be at most 255 bytes in UTF-8 (it travels in the QR token)" })
    .refine((s) => s === s.normalize("NFC"), { message: "must be Unicode NFC" })
    .refine((s) => s === s.trim() && !/\s{2}/.test(s), { message: "must not have leading, trailing or double spaces" }),
  credential: z.string().regex(/^[a-z][a-z0-9_]{1,47}$/, "must be a credential id like basic_digital_skills"),
  issuedAt: IsoDateSchema,
  expiresAt: IsoDateSchema.nullable(),
  issuer: z.string().regex(/^[A-Za-z0-9]{1,16}$/, "must be an issuing unit code (letters and digits)"),
  kid: z.string().regex(KID_PATTERN, "must be a key id like G09-2025-a1b2"),
});
export type CertificatePayload = z.infer<typeof CertificatePayloadSchema>;

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** YYYY-MM-DD of a Date in Vietnam time (UTC+7, no DST), the calendar the certificate is printed in. */
export function toVietnamDate(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** Collapses whitespace and NFC-normalises a person's name as typed or imported. */
export function normaliseName(name: string): string {
  return name.normalize("NFC").trim().replace(/\s+/g, " ");
}

export interface PayloadInput {
  serial: string;
  name: string;
  credential: string;
  issuedAt: string | Date;
  expiresAt: string | Date | null;
  issuer: string;
  kid: string;
}

/** Builds and validates a payload (name NFC-normalised, Dates converted to Vietnam calendar dates). */
export function makePayload(input: PayloadInput): CertificatePayload {
  const date = (d: string | Date) => (typeof d === "string" ? d : toVietnamDate(d));
  const candidate = {
    v: PAYLOAD_VERSION,
    serial: input.serial,
    name: normaliseName(input.name),
    credential: input.credential,
    issuedAt: date(input.issuedAt),
    expiresAt: input.expiresAt === null ? null : date(input.expiresAt),
    issuer: input.issuer,
    kid: input.kid,
  };
  const parsed = CertificatePayloadSchema.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`certificate payload: field "${first.path.join(".")}" ${first.message}`);
  }
  if (parsed.data.expiresAt !== null && parsed.data.expiresAt < parsed.data.issuedAt) {
    throw new Error(`certificate payload: expiresAt ${parsed.data.expiresAt} is before issuedAt ${parsed.data.issuedAt}`);
  }
  return parsed.data;
}

/** RFC 8785 canonical JSON of the payload (the string stored in certificates.payload_json). */
export function canonicalPayloadJson(payload: CertificatePayload): string {
  const s = canonicalize(payload);
  if (s === undefined) throw new Error("certificate payload: cannot canonicalise");
  return s;
}

/** The exact bytes that are signed. */
export function signedBytes(payload: CertificatePayload): Buffer {
  return Buffer.from(SIGNING_CONTEXT + canonicalPayloadJson(payload), "utf8");
}

export function signPayload(payload: CertificatePayload, privateKey: KeyObject): string {
  assertEd25519(privateKey, "private");
  return sign(null, signedBytes(payload), privateKey).toString("base64url");
}

export function verifyPayload(payload: CertificatePayload, signatureB64url: string, publicKey: KeyObject): boolean {
  assertEd25519(publicKey, "public");
  const sig = Buffer.from(signatureB64url, "base64url");
  if (sig.length !== 64 || sig.toString("base64url") !== signatureB64url) return false;
  return verify(null, signedBytes(payload), publicKey, sig);
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

function assertEd25519(key: KeyObject, type: "public" | "private"): void {
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? key.type}`);
  }
  if (type === "private" && key.type !== "private") throw new Error(`expected an Ed25519 private key, got a ${key.type} key`);
}

export interface PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid?: string;
  alg?: "EdDSA";
  use?: "sig";
}

/** Raw 32-byte Ed25519 public key as base64url (no padding). Accepts a private key too. */
export function exportPublicKeyB64url(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  assertEd25519(pub, "public");
  const jwk = pub.export({ format: "jwk" }) as { x?: string };
  if (!jwk.x) throw new Error("cannot export Ed25519 public key");
  return jwk.x;
}

export function importPublicKeyB64url(b64url: string): KeyObject {
  const raw = Buffer.from(b64url, "base64url");
  if (raw.length !== 32 || raw.toString("base64url") !== b64url) {
    throw new Error(`Ed25519 public key must be 32 bytes in base64url (43 characters), got "${b64url.slice(0, 60)}"`);
  }
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64url }, format: "jwk" });
}

export function publicKeyToJwk(key: KeyObject, kid?: string): PublicJwk {
  return { kty: "OKP", crv: "Ed25519", x: exportPublicKeyB64url(key), ...(kid ? { kid } : {}), alg: "EdDSA", use: "sig" };
}

export function publicKeyFromJwk(jwk: unknown): KeyObject {
  const j = jwk as Partial<PublicJwk> & { d?: unknown };
  if (!j || typeof j !== "object" || j.kty !== "OKP" || j.crv !== "Ed25519" || typeof j.x !== "string") {
    throw new Error('JWK must be {"kty":"OKP","crv":"Ed25519","x":"…"}');
  }
  if ("d" in j) throw new Error("JWK contains a private key (d); publish public keys only");
  return importPublicKeyB64url(j.x);
}

/** PKCS#8 PEM of an Ed25519 private key. */
export function privateKeyToPem(key: KeyObject): string {
  assertEd25519(key, "private");
  return key.export({ format: "pem", type: "pkcs8" }).toString();
}

export function privateKeyFromPem(pem: string | Buffer, source = "private key"): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (e) {
    throw new Error(`${source}: not a readable PEM private key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`${source}: expected an Ed25519 key, found ${key.asymmetricKeyType}`);
  }
  return key;
}

export interface NewSigningKey {
  kid: string;
  publicKeyB64url: string;
  privateKeyPem: string;
}

/** New Ed25519 key for one issuing body and year; kid = `<issuerCode>-<year>-<4 random hex>`. */
export function createSigningKey({ issuerCode, year }: { issuerCode: string; year: number }): NewSigningKey {
  if (!/^[A-Za-z0-9]{1,16}$/.test(issuerCode)) throw new Error(`createSigningKey: issuer code "${issuerCode}" must be letters and digits`);
  if (!Number.isInteger(year) || year < 2000 || year > 2999) throw new Error(`createSigningKey: year ${year} is not a 4-digit year`);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    kid: `${issuerCode}-${year}-${randomBytes(2).toString("hex")}`,
    publicKeyB64url: exportPublicKeyB64url(publicKey),
    privateKeyPem: privateKeyToPem(privateKey),
  };
}
