/**
 * Signing keys: an Ed25519 key per issuing body and year (QR token + Open Badge), and the PAdES signer (PKCS#12)
 * that signs every PDF.
 *
 * - Private Ed25519 keys are PKCS#8 PEM files `<kid>.pem` (mode 0600) in the keys directory, never in the database;
 *   the public halves are rows of signing_keys (published at /.well-known/jwks.json, never deleted).
 * - Keys directory: LMS_KEYS_DIR, else `$LMS_DATA_DIR/keys`, else `keys/` next to the database file
 *   (data/keys for a libSQL server URL).
 * - A key is valid for the Vietnam calendar year it was made for (valid_from 1 Jan 00:00, valid_to 31 Dec 23:59:59.999).
 * - With no usable key for an issuer and year, a demo key (is_demo) is generated on first use, unless
 *   LMS_DEMO_KEYS=0 (production: create keys with `npm run cli -- keys:create`).
 * - PAdES: LMS_SIGNING_P12 (+ LMS_SIGNING_P12_PASSPHRASE) names the issuing body's PKCS#12; without it a
 *   self-signed demo signer is created once in the keys directory (pades-demo.json) and every PDF says so.
 *   Every signer certificate ever used is kept in `pades-certs/` so that older PDFs still verify after a rotation.
 */
import { and, desc, eq, gte, isNull, lte, or } from "drizzle-orm";
import { X509Certificate, createPublicKey, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { orgUnits, signingKeys } from "#db/schema";
import { resolveDatabaseUrl } from "#db/client";
import type { Database, DbOrTx, Tx } from "~/db.server";
import { vietnamDate, vietnamMidnight, vietnamYear } from "./lifecycle";
import { createDemoP12, loadPadesSigner, type PadesSigner } from "./pades.server";
import { createSigningKey, exportPublicKeyB64url, importPublicKeyB64url, privateKeyFromPem, type PublicJwk } from "./payload";
import type { KeySet, TrustedKey } from "./token";

export class CertificateKeyError extends Error {
  override name = "CertificateKeyError";
}

// ---------------------------------------------------------------------------------------------------------------
// Where keys live

export function keysDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LMS_KEYS_DIR) return path.resolve(env.LMS_KEYS_DIR);
  if (env.LMS_DATA_DIR) return path.resolve(env.LMS_DATA_DIR, "keys");
  const url = resolveDatabaseUrl(env);
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    return path.resolve(path.dirname(file), "keys");
  }
  return path.resolve("data", "keys");
}

function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Writes a file atomically with mode 0600 (temp file + rename), so another process never reads half a key. */
function writeSecretFile(file: string, content: string | Uint8Array): void {
  ensureDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600, flag: "wx" });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

const privateKeyFile = (kid: string) => path.join(keysDir(), `${kid}.pem`);

// ---------------------------------------------------------------------------------------------------------------
// Ed25519 issuing keys

export interface SigningKeyRow {
  kid: string;
  issuerUnitId: string;
  issuerCode: string;
  publicKey: string;
  validFrom: number;
  validTo: number | null;
  isDemo: boolean;
  createdAt: number;
}

const privateCache = new Map<string, KeyObject>();

/** The private key for `kid` from the keys directory, checked against its published public half; null if absent. */
export function loadPrivateKey(kid: string, publicKeyB64url: string): KeyObject | null {
  const cached = privateCache.get(kid);
  if (cached) return cached;
  const file = privateKeyFile(kid);
  if (!existsSync(file)) return null;
  const key = privateKeyFromPem(readFileSync(file), file);
  if (exportPublicKeyB64url(key) !== publicKeyB64url) {
    throw new CertificateKeyError(`${file} does not hold the private key published as ${kid} (public keys differ); restore the right file.`);
  }
  privateCache.set(kid, key);
  return key;
}

export function yearWindow(year: number): { validFrom: number; validTo: number } {
  return { validFrom: vietnamMidnight(`${year}-01-01`), validTo: vietnamMidnight(`${year + 1}-01-01`) - 1 };
}

