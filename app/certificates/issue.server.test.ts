import { eq } from "drizzle-orm";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditLog, certificates, orgUnits, people, signingKeys } from "#db/schema";
import { getDatabase, type Database } from "~/db.server";
import { issuedCertificate, makeAttempt, makeCourse, makePerson, makeUnit } from "../../tests/factories/certificates";
import { issueCertificateForPass, issueRecognisedCertificate } from "./issue.server";
import { keysDir, publishedKeySet, resetKeyCaches } from "./keys.server";
import { vietnamMidnight } from "./lifecycle";
import { canonicalPayloadJson, importPublicKeyB64url, verifyPayload } from "./payload";
import { payloadOf, loadRecordBySerial } from "./records.server";
import { formatSerial, isValidSerial } from "./serial";
import { encodeToken, verifyTokenOffline } from "./token";

let db: Database;
beforeAll(async () => {
  db = await getDatabase();
  await makeUnit(db, { code: "T06-VP", parentCode: "G06", nameVi: "Văn phòng Bộ (thử nghiệm)" });
  await makeUnit(db, { code: "T96-SNV", parentCode: "96", nameVi: "Sở Nội vụ (thử nghiệm)" });
});
afterEach(() => {
  delete process.env.LMS_DEMO_KEYS;
});

const T = (iso: string) => Date.parse(iso);

