/**
 * Every URL in an issued Open Badge resolves to the right public document (issuer Profile, Achievement, the
 * credential itself, its status list), through the route loaders the server calls; keys agree with the JWKS and
 * the proof; nothing private is published; a revoked credential shows as revoked.
 */
import type { AppLoadContext } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase, type Database } from "~/db.server";
import { loader as jwksLoader } from "~/routes/[.well-known].jwks[.]json";
import { loader as credentialsLoader } from "~/routes/credentials.$id";
import { loader as issuersLoader } from "~/routes/issuers.$code";
import { loader as statusLoader } from "~/routes/status.$unit.$listId";
import { issuedCertificate, makeCourse, makePerson, makeUnit } from "../../tests/factories/certificates";
import { checkDataIntegrityJcs, decodeStatusList, isStatusSet } from "./openbadge";
import { loadRecordBySerial, payloadOf } from "./records.server";
import { openBadgeForRecord } from "./render.server";
import { changeCertificateStatus } from "./status.server";
import { encodeToken } from "./token";

const BASE = "http://127.0.0.1:3214";
let db: Database;
const ctx = (ip = "192.0.2.10"): AppLoadContext => ({ auth: { user: null, session: null }, ip, requestId: "r", cspNonce: "n" });

/** What the server would answer for a GET of `url` (only the routes an Open Badge can point to). */
async function get(url: string, ip?: string): Promise<Response> {
  const path = new URL(url).pathname;
  const request = new Request(url);
  const run = async (fn: () => Promise<Response>) => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof Response) return e;
      throw e;
    }
  };
  let m: RegExpExecArray | null;
  if ((m = /^\/issuers\/([^/]+)$/.exec(path))) return run(() => issuersLoader({ request, params: { code: decodeURIComponent(m![1]!) }, context: ctx(ip) }));
  if ((m = /^\/credentials\/([^/]+)$/.exec(path))) return run(() => credentialsLoader({ request, params: { id: decodeURIComponent(m![1]!) }, context: ctx(ip) }));
  if ((m = /^\/status\/([^/]+)\/([^/]+)$/.exec(path))) return run(() => statusLoader({ request, params: { unit: m![1]!, listId: m![2]! }, context: ctx(ip) }));
  if (path === "/.well-known/jwks.json") return run(() => jwksLoader());
  throw new Error(`no public document route for ${url}`);
}

/** Every string in the document that is a URL on the app's origin (fragments dropped), with where it sits. */
function ownUrls(doc: unknown, at = "$"): { at: string; url: string }[] {
  if (typeof doc === "string") return doc.startsWith(`${BASE}/`) || doc === BASE ? [{ at, url: doc.split("#")[0]! }] : [];
  if (Array.isArray(doc)) return doc.flatMap((v, i) => ownUrls(v, `${at}[${i}]`));
  if (doc && typeof doc === "object") return Object.entries(doc).flatMap(([k, v]) => ownUrls(v, `${at}.${k}`));
  return [];
}

async function issue(name: string) {
  const course = await makeCourse(db, { validityMonths: 24 });
  const person = await makePerson(db, { unitCode: "P06-VP", fullName: name, staffCode: `PUB-${name.length}-${Date.now()}` });
  const c = await issuedCertificate(db, { personId: person.id, course, scorePercent: 93, issuedAt: Date.now() - 86_400_000 });
  const record = (await loadRecordBySerial(db.read, c.serial))!;
  return { serial: c.serial, record, token: encodeToken(payloadOf(record), record.signature), badge: await openBadgeForRecord(record, BASE, db) };
}

beforeAll(async () => {
  db = await getDatabase();
  await makeUnit(db, { code: "P06-VP", parentCode: "G06", nameVi: "Văn phòng (kiểm thử công bố)" });
});