/**
 * Creates an Ed25519 key for an issuing body and year: the private key file first (0600), then the public row, in
 * the caller's write. Returns the row.
 */
export async function createIssuerKey(
  tx: Tx,
  input: { issuerUnitId: string; issuerCode: string; year: number; isDemo: boolean; now?: number },
): Promise<SigningKeyRow> {
  let key = createSigningKey({ issuerCode: input.issuerCode, year: input.year });
  // kid = <issuer>-<year>-<4 hex>: never reuse an id that exists as a file or a row.
  for (let i = 0; i < 20 && (existsSync(privateKeyFile(key.kid)) || (await tx.select({ id: signingKeys.id }).from(signingKeys).where(eq(signingKeys.id, key.kid))).length > 0); i++) {
    key = createSigningKey({ issuerCode: input.issuerCode, year: input.year });
  }
  writeSecretFile(privateKeyFile(key.kid), key.privateKeyPem);
  const { validFrom, validTo } = yearWindow(input.year);
  const row = {
    id: key.kid,
    issuerUnitId: input.issuerUnitId,
    algorithm: "Ed25519",
    publicKey: key.publicKeyB64url,
    validFrom,
    validTo,
    isDemo: input.isDemo,
    createdAt: input.now ?? Date.now(),
  };
  await tx.insert(signingKeys).values(row);
  invalidatePublishedKeys();
  return { kid: row.id, issuerUnitId: row.issuerUnitId, issuerCode: input.issuerCode, publicKey: row.publicKey, validFrom, validTo, isDemo: row.isDemo, createdAt: row.createdAt };
}

export const demoKeysAllowed = (env: NodeJS.ProcessEnv = process.env) => env.LMS_DEMO_KEYS !== "0";

/**
 * The key that signs a certificate of `issuerCode` issued at `issuedAt`: a key of that body whose window covers the
 * instant and whose private file is present (real keys before demo keys, newest first). Creates a demo key when
 * there is none and demo keys are allowed.
 */
export async function signingKeyFor(tx: Tx, issuer: { id: string; code: string }, issuedAt: number): Promise<{ row: SigningKeyRow; privateKey: KeyObject }> {
  const rows = await tx
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.issuerUnitId, issuer.id), lte(signingKeys.validFrom, issuedAt), or(isNull(signingKeys.validTo), gte(signingKeys.validTo, issuedAt))))
    .orderBy(signingKeys.isDemo, desc(signingKeys.createdAt));
  const missing: string[] = [];
  for (const r of rows) {
    const privateKey = loadPrivateKey(r.id, r.publicKey);
    if (privateKey) {
      return {
        row: { kid: r.id, issuerUnitId: r.issuerUnitId, issuerCode: issuer.code, publicKey: r.publicKey, validFrom: r.validFrom, validTo: r.validTo, isDemo: r.isDemo, createdAt: r.createdAt },
        privateKey,
      };
    }
    missing.push(r.id);
  }
  const year = vietnamYear(issuedAt);
  if (!demoKeysAllowed()) {
    throw new CertificateKeyError(
      missing.length > 0
        ? `The private key files for ${missing.join(", ")} are not in ${keysDir()}; restore them or run "npm run cli -- keys:create --issuer ${issuer.code} --year ${year}".`
        : `There is no signing key for ${issuer.code} in ${year}; run "npm run cli -- keys:create --issuer ${issuer.code} --year ${year}".`,
    );
  }
  const row = await createIssuerKey(tx, { issuerUnitId: issuer.id, issuerCode: issuer.code, year, isDemo: true });
  return { row, privateKey: loadPrivateKey(row.kid, row.publicKey)! };
}

/** The private key that signed `kid` (for re-signing the Open Badge when a PDF is rendered). */
export async function privateKeyForKid(db: DbOrTx, kid: string): Promise<KeyObject> {
  const cached = privateCache.get(kid);
  if (cached) return cached;
  const [row] = await db.select({ publicKey: signingKeys.publicKey }).from(signingKeys).where(eq(signingKeys.id, kid));
  if (!row) throw new CertificateKeyError(`Signing key ${kid} is not in the database.`);
  const key = loadPrivateKey(kid, row.publicKey);
  if (!key) throw new CertificateKeyError(`The private key file for ${kid} is not in ${keysDir()}; restore it to render this certificate.`);
  return key;
}

