/**
 * The certificate routes as the server calls them (loader/action with a load context): who may download, revoke
 * and export; what the public pages answer; the Open Badge served verifies with an independent checker.
 */
import type { AppLoadContext } from "@remix-run/node";
import { unzipSync } from "fflate";
import type { User } from "lucia";
import { createHash, createPublicKey, verify } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase, type Database } from "~/db.server";
import { loader as pdfLoader } from "~/routes/certificates.$serial";
import { loader as badgeLoader } from "~/routes/certificates.$serial_.openbadge[.]json";
import { loader as jwksLoader } from "~/routes/[.well-known].jwks[.]json";
import { loader as statusLoader } from "~/routes/status.$unit.$listId";
import { action as hrAction, loader as hrDetailLoader } from "~/routes/hr_.certificates.$serial";
import { loader as hrListLoader } from "~/routes/hr_.certificates._index";
import { loader as exportLoader } from "~/routes/hr_.certificates.export[.]zip";
import { loader as vLoader } from "~/routes/v.$token";
import { action as verifyAction } from "~/routes/verify";
import { loader as mineLoader } from "~/routes/certificates._index";
import { issuedCertificate, makeCourse, makePerson, makeUnit, makeUser } from "../../tests/factories/certificates";
import { loadRecordBySerial, payloadOf } from "./records.server";
import { encodeToken } from "./token";

let db: Database;
let holder: User;
let otherLearner: User;
let hrMinistry: User;
let hrProvince: User;
let admin: User;
let serial: string;

const ctx = (user: User | null): AppLoadContext => ({ auth: { user, session: user ? ({ id: "s", userId: user.id, fresh: false, expiresAt: new Date(Date.now() + 3600_000) } as never) : null }, ip: "203.0.113.7", requestId: "req-1", cspNonce: "n" });
const BASE = "http://127.0.0.1:3213";

async function call<T>(fn: () => Promise<T>): Promise<{ status: number; value?: T; response?: Response }> {
  try {
    const value = await fn();
    if (value instanceof Response) return { status: value.status, response: value };
    const init = (value as { init?: ResponseInit | null })?.init;
    return { status: init?.status ?? 200, value };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, response: e };
    throw e;
  }
}

beforeAll(async () => {
  db = await getDatabase();
  await makeUnit(db, { code: "R06-VP", parentCode: "G06", nameVi: "Văn phòng Bộ (kiểm thử tuyến)" });
  const person = await makePerson(db, { unitCode: "R06-VP", fullName: "Nguyễn Thị Lan" });
  const course = await makeCourse(db, { validityMonths: 36 });
  serial = (await issuedCertificate(db, { personId: person.id, course, issuedAt: Date.now() - 86_400_000 })).serial;
  holder = await makeUser(db, { personId: person.id, roles: [{ role: "learner", unitCode: "R06-VP" }] });
  otherLearner = await makeUser(db, { personId: (await makePerson(db, { unitCode: "R06-VP" })).id, roles: [{ role: "learner", unitCode: "R06-VP" }] });
  hrMinistry = await makeUser(db, { roles: [{ role: "hr", unitCode: "G06" }] });
  hrProvince = await makeUser(db, { roles: [{ role: "hr", unitCode: "96" }] });
  admin = await makeUser(db, { roles: [{ role: "admin", unitCode: "VN" }] });
});

const pdfArgs = (user: User | null, s = serial) => ({ request: new Request(`${BASE}/certificates/${s}.pdf`), params: { serial: `${s}.pdf` }, context: ctx(user) });

describe("GET /certificates/<serial>.pdf", () => {
  it("serves the signed PDF to the holder, the ministry's HR and an admin", async () => {
    for (const user of [holder, hrMinistry, admin]) {
      const r = await call(() => pdfLoader(pdfArgs(user)));
      expect(r.status).toBe(200);
      const bytes = new Uint8Array(await r.response!.arrayBuffer());
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe("%PDF-");
      expect(bytes.length).toBeGreaterThan(20_000);
      expect(r.response!.headers.get("Content-Type")).toBe("application/pdf");
    }
  });

  it("refuses the province HR and another learner (403), 404 for an unknown serial, login for anonymous", async () => {
    expect((await call(() => pdfLoader(pdfArgs(hrProvince)))).status).toBe(403);
    expect((await call(() => pdfLoader(pdfArgs(otherLearner)))).status).toBe(403);
    expect((await call(() => pdfLoader(pdfArgs(admin, "KNS-2001-000001-X")))).status).toBe(404);
    const anon = await call(() => pdfLoader(pdfArgs(null)));
    expect(anon.status).toBe(302);
    expect(anon.response!.headers.get("Location")).toMatch(/^\/login\?next=/);
  });
});

