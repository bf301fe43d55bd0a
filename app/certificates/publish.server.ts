/**
 * The public documents an issued Open Badge points to, so that every URL in it resolves:
 *  - `/issuers/<code>`: the issuing body's OB 3.0 Profile, listing its Ed25519 keys as Multikey verification methods
 *    (`<profile>#<kid>`, the kid of /.well-known/jwks.json; the multibase is the one in the proof's did:key);
 *  - `/credentials/<credential-id>`: the Achievement;
 *  - `/credentials/<token>`: the signed credential itself, with its current status (the token cannot be guessed, and
 *    the credential holds only what /v/<token> shows);
 *  - `/status/<issuer>/<list>` (status.server.ts) and `/.well-known/jwks.json` (verify.server.ts).
 */
import { eq } from "drizzle-orm";
import { credentials, orgUnits } from "#db/schema";
import { getDatabase, type Database } from "~/db.server";
import { publishedKeys } from "./keys.server";
import { buildAchievement, issuerProfileUrl, OB_CONTEXT_303, publicKeyMultibase, VC_CONTEXT_V2, type JsonObject } from "./openbadge";
import { importPublicKeyB64url } from "./payload";
import { loadRecordBySerial } from "./records.server";
import { openBadgeForRecord } from "./render.server";
import { verifyToken, type VerifyResult } from "./verify.server";

const ISSUER_CODE = /^[A-Za-z0-9-]{1,32}$/;

/** The OB 3.0 Profile of an issuing body that has published at least one key, or null. */
export async function issuerProfile(code: string, baseUrl: string, database?: Database): Promise<JsonObject | null> {
  if (!ISSUER_CODE.test(code)) return null;
  const db = database ?? (await getDatabase());
  const keys = (await publishedKeys(db)).filter((k) => k.issuerCode === code);
  if (keys.length === 0) return null;
  const [unit] = await db.read.select({ nameVi: orgUnits.nameVi, nameEn: orgUnits.nameEn }).from(orgUnits).where(eq(orgUnits.code, code));
  if (!unit) return null;
  const id = issuerProfileUrl(baseUrl, code);
  const methods = keys.map((k) => ({
    id: `${id}#${k.kid}`,
    type: "Multikey",
    controller: id,
    publicKeyMultibase: publicKeyMultibase(importPublicKeyB64url(k.publicKey)),
  }));
  return {
    "@context": [VC_CONTEXT_V2, OB_CONTEXT_303],
    id,
    type: ["Profile"],
    name: unit.nameVi.normalize("NFC"),
    ...(unit.nameEn ? { description: unit.nameEn.normalize("NFC") } : {}),
    url: baseUrl.replace(/\/+$/, ""),
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

/** The Achievement at `/credentials/<credential-id>`, or null for an id that is not one of ours. */
export async function achievementDocument(credentialId: string, baseUrl: string, database?: Database): Promise<JsonObject | null> {
  const db = database ?? (await getDatabase());
  const [c] = await db.read.select().from(credentials).where(eq(credentials.id, credentialId as (typeof credentials.$inferSelect)["id"]));
  if (!c) return null;
  const achievement = buildAchievement(baseUrl, { id: c.id, code: c.serialPrefix, nameVi: c.nameVi, nameEn: c.nameEn });
  return { "@context": [VC_CONTEXT_V2, OB_CONTEXT_303], ...achievement };
}

export type PublicCredential =
  | { ok: true; credential: JsonObject; status: VerifyResult["status"]; statusOn: string | null }
  | { ok: false; result: VerifyResult };

/**
 * The signed credential of a QR token, and its live status. Tokens that do not verify (altered, unknown) get no
 * document; a revoked, suspended or expired certificate still does — its status list bit says so, and so does the
 * answer's status.
 */
export async function publicCredential(token: string, baseUrl: string): Promise<PublicCredential> {
  const result = await verifyToken(token);
  if (result.status === "altered" || result.status === "unknown" || !result.facts) return { ok: false, result };
  const db = await getDatabase();
  const record = await loadRecordBySerial(db.read, result.facts.serial);
  if (!record) return { ok: false, result };
  return { ok: true, credential: await openBadgeForRecord(record, baseUrl, db), status: result.status, statusOn: result.statusOn };
}
