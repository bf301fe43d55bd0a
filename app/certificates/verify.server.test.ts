/**
 * The verification service end to end: certificates issued through the exam-engine entry point, rendered and
 * PAdES-signed from their rows, then checked through verifyToken / verifySerial / verifyPdf with the published keys.
 */
import { eq } from "drizzle-orm";
import { generateKeyPairSync } from "node:crypto";
import { inflateSync, deflateSync } from "node:zlib";
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, certificateStatusEvents, certificates } from "#db/schema";
import { getDatabase, type Database } from "~/db.server";
import { issuedCertificate, makeCourse, makeUnit } from "../../tests/factories/certificates";
import { getFont } from "./fonts.server";
import { keySetFromJwks } from "./keys.server";
import { decodeStatusList, isStatusSet } from "./openbadge";
import { makePayload, signPayload } from "./payload";
import { loadRecordBySerial, payloadOf } from "./records.server";
import { publicBaseUrl, renderRecordPdf } from "./render.server";
import { changeCertificateStatus, statusListCredential } from "./status.server";
import { checkDataIntegrityJcs } from "./openbadge";
import { encodeToken, decodeToken } from "./token";
import { publishedJwks, verifyPdf, verifySerial, verifyToken } from "./verify.server";
import { poppler, tmpFile } from "./test-helpers.server";
import { statusListPosition } from "./lifecycle";
import { formatSerial } from "./serial";

const BASE = "https://hoctap.example.gov.vn";
const admin = { userId: null, label: "test-admin" };
const ALL = { kind: "all" } as const;
let db: Database;

beforeAll(async () => {
  db = await getDatabase();
  await makeUnit(db, { code: "V06-VP", parentCode: "G06", nameVi: "Văn phòng (kiểm thử xác thực)" });
});

async function issue(name = "Nguyễn Thị Hường", validityMonths: number | null = 36, issuedAt = Date.now() - 86_400_000) {
  const course = await makeCourse(db, { validityMonths });
  const c = await issuedCertificate(db, { unitCode: "V06-VP", fullName: name, course, issuedAt });
  const record = (await loadRecordBySerial(db.read, c.serial))!;
  const token = encodeToken(payloadOf(record), record.signature);
  return { ...c, record, token };
}

/** A forger's edit of the printed holder name: rewrite the glyph ids in the page content and re-save with pdf-lib. */
async function editPrintedName(pdf: Uint8Array, from: string, to: string): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf);
  const page = doc.getPages()[0]!;
  const stream = page.node.Contents() as PDFRawStream;
  const bold = getFont("bold");
  const hex = (s: string) => [...s].map((c) => bold.glyph(c.codePointAt(0)!).id.toString(16).padStart(4, "0")).join("");
  const content = inflateSync(stream.getContents()).toString("latin1");
  expect(content).toContain(`<${hex(from)}> Tj`);
  const ref = page.node.get(PDFName.of("Contents"));
  doc.context.assign(ref as never, PDFRawStream.of(doc.context.obj({ Filter: "FlateDecode" }) as PDFDict, deflateSync(content.replace(`<${hex(from)}> Tj`, `<${hex(to)}> Tj`))));
  return doc.save({ useObjectStreams: false });
}