// ---------------------------------------------------------------------------------------------------------------
// Published keys (JWKS) and the key set the verifiers use

export interface PublishedKey {
  kid: string;
  issuerCode: string;
  publicKey: string;
  validFrom: number;
  validTo: number | null;
  isDemo: boolean;
}

export interface LmsJwk extends PublicJwk {
  kid: string;
  /** Inclusive Vietnam calendar dates between which the key signs certificates. */
  validFrom: string;
  validTo: string | null;
  issuer: string;
  demo: boolean;
}

let published: { at: number; keys: PublishedKey[]; set: Record<string, TrustedKey> } | null = null;
const PUBLISHED_TTL_MS = 30_000;

export function invalidatePublishedKeys(): void {
  published = null;
}

async function loadPublished(database: Database) {
  if (published && Date.now() - published.at < PUBLISHED_TTL_MS) return published;
  const rows = await database.read
    .select({ kid: signingKeys.id, issuerCode: orgUnits.code, publicKey: signingKeys.publicKey, validFrom: signingKeys.validFrom, validTo: signingKeys.validTo, isDemo: signingKeys.isDemo })
    .from(signingKeys)
    .innerJoin(orgUnits, eq(signingKeys.issuerUnitId, orgUnits.id))
    .orderBy(orgUnits.code, signingKeys.validFrom, signingKeys.id);
  const set: Record<string, TrustedKey> = {};
  for (const k of rows) set[k.kid] = trustedKeyOf(k);
  published = { at: Date.now(), keys: rows, set };
  return published;
}

function trustedKeyOf(k: PublishedKey): TrustedKey {
  return { publicKey: importPublicKeyB64url(k.publicKey), validFrom: vietnamDate(k.validFrom), validTo: k.validTo === null ? null : vietnamDate(k.validTo) };
}

export async function publishedKeys(database: Database): Promise<PublishedKey[]> {
  return (await loadPublished(database)).keys;
}

/** kid → public key and validity window, for verifyTokenOffline / judgeCertificatePdf (cached for 30 s). */
export async function publishedKeySet(database: Database): Promise<KeySet> {
  return (await loadPublished(database)).set;
}

let lastForcedReload = 0;
const triedKids = new Map<string, number>();

/**
 * When `kid` is not in the cached key set, the cache may be stale (a key made by another process: `keys:create`,
 * the CLI issuing with a new demo key, another worker). The key set is read again from the database, at most once
 * per kid every 5 s and at most 20 times a second overall, so unknown kids sent on purpose cannot hammer the
 * database. Returns true when the reload found the kid.
 */
export async function refreshIfUnknownKid(database: Database, kid: string): Promise<boolean> {
  const current = await loadPublished(database);
  const now = Date.now();
  if (Object.hasOwn(current.set, kid) || now - (triedKids.get(kid) ?? 0) < 5000 || now - lastForcedReload < 50) return false;
  if (triedKids.size > 1000) triedKids.clear();
  triedKids.set(kid, now);
  lastForcedReload = now;
  published = null;
  return Object.hasOwn((await loadPublished(database)).set, kid);
}

export function toJwk(k: PublishedKey): LmsJwk {
  return {
    kty: "OKP",
    crv: "Ed25519",
    x: k.publicKey,
    kid: k.kid,
    alg: "EdDSA",
    use: "sig",
    validFrom: vietnamDate(k.validFrom),
    validTo: k.validTo === null ? null : vietnamDate(k.validTo),
    issuer: k.issuerCode,
    demo: k.isDemo,
  };
}