// Independent eddsa-jcs-2022 check written from the specs (RFC 8785 for this JSON, multibase base58btc, did:key).
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function b58(s: string): Buffer {
  let n = 0n;
  for (const ch of s) n = n * 58n + BigInt(B58.indexOf(ch));
  let hex = n.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  return Buffer.concat([Buffer.alloc(/^1*/.exec(s)![0].length), Buffer.from(hex, "hex")]);
}
function jcs(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jcs).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${jcs(o[k])}`).join(",")}}`;
}
function independentlyVerified(doc: Record<string, unknown>): boolean {
  const { proof, ...unsecured } = doc;
  const { proofValue, ...config } = proof as Record<string, string>;
  const m = /^did:key:z(6Mk[1-9A-HJ-NP-Za-km-z]+)#z\1$/.exec(config.verificationMethod!);
  if (!m || config.cryptosuite !== "eddsa-jcs-2022") return false;
  const mc = b58(m[1]!);
  const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: mc.subarray(2).toString("base64url") }, format: "jwk" });
  const h = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return verify(null, Buffer.concat([h(jcs(config)), h(jcs(unsecured))]), key, b58(proofValue!.slice(1)));
}

describe("GET /certificates/<serial>/openbadge.json", () => {
  it("serves an OpenBadgeCredential whose proof verifies independently, and fails once edited", async () => {
    const r = await call(() => badgeLoader({ request: new Request(`${BASE}/certificates/${serial}/openbadge.json`), params: { serial }, context: ctx(holder) }));
    expect(r.status).toBe(200);
    const ob = (await r.response!.json()) as Record<string, unknown> & { credentialSubject: { identifier: { identityHash: string }[] }; credentialStatus: { statusListCredential: string }; issuer: { id: string } };
    expect(ob.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(ob.credentialSubject.identifier[0]!.identityHash).toBe("Nguyễn Thị Lan");
    expect(ob.credentialStatus.statusListCredential).toBe(`${BASE}/status/G06/0`);
    expect(independentlyVerified(ob)).toBe(true);
    ob.credentialSubject.identifier[0]!.identityHash = "Nguyễn Thị Lâm";
    expect(independentlyVerified(ob)).toBe(false);
    // The key named in the proof is the one published in the JWKS for this certificate.
    const jwks = (await (await jwksLoader()).json()) as { keys: { kid: string; x: string; issuer: string; demo: boolean }[] };
    const record = (await loadRecordBySerial(db.read, serial))!;
    const published = jwks.keys.find((k) => k.kid === record.keyId)!;
    expect(published).toMatchObject({ issuer: "G06", demo: true });
    const vm = ((ob as { proof?: { verificationMethod: string } }).proof ?? { verificationMethod: "" }).verificationMethod;
    expect(b58(/^did:key:z([^#]+)/.exec(vm)![1]!).subarray(2).toString("base64url")).toBe(published.x);
    expect((await call(() => badgeLoader({ request: new Request(`${BASE}/x`), params: { serial }, context: ctx(hrProvince) }))).status).toBe(403);
  });
});

describe("HR pages", () => {
  const detail = (user: User, method = "GET", body?: Record<string, string>) => ({
    request: new Request(`${BASE}/hr/certificates/${serial}`, { method, body: body ? new URLSearchParams(body) : undefined }),
    params: { serial },
    context: ctx(user),
  });

  it("the province HR gets 403 for the ministry's certificate, its list and its export", async () => {
    expect((await call(() => hrDetailLoader(detail(hrProvince)))).status).toBe(403);
    expect((await call(() => hrAction(detail(hrProvince, "POST", { intent: "revoke", reason: "Không có thẩm quyền" })))).status).toBe(403);
    expect((await call(() => hrListLoader({ request: new Request(`${BASE}/hr/certificates?unit=G06`), params: {}, context: ctx(hrProvince) }))).status).toBe(403);
    expect((await call(() => exportLoader({ request: new Request(`${BASE}/hr/certificates/export.zip?unit=R06-VP`), params: {}, context: ctx(hrProvince) }))).status).toBe(403);
    // A learner is not an HR officer at all.
    expect((await call(() => hrDetailLoader(detail(holder)))).status).toBe(403);
  });

  it("the ministry HR lists the unit's certificates with filters and exports a ZIP of PDFs", async () => {
    const list = await call(() => hrListLoader({ request: new Request(`${BASE}/hr/certificates?unit=R06-VP&status=valid`), params: {}, context: ctx(hrMinistry) }));
    expect(list.status).toBe(200);
    const value = list.value as Awaited<ReturnType<typeof hrListLoader>>;
    expect(value.list.items.map((i) => i.serial)).toEqual([serial]);
    expect(value.list.counts.valid).toBe(1);
    expect(value.exportHref).toBe("/hr/certificates/export.zip?unit=R06-VP&status=valid");
    const res = (await call(() => exportLoader({ request: new Request(`${BASE}${value.exportHref}`), params: {}, context: ctx(hrMinistry) }))).response!;
    expect(res.headers.get("X-Certificate-Count")).toBe("1");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([`${serial}.pdf`, "danh-sach.csv"]);
    expect(Buffer.from(files[`${serial}.pdf`]!.subarray(0, 5)).toString()).toBe("%PDF-");
    expect(new TextDecoder().decode(files["danh-sach.csv"])).toContain(`${serial},Nguyễn Thị Lan,Kỹ năng số cơ bản`);
  });

  it("the export's list neutralises a holder name a spreadsheet would run as a formula", async () => {
    await makeUnit(db, { code: "R06-FX", parentCode: "G06", nameVi: "Đơn vị thử công thức" });
    const person = await makePerson(db, { unitCode: "R06-FX", fullName: "=cmd|' /C calc'!A0" });
    const course = await makeCourse(db, { validityMonths: 36 });
    const issued = await issuedCertificate(db, { personId: person.id, course, issuedAt: Date.now() - 86_400_000 });
    const res = (await call(() => exportLoader({ request: new Request(`${BASE}/hr/certificates/export.zip?unit=R06-FX`), params: {}, context: ctx(hrMinistry) }))).response!;
    const csv = new TextDecoder().decode(unzipSync(new Uint8Array(await res.arrayBuffer()))["danh-sach.csv"]);
    expect(csv).toContain(`${issued.serial},'=cmd|' /C calc'!A0,`);
  });

  it("revoking needs a reason; with one it is recorded and the public page says revoked", async () => {
    expect((await call(() => hrAction(detail(hrMinistry, "POST", { intent: "revoke", reason: "" })))).status).toBe(400);
    const done = await call(() => hrAction(detail(hrMinistry, "POST", { intent: "revoke", reason: "Kết quả thi bị hủy" })));
    expect(done.status).toBe(302);
    expect(done.response!.headers.get("Location")).toBe(`/hr/certificates/${serial}?done=revoke`);
    const record = (await loadRecordBySerial(db.read, serial))!;
    const token = encodeToken(payloadOf(record), record.signature);
    const v = (await call(() => vLoader({ request: new Request(`${BASE}/v/${token}`), params: { token }, context: ctx(null) }))).value as { data: Awaited<ReturnType<typeof vLoader>>["data"] };
    expect(v.data.result).toMatchObject({ status: "revoked", reason: "Kết quả thi bị hủy" });
    // A second revocation is a conflict, not a crash.
    expect((await call(() => hrAction(detail(hrMinistry, "POST", { intent: "revoke", reason: "Lần nữa" })))).status).toBe(409);
    // The learner sees it as revoked.
    const mine = (await call(() => mineLoader({ request: new Request(`${BASE}/certificates`), params: {}, context: ctx(holder) }))).value as Awaited<ReturnType<typeof mineLoader>>;
    expect(mine.items[0]).toMatchObject({ serial, status: "revoked", statusReason: "Kết quả thi bị hủy" });
    // The status list now flags it.
    const list = await call(() => statusLoader({ request: new Request(`${BASE}/status/G06/0`), params: { unit: "G06", listId: "0" }, context: ctx(null) }));
    expect(list.status).toBe(200);
    expect(list.response!.headers.get("Content-Type")).toBe("application/vc");
  });
});

describe("public verify pages", () => {
  it("/verify accepts an uploaded PDF and a typed serial", async () => {
    const course = await makeCourse(db);
    const c = await issuedCertificate(db, { unitCode: "R06-VP", fullName: "Lê Thị Ánh Tuyết", course });
    const pdf = new Uint8Array(await (await call(() => pdfLoader(pdfArgs(admin, c.serial)))).response!.arrayBuffer());
    const form = new FormData();
    form.set("file", new File([pdf], "cert.pdf", { type: "application/pdf" }));
    const up = await call(() => verifyAction({ request: new Request(`${BASE}/verify`, { method: "POST", body: form }), params: {}, context: ctx(null) }));
    expect((up.value as { data: { result: { status: string; facts: { holderName: string } } } }).data.result).toMatchObject({ status: "valid", facts: { holderName: "Lê Thị Ánh Tuyết" } });
    const typed = await call(() => verifyAction({ request: new Request(`${BASE}/verify`, { method: "POST", body: new URLSearchParams({ serial: c.serial }) }), params: {}, context: ctx(null) }));
    expect((typed.value as { data: { result: { status: string; facts: { holderName: string } } } }).data.result).toMatchObject({ status: "valid", facts: { holderName: "Lê T. Á. T." } });
    const junk = new FormData();
    junk.set("file", new File([new TextEncoder().encode("not a pdf")], "x.pdf"));
    const bad = await call(() => verifyAction({ request: new Request(`${BASE}/verify`, { method: "POST", body: junk }), params: {}, context: ctx(null) }));
    expect(bad.status).toBe(400);
  });

  it("/v rate-limits an address after repeated failed checks, but never counts valid ones", async () => {
    const course = await makeCourse(db);
    const c = await issuedCertificate(db, { unitCode: "R06-VP", course });
    const record = (await loadRecordBySerial(db.read, c.serial))!;
    const token = encodeToken(payloadOf(record), record.signature);
    const visit = (t: string, ip: string) => call(() => vLoader({ request: new Request(`${BASE}/v/${t}`), params: { token: t }, context: { ...ctx(null), ip } }));
    for (let i = 0; i < 100; i++) expect((await visit(token, "198.51.100.1")).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await visit("bogus.token", "198.51.100.2")).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect((await visit(token, "198.51.100.2")).status).toBe(429);
    expect((await visit(token, "198.51.100.3")).status).toBe(200);
  });
});