describe("verifyToken (/v/<token>)", () => {
  it("valid: shows the holder, credential and issuing body from the record", async () => {
    const { token, serial } = await issue("Lê Thị Ánh Tuyết");
    const r = await verifyToken(token);
    expect(r).toMatchObject({
      status: "valid",
      facts: { serial, holderName: "Lê Thị Ánh Tuyết", nameMasked: false, credentialNameVi: "Kỹ năng số cơ bản", issuerNameVi: "Bộ Khoa học và Công nghệ" },
      demo: true,
    });
    // Nothing beyond name, credential and issuer: no unit, no staff code.
    expect(JSON.stringify(r)).not.toContain("kiểm thử xác thực");
  });

  it("revoked: reports revoked with the date and reason — never unknown — also after expiry", async () => {
    const issuedAt = Date.now() - 400 * 86_400_000;
    const { token, serial } = await issue("Đặng Quốc Vượng", 12, issuedAt);
    await changeCertificateStatus({ serial, action: "revoke", reason: "Gian lận khi làm bài", effectiveAt: issuedAt + 86_400_000, actor: admin, scope: ALL });
    const r = await verifyToken(token);
    expect(r).toMatchObject({ status: "revoked", reason: "Gian lận khi làm bài", expired: true, facts: { serial } });
    expect(r.statusOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await verifySerial({ serial })).toMatchObject({ status: "revoked", reason: "Gian lận khi làm bài" });
  });

  it("suspended → suspended; reinstated → valid again; expired → expired", async () => {
    const { token, serial } = await issue();
    await changeCertificateStatus({ serial, action: "suspend", reason: "Đang xác minh hồ sơ", actor: admin, scope: ALL });
    expect(await verifyToken(token)).toMatchObject({ status: "suspended", reason: "Đang xác minh hồ sơ" });
    await changeCertificateStatus({ serial, action: "reinstate", reason: "Đã xác minh xong", actor: admin, scope: ALL });
    expect((await verifyToken(token)).status).toBe("valid");
    const old = await issue("Trần Văn Tuấn", 1, Date.now() - 90 * 86_400_000);
    expect(await verifyToken(old.token)).toMatchObject({ status: "expired", expired: true });
  });

  it("a revocation written by another process shows at once, though this process remembers the token's check", async () => {
    const { token, record } = await issue("Phạm Thị Thu Trang");
    expect((await verifyToken(token)).status).toBe("valid"); // checked and remembered
    // Another worker or the CLI revokes: a new row, and nothing here is told (no forgetVerifiedTokens).
    const now = Date.now();
    await db.write((tx) => tx.insert(certificateStatusEvents).values({ id: `ev-other-${now}`, certificateId: record.id, status: "revoked", reason: "Thu hồi từ tiến trình khác", effectiveAt: now - 1000, createdAt: now }));
    expect(await verifyToken(token)).toMatchObject({ status: "revoked", reason: "Thu hồi từ tiến trình khác" });
  });

  it("altered: one changed character in the token's data, or a re-encoded token with another name", async () => {
    const { token } = await issue("Nguyễn Thị Hường");
    const d = decodeToken(token);
    if (!d.ok) throw new Error("fixture");
    const forged = encodeToken({ ...d.payload, name: "Nguyễn Thị Hà" }, d.signature);
    expect((await verifyToken(forged)).status).toBe("altered");
    const [body, sig] = token.split(".");
    const flipped = `${body!.slice(0, 20)}${body![20] === "A" ? "B" : "A"}${body!.slice(21)}.${sig}`;
    expect(["altered"]).toContain((await verifyToken(flipped)).status);
  });

  it("a token signed with a key that is not published: altered when the serial exists, unknown otherwise", async () => {
    const { record } = await issue();
    const rogue = generateKeyPairSync("ed25519").privateKey;
    const p = payloadOf(record);
    const forgedKid = { ...p, kid: "G06-2026-ffff" };
    expect((await verifyToken(encodeToken(forgedKid, signPayload(forgedKid, rogue)))).status).toBe("altered");
    const stranger = makePayload({ ...p, serial: formatSerial("KNS", 2001, 1), kid: "G06-2001-ffff", issuedAt: "2001-01-01", expiresAt: null });
    expect((await verifyToken(encodeToken(stranger, signPayload(stranger, rogue)))).status).toBe("unknown");
  });

  it("garbage is unknown, not an error", async () => {
    expect((await verifyToken("not-a-token")).status).toBe("unknown");
    expect((await verifyToken("")).status).toBe("unknown");
  });
});

describe("verifySerial (/verify)", () => {
  it("shows a masked name unless the visitor types the full name", async () => {
    const { serial } = await issue("Nguyễn Thị Hường");
    expect(await verifySerial({ serial: serial.toLowerCase().replace(/-/g, " ") })).toMatchObject({ status: "valid", facts: { holderName: "Nguyễn T. H.", nameMasked: true }, nameMatches: null });
    expect(await verifySerial({ serial, name: "nguyễn thị hường" })).toMatchObject({ facts: { holderName: "Nguyễn Thị Hường", nameMasked: false }, nameMatches: true });
    expect(await verifySerial({ serial, name: "Nguyễn Thị Hà" })).toMatchObject({ facts: { nameMasked: true }, nameMatches: false });
  });

  it("a typo in the serial is caught by the check character; an unissued serial is unknown", async () => {
    const { serial } = await issue();
    const typo = serial.replace(/-(\d{6})-/, (_m, d: string) => `-${d.slice(0, 5)}${(Number(d[5]) + 1) % 10}-`);
    expect(await verifySerial({ serial: typo })).toMatchObject({ status: "unknown", serialError: "check" });
    expect((await verifySerial({ serial: formatSerial("KNS", 2001, 1) })).status).toBe("unknown");
  });

  it("a row edited in the database (name changed) reads as altered", async () => {
    const { serial, certificateId } = await issue("Phạm Thị Hạnh");
    const [row] = await db.read.select().from(certificates).where(eq(certificates.id, certificateId));
    await db.write((tx) => tx.update(certificates).set({ payloadJson: row!.payloadJson.replace("Phạm Thị Hạnh", "Phạm Thị Hạ") }).where(eq(certificates.id, certificateId)));
    expect((await verifySerial({ serial })).status).toBe("altered");
  });
});