/** A key set read from a JWKS document (e.g. a saved /.well-known/jwks.json, for fully offline `cert:verify`). */
export function keySetFromJwks(doc: unknown): KeySet {
  const keys = (doc as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new CertificateKeyError('The JWKS file must be a JSON object with a "keys" array.');
  const set: Record<string, TrustedKey> = {};
  for (const k of keys as Partial<LmsJwk>[]) {
    if (k.kty !== "OKP" || k.crv !== "Ed25519" || typeof k.x !== "string" || typeof k.kid !== "string") continue;
    set[k.kid] = { publicKey: importPublicKeyB64url(k.x), validFrom: k.validFrom ?? null, validTo: k.validTo ?? null };
  }
  return set;
}

// ---------------------------------------------------------------------------------------------------------------
// PAdES signer

const DEMO_P12_FILE = "pades-demo.json";
const CERTS_DIR = "pades-certs";

export const DEMO_SIGNER_NAME = "Hệ thống Học tập số Công vụ";

let signerPromise: Promise<PadesSigner> | null = null;
let signerDir: string | null = null;

function rememberSignerCertificate(signer: PadesSigner): void {
  const dir = ensureDir(path.join(keysDir(), CERTS_DIR));
  const file = path.join(dir, `${signer.fingerprint256.replace(/:/g, "").toLowerCase()}.pem`);
  if (!existsSync(file)) writeFileSync(file, signer.certificatePem, { mode: 0o644 });
}

/** Creates the demo PKCS#12 in the keys directory if it is not there yet; returns its file. */
export function ensureDemoP12(now = new Date()): { file: string; created: boolean } {
  const file = path.join(keysDir(), DEMO_P12_FILE);
  if (existsSync(file)) return { file, created: false };
  const demo = createDemoP12({ commonName: DEMO_SIGNER_NAME, organisation: DEMO_SIGNER_NAME, now });
  try {
    writeSecretFile(file, JSON.stringify({ p12: demo.p12.toString("base64"), passphrase: demo.passphrase, commonName: demo.commonName }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return { file, created: true };
}

function loadConfiguredSigner(env: NodeJS.ProcessEnv = process.env): PadesSigner {
  if (env.LMS_SIGNING_P12) {
    const file = path.resolve(env.LMS_SIGNING_P12);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new CertificateKeyError(`LMS_SIGNING_P12 names ${file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
    return loadPadesSigner(bytes, env.LMS_SIGNING_P12_PASSPHRASE ?? "", `LMS_SIGNING_P12 (${file})`);
  }
  const { file } = ensureDemoP12();
  const stored = JSON.parse(readFileSync(file, "utf8")) as { p12: string; passphrase: string };
  return loadPadesSigner(Buffer.from(stored.p12, "base64"), stored.passphrase, file);
}

/** The PAdES signer for this process (opened once). */
export function getPadesSigner(): Promise<PadesSigner> {
  const dir = keysDir();
  if (!signerPromise || signerDir !== dir) {
    signerDir = dir;
    signerPromise = Promise.resolve().then(() => {
      const signer = loadConfiguredSigner();
      rememberSignerCertificate(signer);
      trusted = null;
      return signer;
    });
    signerPromise.catch(() => {
      signerPromise = null;
    });
  }
  return signerPromise;
}

let trusted: { at: number; fingerprints: string[] } | null = null;

/** SHA-256 fingerprints of every PAdES certificate this LMS has signed with (current one included). */
export async function trustedSignerFingerprints(): Promise<string[]> {
  const current = await getPadesSigner();
  if (trusted && Date.now() - trusted.at < PUBLISHED_TTL_MS) return trusted.fingerprints;
  const dir = path.join(keysDir(), CERTS_DIR);
  const fingerprints = new Set([current.fingerprint256]);
  for (const f of existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".pem")) : []) {
    try {
      fingerprints.add(new X509Certificate(readFileSync(path.join(dir, f))).fingerprint256);
    } catch {
      // an unreadable file is not a trusted signer
    }
  }
  trusted = { at: Date.now(), fingerprints: [...fingerprints] };
  return trusted.fingerprints;
}

/** For tests: forget cached keys and the signer (after changing LMS_KEYS_DIR or the files). */
export function resetKeyCaches(): void {
  privateCache.clear();
  published = null;
  trusted = null;
  signerPromise = null;
  signerDir = null;
}

export const publicKeyOf = (privateKey: KeyObject) => createPublicKey(privateKey);
