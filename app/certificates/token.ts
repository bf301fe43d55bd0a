/**
 * The `/v/<token>` token printed as a QR code: the signed payload travels inside it, so anyone holding the
 * published public keys can verify a printout offline.
 *
 *   token = base64url(body) "." base64url(Ed25519 signature, 64 bytes)
 *   body  = 0x01 (format/payload version)
 *           u16 issuedAt  (days since 1970-01-01, big-endian)
 *           u16 expiresAt (days since 1970-01-01; 0 = no expiry)
 *           then serial, name, credential, issuer, kid, each as u8 length + UTF-8 bytes
 *
 * The signature is NOT over the body but over the canonical JSON payload rebuilt from it (see payload.ts), so
 * the token, the database row and the Open Badge all verify against the same bytes. The body encoding is strict
 * (re-encoding must give the same bytes), so one payload has exactly one token.
 */
import type { KeyObject } from "node:crypto";
import {
  CertificatePayloadSchema,
  PAYLOAD_VERSION,
  importPublicKeyB64url,
  verifyPayload,
  type CertificatePayload,
} from "./payload";

export type TokenError = "malformed" | "bad_base64" | "bad_version" | "bad_body" | "bad_payload" | "bad_signature_length";

export type DecodeTokenResult =
  | { ok: true; payload: CertificatePayload; signature: string }
  | { ok: false; error: TokenError; message: string };

const DAY_MS = 86_400_000;
const B64URL = /^[A-Za-z0-9_-]+$/;
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