describe("verifyPdf (/verify upload, cert:verify) on PDFs rendered and PAdES-signed from the record", () => {
  it("the downloaded PDF is valid; pdfsig agrees; the QR link is the verify URL", async () => {
    const { record, token } = await issue("Nguyễn Thị Hường");
    const { pdf, verifyUrl } = await renderRecordPdf(record, BASE);
    expect(verifyUrl).toBe(`${BASE}/v/${token}`);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe("%PDF-");
    expect(poppler("pdfsig", [tmpFile("valid.pdf", pdf)]).out).toContain("Signature is Valid.");
    expect(await verifyPdf(pdf)).toMatchObject({ status: "valid", facts: { holderName: "Nguyễn Thị Hường" }, pdfSigner: { isDemo: true }, demo: true });
  });

  it("a PDF whose printed name was edited is altered", async () => {
    const { record } = await issue("Nguyễn Thị Hường");
    const { pdf } = await renderRecordPdf(record, BASE);
    const edited = await editPrintedName(pdf, "Nguyễn Thị Hường", "Nguyễn Thị Hà");
    const r = await verifyPdf(edited);
    expect(r).toMatchObject({ status: "altered" });
    expect("reasons" in r && r.reasons.join("\n")).toMatch(/printed name "Nguyễn Thị Hà" differs/);
  });

  it("a PDF whose QR payload was changed is altered", async () => {
    const { record, token } = await issue("Lê Thị Ánh Tuyết");
    const { pdf } = await renderRecordPdf(record, BASE);
    const d = decodeToken(token);
    if (!d.ok) throw new Error("fixture");
    const forged = encodeToken({ ...d.payload, expiresAt: "2099-12-31" }, d.signature);
    const doc = await PDFDocument.load(pdf);
    (doc as unknown as { getInfoDict(): PDFDict }).getInfoDict().set(PDFName.of("LmsVerifyToken"), PDFString.of(forged));
    doc.getPages()[0]!.node.Annots()!.lookup(0, PDFDict).set(PDFName.of("A"), doc.context.obj({ Type: "Action", S: "URI", URI: PDFString.of(`${BASE}/v/${forged}`) }));
    const r = await verifyPdf(await doc.save({ useObjectStreams: false }));
    expect(r).toMatchObject({ status: "altered" });
    expect("reasons" in r && r.reasons).toContain("the token's signature does not match its data");
  });

  it("bytes appended after the signature (an incremental edit) are altered", async () => {
    const { record } = await issue();
    const { pdf } = await renderRecordPdf(record, BASE);
    // Re-declare the Info dictionary after the signed range, as an editor's incremental save would.
    const infoRef = /\/Info (\d+) 0 R/.exec(Buffer.from(pdf).toString("latin1"))![1];
    const appended = Buffer.concat([Buffer.from(pdf), Buffer.from(`\n${infoRef} 0 obj\n<< /Title (Edited) >>\nendobj\n%%EOF\n`)]);
    const r = await verifyPdf(appended);
    expect(r).toMatchObject({ status: "altered" });
    expect("reasons" in r && r.reasons.join("\n")).toMatch(/bytes were added after the last signature/);
  });

  it("a revoked certificate's untouched PDF is revoked, not valid and not unknown", async () => {
    const { record, serial } = await issue();
    const { pdf } = await renderRecordPdf(record, BASE);
    await changeCertificateStatus({ serial, action: "revoke", reason: "Cấp nhầm", actor: admin, scope: ALL });
    expect(await verifyPdf(pdf)).toMatchObject({ status: "revoked", reason: "Cấp nhầm" });
  });

  it("offline with only the JWKS: valid from the file alone; a file that is not a PDF is a file error", async () => {
    const { record } = await issue();
    const { pdf } = await renderRecordPdf(record, BASE);
    const keys = keySetFromJwks(JSON.parse(JSON.stringify(await publishedJwks())));
    expect(await verifyPdf(pdf, { database: null, keys })).toMatchObject({ status: "valid" });
    expect(await verifyPdf(pdf, { database: null, keys: {} })).toMatchObject({ status: "unknown" });
    expect(await verifyPdf(new TextEncoder().encode("hello"))).toMatchObject({ fileError: "not_pdf" });
  });
});

