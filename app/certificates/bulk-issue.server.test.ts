import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, certificates } from "#db/schema";
import { getDatabase, type Database } from "~/db.server";
import { makeCourse, makePerson, makeUnit } from "../../tests/factories/certificates";
import { issueRecognisedBulk, MAX_BULK_ROWS, parseBulkCsv } from "./bulk-issue.server";

let db: Database;
const actor = { userId: null, label: "cli:test" };
const HEADER = "staff_code,credential,issued_on,source";
let codes: string[];

beforeAll(async () => {
  db = await getDatabase();
  await makeUnit(db, { code: "B06-VP", parentCode: "G06", nameVi: "Văn phòng (bulk)" });
  await makeCourse(db, { credentialId: "basic_digital_skills", validityMonths: 36 });
  codes = [];
  for (let i = 0; i < 6; i++) codes.push((await makePerson(db, { unitCode: "B06-VP", staffCode: `BULK-${i}` })).staffCode);
});

const csv = (lines: string[]) => [HEADER, ...lines].join("\n");
const count = async (source: string) => (await db.read.select({ id: certificates.id }).from(certificates).where(like(certificates.sourceNote, `${source}%`))).length;

describe("parseBulkCsv", () => {
  it.each([
    ["a wrong header", "code,credential,date,source\nA,basic_digital_skills,2026-01-02,x", /first line must be the header/],
    ["no rows", HEADER + "\n", /no rows/],
    ["an unknown credential", csv(["A,phd,2026-01-02,Học viện"]), /line 2: unknown credential "phd"/],
    ["a date that does not exist", csv(["A,basic_digital_skills,2026-02-30,Học viện"]), /line 2: issued_on "2026-02-30"/],
    ["a missing column", csv(["A,basic_digital_skills,2026-01-02"]), /line 2: expected 4 columns, found 3/],
    ["too many rows", csv(Array.from({ length: MAX_BULK_ROWS + 1 }, () => "A,basic_digital_skills,2026-01-02,x")), new RegExp(`split it into files of at most ${MAX_BULK_ROWS}`)],
  ])("refuses %s, naming the problem", (_name, text, message) => {
    expect(() => parseBulkCsv(text)).toThrow(message);
  });
});

describe("issueRecognisedBulk", () => {
  it("issues every row in one write, audited per certificate; running the file again issues nothing new", async () => {
    const rows = parseBulkCsv("\uFEFF" + csv(codes.slice(0, 4).map((c) => `${c},basic_digital_skills,2026-01-15,Bulk A chứng chỉ`)));
    const first = await issueRecognisedBulk(db, rows, actor);
    expect(first).toMatchObject({ issued: 4, existing: 0 });
    expect(await count("Bulk A")).toBe(4);
    const audits = await db.read.select().from(auditLog).where(eq(auditLog.action, "certificate.recognise"));
    expect(first.serials.every((s) => audits.some((a) => (a.afterJson ?? "").includes(s)))).toBe(true);
    const again = await issueRecognisedBulk(db, rows, actor);
    expect(again).toMatchObject({ issued: 0, existing: 4, serials: first.serials });
    expect(await count("Bulk A")).toBe(4);
  });

  it("a bad row in the middle rolls back the rows before it: all or nothing", async () => {
    const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const rows = parseBulkCsv(csv([`${codes[4]},basic_digital_skills,2026-01-15,Bulk B`, `${codes[5]},basic_digital_skills,2026-01-15,Bulk B`, `${codes[0]},basic_digital_skills,${future},Bulk B`]));
    await expect(issueRecognisedBulk(db, rows, actor)).rejects.toThrow(/Nothing was issued; line 4: .*future/);
    expect(await count("Bulk B")).toBe(0);
  });

  it("refuses unknown staff codes before writing anything", async () => {
    const rows = parseBulkCsv(csv([`${codes[1]},basic_digital_skills,2026-01-15,Bulk C`, "NO-SUCH-PERSON,basic_digital_skills,2026-01-15,Bulk C"]));
    await expect(issueRecognisedBulk(db, rows, actor)).rejects.toThrow(/line 3 "NO-SUCH-PERSON"/);
    expect(await count("Bulk C")).toBe(0);
  });
});