function daysOf(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}
function dateOf(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

function encodeBody(p: CertificatePayload): Uint8Array {
  const strings = [p.serial, p.name, p.credential, p.issuer, p.kid].map((s) => enc.encode(s));
  const size = 5 + strings.reduce((n, s) => n + 1 + s.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = p.v;
  const issued = daysOf(p.issuedAt);
  const expires = p.expiresAt === null ? 0 : daysOf(p.expiresAt);
  if (issued < 1 || issued > 0xffff || expires > 0xffff) throw new Error(`token: date outside 1970–2149 in ${p.serial}`);
  view.setUint16(1, issued);
  view.setUint16(3, expires);
  let o = 5;
  for (const s of strings) {
    if (s.length > 255) throw new Error(`token: a field of ${p.serial} is longer than 255 bytes`);
    out[o++] = s.length;
    out.set(s, o);
    o += s.length;
  }
  return out;
}

function decodeBody(bytes: Uint8Array): unknown {
  if (bytes.length < 5) throw new Error("body shorter than its fixed header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const issued = view.getUint16(1);
  const expires = view.getUint16(3);
  let o = 5;
  const strings: string[] = [];
  for (let i = 0; i < 5; i++) {
    if (o >= bytes.length) throw new Error(`body ends before field ${i + 1} of 5`);
    const len = bytes[o++]!;
    if (o + len > bytes.length) throw new Error(`field ${i + 1} runs past the end of the body`);
    strings.push(dec.decode(bytes.subarray(o, o + len)));
    o += len;
  }
  if (o !== bytes.length) throw new Error(`${bytes.length - o} unexpected bytes after the last field`);
  const [serial, name, credential, issuer, kid] = strings;
  return { v: bytes[0], serial, name, credential, issuedAt: dateOf(issued), expiresAt: expires === 0 ? null : dateOf(expires), issuer, kid };
}

export function encodeToken(payload: CertificatePayload, signatureB64url: string): string {
  const sig = Buffer.from(signatureB64url, "base64url");
  if (sig.length !== 64) throw new Error(`token: signature must be 64 bytes, got ${sig.length}`);
  return `${Buffer.from(encodeBody(payload)).toString("base64url")}.${sig.toString("base64url")}`;
}

function b64urlStrict(part: string): Buffer | null {
  if (!B64URL.test(part)) return null;
  const bytes = Buffer.from(part, "base64url");
  return bytes.toString("base64url") === part ? bytes : null;
}

export function decodeToken(token: string): DecodeTokenResult {
  if (typeof token !== "string" || token.length === 0 || token.length > 2000) {
    return { ok: false, error: "malformed", message: "The token is empty or too long." };
  }
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    return { ok: false, error: "malformed", message: "The token must be two parts separated by one dot." };
  }
  const body = b64urlStrict(parts[0]);
  const sig = b64urlStrict(parts[1]);
  if (!body || !sig) return { ok: false, error: "bad_base64", message: "The token contains characters that are not base64url." };
  if (body[0] !== PAYLOAD_VERSION) {
    return { ok: false, error: "bad_version", message: `Token format version ${body[0]} is not supported (expected ${PAYLOAD_VERSION}).` };
  }
  if (sig.length !== 64) {
    return { ok: false, error: "bad_signature_length", message: `The signature is ${sig.length} bytes; Ed25519 signatures are 64.` };
  }
  let candidate: unknown;
  try {
    candidate = decodeBody(body);
  } catch (e) {
    return { ok: false, error: "bad_body", message: `The token body is damaged: ${(e as Error).message}.` };
  }
  const parsed = CertificatePayloadSchema.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return { ok: false, error: "bad_payload", message: `The token field "${first.path.join(".")}" ${first.message}.` };
  }
  if (!Buffer.from(encodeBody(parsed.data)).equals(body)) {
    return { ok: false, error: "bad_body", message: "The token body is not in canonical form." };
  }
  return { ok: true, payload: parsed.data, signature: sig.toString("base64url") };
}

/** Pulls the token out of a verify URL (`…/v/<token>`, optional query/fragment) or returns a bare token as is. */
export function tokenFromVerifyUrl(urlOrToken: string): string | null {
  const s = urlOrToken.trim();
  const m = /\/v\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(?:[?#].*)?$/.exec(s);
  if (m) return m[1]!;
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(s) ? s : null;
}

export interface TrustedKey {
  publicKey: KeyObject | string;
  /** Inclusive window (YYYY-MM-DD) in which the key may have signed; a certificate issued outside it fails. */
  validFrom?: string | null;
  validTo?: string | null;
}
export type KeySet =
  | Record<string, KeyObject | string | TrustedKey>
  | ((kid: string) => KeyObject | string | TrustedKey | undefined);

export type OfflineVerification =
  | { status: "valid"; payload: CertificatePayload }
  | { status: "altered"; payload: CertificatePayload; message: string }
  | { status: "unknown_key"; payload: CertificatePayload; message: string }
  | { status: "malformed"; error: TokenError; message: string };

function isTrustedKey(k: unknown): k is TrustedKey {
  return typeof k === "object" && k !== null && "publicKey" in k;
}

/** Verifies a token with no network: signature against the published key named by its kid. No status check. */
export function verifyTokenOffline(token: string, keys: KeySet): OfflineVerification {
  const decoded = decodeToken(token);
  if (!decoded.ok) return { status: "malformed", error: decoded.error, message: decoded.message };
  const { payload, signature } = decoded;
  const entry = typeof keys === "function" ? keys(payload.kid) : Object.hasOwn(keys, payload.kid) ? keys[payload.kid] : undefined;
  if (entry === undefined) {
    return { status: "unknown_key", payload, message: `No published key has id "${payload.kid}".` };
  }
  const trusted: TrustedKey = isTrustedKey(entry) ? entry : { publicKey: entry };
  let key: KeyObject;
  try {
    key = typeof trusted.publicKey === "string" ? importPublicKeyB64url(trusted.publicKey) : trusted.publicKey;
  } catch (e) {
    return { status: "unknown_key", payload, message: `Published key "${payload.kid}" is unusable: ${(e as Error).message}` };
  }
  if (!verifyPayload(payload, signature, key)) {
    return { status: "altered", payload, message: "The signature does not match the certificate data." };
  }
  if ((trusted.validFrom && payload.issuedAt < trusted.validFrom) || (trusted.validTo && payload.issuedAt > trusted.validTo)) {
    return {
      status: "unknown_key",
      payload,
      message: `Key "${payload.kid}" was not valid on the issue date ${payload.issuedAt}.`,
    };
  }
  return { status: "valid", payload };
}