describe("status changes", () => {
  it("need a reason, are audited, and a revocation is final", async () => {
    const { serial, certificateId } = await issue();
    await expect(changeCertificateStatus({ serial, action: "revoke", reason: "  ", actor: admin, scope: ALL })).rejects.toThrow(/reason/);
    await expect(changeCertificateStatus({ serial, action: "reinstate", reason: "Không lý do", actor: admin, scope: ALL })).rejects.toThrow(/not suspended/);
    await expect(changeCertificateStatus({ serial, action: "revoke", reason: "Tương lai", effectiveAt: Date.now() + 5 * 86_400_000, actor: admin, scope: ALL })).rejects.toThrow(/future/);
    await changeCertificateStatus({ serial, action: "revoke", reason: "Gian lận", actor: { userId: null, label: "nhansu.bo", ip: "10.0.0.1", requestId: "r1" }, scope: ALL });
    await expect(changeCertificateStatus({ serial, action: "reinstate", reason: "Khôi phục", actor: admin, scope: ALL })).rejects.toThrow(/final/);
    const events = await db.read.select().from(auditLog).where(eq(auditLog.subjectId, certificateId));
    expect(events.map((e) => [e.action, e.actorLabel, e.ip])).toEqual([
      ["certificate.issue", "system:exam-pass", null],
      ["certificate.revoke", "nhansu.bo", "10.0.0.1"],
    ]);
    expect(JSON.parse(events[1]!.beforeJson!)).toMatchObject({ serial, status: "valid" });
    expect(JSON.parse(events[1]!.afterJson!)).toMatchObject({ serial, status: "revoked", reason: "Gian lận" });
  });

  it("an officer of another unit's subtree cannot change a certificate", async () => {
    const { serial } = await issue();
    const province = { kind: "subtrees" as const, paths: ["/VN/96/"] };
    await expect(changeCertificateStatus({ serial, action: "revoke", reason: "Không có quyền", actor: admin, scope: province })).rejects.toMatchObject({ code: "forbidden" });
    expect((await verifySerial({ serial })).status).toBe("valid");
  });
});

describe("Bitstring Status List", () => {
  it("sets the bit of a revoked or suspended certificate, clears it on reinstatement, and is signed", async () => {
    const a = await issue();
    const b = await issue();
    await changeCertificateStatus({ serial: a.serial, action: "revoke", reason: "Thu hồi", actor: admin, scope: ALL });
    await changeCertificateStatus({ serial: b.serial, action: "suspend", reason: "Tạm dừng", actor: admin, scope: ALL });
    const listId = statusListPosition(a.record.statusListIndex).listId;
    let list = (await statusListCredential("G06", listId, BASE))!;
    expect(list.id).toBe(`${BASE}/status/G06/${listId}`);
    expect(checkDataIntegrityJcs(list).ok).toBe(true);
    let bits = decodeStatusList((list.credentialSubject as { encodedList: string }).encodedList);
    expect(isStatusSet(bits, statusListPosition(a.record.statusListIndex).index)).toBe(true);
    expect(isStatusSet(bits, statusListPosition(b.record.statusListIndex).index)).toBe(true);
    await changeCertificateStatus({ serial: b.serial, action: "reinstate", reason: "Xong", actor: admin, scope: ALL });
    list = (await statusListCredential("G06", listId, BASE))!;
    bits = decodeStatusList((list.credentialSubject as { encodedList: string }).encodedList);
    expect(isStatusSet(bits, statusListPosition(b.record.statusListIndex).index)).toBe(false);
    expect(isStatusSet(bits, statusListPosition(a.record.statusListIndex).index)).toBe(true);
    expect(await statusListCredential("G12", 0, BASE)).toBeNull();
    expect(await statusListCredential("G06", 7, BASE)).toBeNull();
  });
});

it("publicBaseUrl prefers LMS_PUBLIC_URL, then the request's origin", () => {
  expect(publicBaseUrl(new Request("http://127.0.0.1:3213/v/x"), {} as NodeJS.ProcessEnv)).toBe("http://127.0.0.1:3213");
  expect(publicBaseUrl(new Request("http://127.0.0.1:3213/v/x"), { LMS_PUBLIC_URL: "https://hoctap.noivu.gov.vn/" } as unknown as NodeJS.ProcessEnv)).toBe("https://hoctap.noivu.gov.vn");
});

it("a key published by another process after this one cached the key set is picked up, not reported as altered", async () => {
  const { createSigningKey } = await import("./payload");
  const { keysDir, publishedKeySet, yearWindow } = await import("./keys.server");
  const { signingKeys } = await import("#db/schema");
  const { writeFileSync } = await import("node:fs");
  await publishedKeySet(db); // this process has cached the current keys
  // Another process (e.g. `keys:create`) adds a key for a new year: file + row, without touching our cache.
  const key = createSigningKey({ issuerCode: "G06", year: 2036 });
  writeFileSync(`${keysDir()}/${key.kid}.pem`, key.privateKeyPem, { mode: 0o600 });
  await db.write((tx) => tx.insert(signingKeys).values({ id: key.kid, issuerUnitId: "ou-G06", publicKey: key.publicKeyB64url, ...yearWindow(2036), isDemo: false, createdAt: Date.now() }));
  const { token, record } = await issue("Võ Thị Thu", 36, Date.parse("2036-02-02T03:00:00Z"));
  expect(record.keyId).toBe(key.kid);
  expect(await verifyToken(token)).toMatchObject({ status: "valid", demo: false });
});
