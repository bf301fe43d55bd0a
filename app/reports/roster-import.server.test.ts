import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { auditLog, certificates, people, rosterImports } from "#db/schema";
import { getDatabase } from "~/db.server";
import { issueCertificate } from "../../tests/factories/reports";
import { coverageReport } from "./coverage-report.server";
import { countersDay, expectedCounterRows, rebuildCounters, storedCounterRows } from "./counters.server";
import { commitRosterImport, importsDir, previewRosterImport, RosterImportError } from "./roster-import.server";
import { nationalScope, scopeFromGrants } from "./scope.server";

const fixture = (name: string) => readFileSync(path.resolve("tests/fixtures/roster", name));
const hanoi = scopeFromGrants([{ role: "hr", unitId: "ou-01", unitCode: "01", unitPath: "/VN/01/" }], { id: null, label: "test" });
const actor = { userId: null, label: "test" };

async function peopleByCode(codes: string[]) {
  const { read } = await getDatabase();
  return read.select().from(people).where(inArray(people.staffCode, codes));
}

async function population(unitCode: string) {
  return (await coverageReport(nationalScope(), { unitCode, targetCode: "T-DS-100" })).rows[0]!.population;
}

describe("roster import", () => {
  it("shows the three bad rows, refuses to commit them, then imports the fixed file all at once", async () => {
    await rebuildCounters();
    const before = await population("01");
    const bad = await previewRosterImport(hanoi, { unitCode: "01", mode: "partial", fileName: "three-bad-rows.csv", bytes: fixture("three-bad-rows.csv") }, actor);
    expect(bad.errors.map((e) => [e.row, e.field])).toEqual([
      [4, "unit_code"],
      [6, "category"],
      [8, "staff_code"],
    ]);
    expect(bad.errors.every((e) => e.reasonVi.length > 0 && e.reasonEn.length > 0 && e.column !== "")).toBe(true);
    await expect(commitRosterImport(hanoi, bad.id!, actor)).rejects.toMatchObject({ code: "has_errors" });
    expect(await peopleByCode(["HN-0201", "HN-0202"])).toEqual([]);
    const { read } = await getDatabase();
    expect((await read.select().from(rosterImports).where(eq(rosterImports.id, bad.id!)))[0]!.status).toBe("failed");

    const fixed = await previewRosterImport(hanoi, { unitCode: "01", mode: "partial", fileName: "fixed.csv", bytes: fixture("three-bad-rows-fixed.csv") }, actor);
    expect(fixed.counts).toMatchObject({ new: 8, changed: 0, leaving: 0, unchanged: 0, errors: 0 });
    const result = await commitRosterImport(hanoi, fixed.id!, actor);
    expect(result.applied).toEqual({ new: 8, changed: 0, leaving: 0, unchanged: 0 });
    const rows = await peopleByCode(["HN-0201", "HN-0203", "HN-0207"]);
    expect(rows.map((r) => r.fullName).sort()).toEqual(["Lê Văn Đạt", "Nguyễn Văn Bình", "Đỗ Văn Khánh"]);
    expect(await population("01")).toBe(before + 8);
    expect(await population("00070")).toBeGreaterThanOrEqual(2);
    // The counters moved exactly as a recomputation from scratch gives (new people counted without reading back).
    const day = (await countersDay(read))!;
    expect(await storedCounterRows(read)).toEqual(await expectedCounterRows(read, day));
    const audits = await read.select().from(auditLog).where(eq(auditLog.subjectId, fixed.id!));
    expect(audits.map((a) => a.action)).toEqual(["roster.import"]);
    // Before and after: the unit's active people, so an inspector sees what the import changed.
    const activeBefore = JSON.parse(audits[0]!.beforeJson!).activePeople as number;
    expect(JSON.parse(audits[0]!.afterJson!)).toMatchObject({ unit: "01", new: 8, activePeople: activeBefore + 8 });
    // Committing the same preview again changes nothing.
    expect((await commitRosterImport(hanoi, fixed.id!, actor)).alreadyCommitted).toBe(true);

    // Re-importing the same file is a no-op.
    const stamps = (await peopleByCode(["HN-0201"]))[0]!.updatedAt;
    const again = await previewRosterImport(hanoi, { unitCode: "01", mode: "partial", fileName: "fixed.csv", bytes: fixture("three-bad-rows-fixed.csv") }, actor);
    expect(again.counts).toMatchObject({ new: 0, changed: 0, leaving: 0, unchanged: 8 });
    expect(again.noOp).toBe(true);
    await commitRosterImport(hanoi, again.id!, actor);
    expect((await peopleByCode(["HN-0201"]))[0]!.updatedAt).toBe(stamps);
    expect(await population("01")).toBe(before + 8);
  });

  it("marks people missing from a full import of a unit as left, never deleting them or their certificates", async () => {
    await rebuildCounters();
    const file = (rows: string[]) => Buffer.from(["staff_code,full_name,unit_code,category,is_it_dx,is_leader,status", ...rows].join("\n"), "utf8");
    const base = ["FULL-1,Nguyễn Văn Một,00082,commune_official,0,0,active", "FULL-2,Trần Thị Hai,00082,commune_official,0,0,active", "FULL-3,Lê Văn Ba,00082,commune_official,0,0,active"];
    const first = await previewRosterImport(nationalScope(), { unitCode: "00082", mode: "full", fileName: "a.csv", bytes: file(base) }, actor);
    await commitRosterImport(nationalScope(), first.id!, actor);
    const [three] = await peopleByCode(["FULL-3"]);
    const cert = await issueCertificate({ personId: three!.id, credentialId: "commune_digital_assist", issuedAt: Date.now() - 86_400_000 });
    expect((await coverageReport(nationalScope(), { unitCode: "00082", targetCode: "T-XA-100" })).rows[0]).toMatchObject({ population: 3, holders: 1 });

    const second = await previewRosterImport(nationalScope(), { unitCode: "00082", mode: "full", fileName: "b.csv", bytes: file(base.slice(0, 2)) }, actor);
    expect(second.counts).toMatchObject({ new: 0, changed: 0, leaving: 1, unchanged: 2 });
    await commitRosterImport(nationalScope(), second.id!, actor);
    const [after] = await peopleByCode(["FULL-3"]);
    expect(after).toMatchObject({ employmentStatus: "left" });
    expect(after!.leftAt).not.toBeNull();
    const { read } = await getDatabase();
    expect((await read.select().from(certificates).where(eq(certificates.id, cert))).length).toBe(1);
    expect((await coverageReport(nationalScope(), { unitCode: "00082", targetCode: "T-XA-100" })).rows[0]).toMatchObject({ population: 2, holders: 0 });
    // A partial import never marks anybody as left.
    const partial = await previewRosterImport(nationalScope(), { unitCode: "00082", mode: "partial", fileName: "c.csv", bytes: file(base.slice(0, 1)) }, actor);
    expect(partial.counts.leaving).toBe(0);
  });

  it("moves a person between units of the scope and keeps their certificate counted where they now work", async () => {
    await rebuildCounters();
    const header = "Mã cán bộ;Họ và tên;Mã đơn vị;Loại";
    const one = await previewRosterImport(nationalScope(), { unitCode: "01", mode: "partial", fileName: "m.csv", bytes: Buffer.from(`${header}\nMOVE-1;Vũ Thị Chuyển;00004;cán bộ cấp xã\n`) }, actor);
    await commitRosterImport(nationalScope(), one.id!, actor);
    const [p] = await peopleByCode(["MOVE-1"]);
    await issueCertificate({ personId: p!.id, credentialId: "commune_digital_assist", issuedAt: Date.now() - 86_400_000 });
    const holders = async (code: string) => (await coverageReport(nationalScope(), { unitCode: code, targetCode: "T-XA-100" })).rows[0]!.holders;
    const h4 = await holders("00004");
    const h8 = await holders("00008");
    const move = await previewRosterImport(nationalScope(), { unitCode: "01", mode: "partial", fileName: "m2.csv", bytes: Buffer.from(`${header}\nMOVE-1;Vũ Thị Chuyển;00008;cán bộ cấp xã\n`) }, actor);
    expect(move.counts.changed).toBe(1);
    await commitRosterImport(nationalScope(), move.id!, actor);
    expect(await holders("00004")).toBe(h4 - 1);
    expect(await holders("00008")).toBe(h8 + 1);
  });

  it("reads XLSX, and refuses a stored file that changed after the preview", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Danh sách");
    ws.addRow(["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Loại", "Lãnh đạo"]);
    ws.addRow(["XL-1", "Đặng Thị Ếch", "01", "viên chức", "có"]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const preview = await previewRosterImport(hanoi, { unitCode: "01", mode: "partial", fileName: "roster.xlsx", bytes }, actor);
    expect(preview.counts).toMatchObject({ new: 1, errors: 0 });
    writeFileSync(path.join(importsDir(), preview.id!), Buffer.from("staff_code,full_name,unit_code,category\nEVIL-1,Kẻ Gian,01,cadre\n"));
    await expect(commitRosterImport(hanoi, preview.id!, actor)).rejects.toBeInstanceOf(RosterImportError);
    expect(await peopleByCode(["EVIL-1", "XL-1"])).toEqual([]);
  });

  it("does not let an officer import into a unit outside the scope, nor pull in a person from elsewhere", async () => {
    await expect(
      previewRosterImport(hanoi, { unitCode: "96", mode: "partial", fileName: "x.csv", bytes: Buffer.from("staff_code,full_name,unit_code,category\nA,B,96,cadre\n") }, actor),
    ).rejects.toMatchObject({ status: 403 });
    const camau = await previewRosterImport(nationalScope(), { unitCode: "96", mode: "partial", fileName: "cm.csv", bytes: Buffer.from("staff_code,full_name,unit_code,category\nCM-9,Lý Văn Mau,96,cadre\n") }, actor);
    await commitRosterImport(nationalScope(), camau.id!, actor);
    const steal = await previewRosterImport(hanoi, { unitCode: "01", mode: "partial", fileName: "s.csv", bytes: Buffer.from("staff_code,full_name,unit_code,category\nCM-9,Lý Văn Mau,01,cadre\n") }, actor);
    expect(steal.errors.map((e) => e.field)).toEqual(["staff_code"]);
    const outside = await previewRosterImport(hanoi, { unitCode: "01", mode: "partial", fileName: "o.csv", bytes: Buffer.from("staff_code,full_name,unit_code,category\nHN-X,Hà Văn Ngoài,96,cadre\n") }, actor);
    expect(outside.errors[0]).toMatchObject({ row: 2, field: "unit_code", reasonEn: "This unit is outside your unit." });
  });
});