describe("the URLs of an issued Open Badge", () => {
  it("all resolve: issuer Profile, Achievement, the credential itself, its status list", async () => {
    const { badge, token } = await issue("Nguyễn Thị Hường");
    const urls = ownUrls(badge).filter((u) => u.url !== BASE); // issuer.url is the LMS home page
    expect(urls.map((u) => u.at).sort()).toEqual(
      ["$.credentialStatus.id", "$.credentialStatus.statusListCredential", "$.credentialSubject.achievement.id", "$.id", "$.issuer.id"].sort(),
    );
    for (const { at, url } of urls) {
      const res = await get(url);
      expect(res.status, `${at} ${url}`).toBe(200);
      const doc = (await res.json()) as Record<string, unknown>;
      expect(doc.id ?? `${url}`, at).toBe(url);
    }
    expect(badge.id).toBe(`${BASE}/credentials/${token}`);
  });

  it("/credentials/<token> is the same signed credential, application/vc, status valid; nothing beyond the verify page", async () => {
    const { badge, token } = await issue("Lê Thị Ánh Tuyết");
    const res = await get(`${BASE}/credentials/${token}`);
    expect(res.headers.get("Content-Type")).toBe("application/vc");
    expect(res.headers.get("X-Credential-Status")).toBe("valid");
    const served = await res.json();
    expect(served).toEqual(badge);
    expect(checkDataIntegrityJcs(served)).toEqual({ ok: true });
    const text = JSON.stringify(served);
    expect(text).not.toContain("kiểm thử công bố"); // no unit
    expect(text).not.toContain("PUB-"); // no staff code
    expect(text).not.toContain("93%"); // no score: the verify page does not show it
    expect((served as { credentialSubject: Record<string, unknown> }).credentialSubject.result).toBeUndefined();
  });

  it("the issuer Profile lists the keys of the JWKS for that body, and the proof's key among them", async () => {
    const { badge } = await issue("Trần Minh Khôi");
    const issuerId = (badge.issuer as { id: string }).id;
    const profile = (await (await get(issuerId)).json()) as {
      id: string; type: string[]; name: string; verificationMethod: { id: string; type: string; controller: string; publicKeyMultibase: string }[]; assertionMethod: string[];
    };
    expect(profile).toMatchObject({ id: issuerId, type: ["Profile"], name: "Bộ Khoa học và Công nghệ" });
    const jwks = (await (await get(`${BASE}/.well-known/jwks.json`)).json()) as { keys: { kid: string; x: string; issuer: string }[] };
    const ours = jwks.keys.filter((k) => k.issuer === "G06");
    expect(profile.verificationMethod.map((m) => m.id).sort()).toEqual(ours.map((k) => `${issuerId}#${k.kid}`).sort());
    expect(profile.assertionMethod).toEqual(profile.verificationMethod.map((m) => m.id));
    for (const m of profile.verificationMethod) {
      expect(m).toMatchObject({ type: "Multikey", controller: issuerId });
      const jwk = ours.find((k) => m.id.endsWith(`#${k.kid}`))!;
      const raw = Buffer.from(jwk.x, "base64url");
      // did:key multibase = z + base58btc(0xed 0x01 + key): compare through the proof's did:key decoder.
      expect(m.publicKeyMultibase.startsWith("z6Mk")).toBe(true);
      const { publicKeyFromDidKey } = await import("./openbadge");
      const key = publicKeyFromDidKey(`did:key:${m.publicKeyMultibase}`)!;
      expect(Buffer.from(key.export({ format: "jwk" }).x!, "base64url").equals(raw)).toBe(true);
    }
    const proofKey = (badge.proof as { verificationMethod: string }).verificationMethod.split("#")[1];
    expect(profile.verificationMethod.map((m) => m.publicKeyMultibase)).toContain(proofKey);
  });

  it("the Achievement served matches the one in the credential (id, type, name, code)", async () => {
    const { badge } = await issue("Hoàng Văn Dũng");
    const embedded = (badge.credentialSubject as { achievement: Record<string, unknown> }).achievement;
    const res = await get(embedded.id as string);
    expect(res.headers.get("Content-Type")).toContain("application/ld+json");
    const served = (await res.json()) as Record<string, unknown>;
    for (const k of ["id", "type", "achievementType", "name", "description", "humanCode", "inLanguage", "tag"]) expect(served[k], k).toEqual(embedded[k]);
    expect(served["@context"]).toEqual(badge["@context"]);
  });

  it("revoked: still served (wallets re-check it), X-Credential-Status says revoked and its status-list bit is set", async () => {
    const { badge, token, serial } = await issue("Phạm Thị Thu Trang");
    await changeCertificateStatus({ serial, action: "revoke", reason: "Hồ sơ không hợp lệ", actor: { userId: null, label: "test" }, scope: { kind: "all" } });
    const res = await get(`${BASE}/credentials/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Credential-Status")).toMatch(/^revoked; since=\d{4}-\d{2}-\d{2}$/);
    const status = badge.credentialStatus as { statusListCredential: string; statusListIndex: string };
    const list = (await (await get(status.statusListCredential)).json()) as { credentialSubject: { encodedList: string } };
    expect(isStatusSet(decodeStatusList(list.credentialSubject.encodedList), Number(status.statusListIndex))).toBe(true);
  });

  it("unknown issuers, achievements and bad tokens are 404 with the reason; bad tokens count toward the /v limit", async () => {
    const issuer = await get(`${BASE}/issuers/ZZ99`);
    expect(issuer.status).toBe(404);
    expect(await issuer.text()).toContain("ZZ99");
    expect((await get(`${BASE}/issuers/${encodeURIComponent("../etc")}`)).status).toBe(404);
    const { token } = await issue("Đặng Quốc Vượng");
    const forged = token.slice(0, 10) + (token[10] === "A" ? "B" : "A") + token.slice(11);
    const bad = await get(`${BASE}/credentials/${forged}`, "192.0.2.99");
    expect(bad.status).toBe(404);
    expect(await bad.text()).toMatch(/altered|unknown/);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await get(`${BASE}/credentials/not-a-token`, "192.0.2.98")).status);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