describe("issueCertificateForPass", () => {
  it("issues a signed, append-only row with a snapshot of name and unit, expiry from the course and the depth-1 issuer", async () => {
    const course = await makeCourse(db, { validityMonths: 36 });
    const issuedAt = T("2026-03-10T03:00:00Z");
    const { serial, certificateId, personId } = await issuedCertificate(db, { unitCode: "T06-VP", fullName: "Đặng Quốc Vượng", course, issuedAt, scorePercent: 87.5 });
    expect(isValidSerial(serial)).toBe(true);
    expect(serial).toMatch(/^KNS-2026-\d{6}-[0-9A-Z]$/);
    const [row] = await db.read.select().from(certificates).where(eq(certificates.id, certificateId));
    expect(row).toMatchObject({ holderName: "Đặng Quốc Vượng", holderUnitName: "Văn phòng Bộ (thử nghiệm)", source: "passed", scorePercent: 87.5, issuedAt, expiresAt: T("2029-03-10T03:00:00Z") });
    const [issuer] = await db.read.select().from(orgUnits).where(eq(orgUnits.id, row!.issuerUnitId));
    expect(issuer!.code).toBe("G06");

    // The payload is canonical JSON, signed with the published key it names.
    const payload = JSON.parse(row!.payloadJson);
    expect(canonicalPayloadJson(payload)).toBe(row!.payloadJson);
    expect(payload).toMatchObject({ serial, name: "Đặng Quốc Vượng", credential: "basic_digital_skills", issuedAt: "2026-03-10", expiresAt: "2029-03-10", issuer: "G06", kid: row!.keyId });
    const [key] = await db.read.select().from(signingKeys).where(eq(signingKeys.id, row!.keyId));
    expect(key).toMatchObject({ isDemo: true, validFrom: vietnamMidnight("2026-01-01"), validTo: vietnamMidnight("2027-01-01") - 1 });
    expect(verifyPayload(payload, row!.signature, importPublicKeyB64url(key!.publicKey))).toBe(true);
    expect(verifyTokenOffline(encodeToken(payload, row!.signature), await publishedKeySet(db)).status).toBe("valid");

    // The private key is a 0600 file outside the database.
    const file = path.join(keysDir(), `${row!.keyId}.pem`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain("BEGIN PRIVATE KEY");
    expect(JSON.stringify(key)).not.toContain("PRIVATE");

    // Renaming or moving the person later does not change the certificate.
    await db.write((tx) => tx.update(people).set({ fullName: "Đặng Quốc Vinh", orgUnitId: "ou-T96-SNV" }).where(eq(people.id, personId)));
    const record = await loadRecordBySerial(db.read, serial);
    expect(record).toMatchObject({ holderName: "Đặng Quốc Vượng", holderUnitName: "Văn phòng Bộ (thử nghiệm)", issuerCode: "G06" });
    expect(payloadOf(record!).name).toBe("Đặng Quốc Vượng");
  });

  it("is idempotent per attempt: a second call returns the same certificate and adds no row", async () => {
    const course = await makeCourse(db);
    const person = await makePerson(db, { unitCode: "T06-VP" });
    const attemptId = await makeAttempt(db, { personId: person.id, ...course });
    const input = { attemptId, personId: person.id, courseId: course.courseId, courseVersionId: course.courseVersionId, credentialId: course.credentialId, scorePercent: 80, issuedAt: Date.now() };
    const first = await db.write((tx) => issueCertificateForPass(tx, input));
    const second = await db.write((tx) => issueCertificateForPass(tx, { ...input, scorePercent: 95, issuedAt: Date.now() + 1000 }));
    expect(second).toEqual(first);
    const rows = await db.read.select().from(certificates).where(eq(certificates.attemptId, attemptId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.scorePercent).toBe(80);
  });

  it("gives 50 concurrent passes consecutive serials and distinct status-list indexes", async () => {
    const course = await makeCourse(db, { credentialId: "ai_public_service", validityMonths: 24 });
    const issuedAt = T("2027-05-05T05:00:00Z");
    const persons = await Promise.all(Array.from({ length: 50 }, (_, i) => makePerson(db, { unitCode: i % 2 ? "T06-VP" : "T96-SNV", fullName: `Lê Thị Ánh Tuyết ${i}` })));
    const attemptIds = await Promise.all(persons.map((p) => makeAttempt(db, { personId: p.id, ...course, at: issuedAt })));
    const issued = await Promise.all(
      persons.map((p, i) =>
        db.write((tx) => issueCertificateForPass(tx, { attemptId: attemptIds[i]!, personId: p.id, courseId: course.courseId, courseVersionId: course.courseVersionId, credentialId: "ai_public_service", scorePercent: 75, issuedAt })),
      ),
    );
    const serials = issued.map((r) => r.serial).sort();
    expect(serials).toEqual(Array.from({ length: 50 }, (_, i) => formatSerial("AIC", 2027, i + 1)));
    const rows = await db.read.select({ idx: certificates.statusListIndex, serial: certificates.serial }).from(certificates);
    expect(new Set(rows.map((r) => r.idx)).size).toBe(rows.length);
    // Two issuers (G06 and province 96) → one 2027 key each.
    const keys = await db.read.select().from(signingKeys);
    expect(keys.filter((k) => k.id.includes("-2027-")).map((k) => k.id.split("-")[0]).sort()).toEqual(["96", "G06"]);
  });

  it("counts the year in Vietnam time: 31 Dec 18:00 UTC is already next year", async () => {
    const course = await makeCourse(db, { credentialId: "leadership_dx", validityMonths: null });
    const { serial } = await issuedCertificate(db, { unitCode: "T06-VP", course, issuedAt: T("2027-12-31T18:00:00Z") });
    expect(serial).toBe(formatSerial("LDS", 2028, 1));
    const record = await loadRecordBySerial(db.read, serial);
    expect(record!.expiresAt).toBeNull();
    expect(payloadOf(record!)).toMatchObject({ issuedAt: "2028-01-01", expiresAt: null });
    expect(record!.keyId).toMatch(/^G06-2028-[0-9a-f]{4}$/);
  });

  it("refuses an attempt of another person or a course that awards another credential", async () => {
    const course = await makeCourse(db);
    const a = await makePerson(db, { unitCode: "T06-VP" });
    const b = await makePerson(db, { unitCode: "T06-VP" });
    const attemptId = await makeAttempt(db, { personId: a.id, ...course });
    const base = { attemptId, courseId: course.courseId, courseVersionId: course.courseVersionId, scorePercent: 90, issuedAt: Date.now() };
    await expect(db.write((tx) => issueCertificateForPass(tx, { ...base, personId: b.id, credentialId: "basic_digital_skills" }))).rejects.toThrow(/another person or course/);
    await expect(db.write((tx) => issueCertificateForPass(tx, { ...base, personId: a.id, credentialId: "leadership_dx" }))).rejects.toThrow(/awards basic_digital_skills/);
  });

  it("with LMS_DEMO_KEYS=0 and no key for the issuer and year, fails with the command to run", async () => {
    process.env.LMS_DEMO_KEYS = "0";
    const course = await makeCourse(db);
    await expect(issuedCertificate(db, { unitCode: "T06-VP", course, issuedAt: T("2031-02-02T02:00:00Z") })).rejects.toThrow(/keys:create --issuer G06 --year 2031/);
  });

  it("a private key file that does not match its published key is refused, never used", async () => {
    const course = await makeCourse(db);
    const { serial } = await issuedCertificate(db, { unitCode: "T06-VP", course, issuedAt: T("2032-01-05T02:00:00Z") });
    const record = (await loadRecordBySerial(db.read, serial))!;
    const other = (await db.read.select().from(signingKeys)).find((k) => k.id !== record.keyId)!;
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path.join(keysDir(), `${record.keyId}.pem`), readFileSync(path.join(keysDir(), `${other.id}.pem`)));
    resetKeyCaches();
    await expect(issuedCertificate(db, { unitCode: "T06-VP", course, issuedAt: T("2032-01-06T02:00:00Z") })).rejects.toThrow(/does not hold the private key published as/);
  });
});

describe("issueRecognisedCertificate", () => {
  it("records prior learning as 'recognised' (no attempt, no score), audited, and is idempotent", async () => {
    await makeCourse(db, { credentialId: "basic_data_management", validityMonths: 12 });
    const person = await makePerson(db, { unitCode: "T96-SNV", fullName: "Nguyễn Thị Hường" });
    const actor = { userId: null, label: "cli:test" };
    const issuedAt = vietnamMidnight("2026-02-01");
    const input = { personId: person.id, credentialId: "basic_data_management" as const, issuedAt, source: "Nền tảng học trực tuyến quốc gia,  chứng chỉ số 42", actor };
    const first = await db.write((tx) => issueRecognisedCertificate(tx, input));
    expect(first.existing).toBe(false);
    const again = await db.write((tx) => issueRecognisedCertificate(tx, input));
    expect(again).toEqual({ ...first, existing: true });
    const record = (await loadRecordBySerial(db.read, first.serial))!;
    expect(record).toMatchObject({ source: "recognised", sourceNote: "Nền tảng học trực tuyến quốc gia, chứng chỉ số 42", scorePercent: null, issuerCode: "96", expiresAt: vietnamMidnight("2027-02-01") });
    const events = await db.read.select().from(auditLog).where(eq(auditLog.subjectId, first.certificateId));
    expect(events.map((e) => [e.action, e.actorLabel])).toEqual([["certificate.recognise", "cli:test"]]);
  });

  it("refuses a future date and an empty source", async () => {
    const person = await makePerson(db, { unitCode: "T96-SNV" });
    const actor = { userId: null, label: "cli:test" };
    await expect(db.write((tx) => issueRecognisedCertificate(tx, { personId: person.id, credentialId: "basic_digital_skills", issuedAt: Date.now() + 86_400_000 * 3, source: "Học viện", actor }))).rejects.toThrow(/future/);
    await expect(db.write((tx) => issueRecognisedCertificate(tx, { personId: person.id, credentialId: "basic_digital_skills", issuedAt: Date.now() - 1000, source: " ", actor }))).rejects.toThrow(/source/);
  });
});

it("keeps keys in the per-test data directory", () => {
  expect(keysDir()).toBe(path.resolve(process.env.LMS_DATA_DIR!, "keys"));
  expect(existsSync(keysDir())).toBe(true);
});
