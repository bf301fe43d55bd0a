import { describe, expect, it } from "vitest";
import {
  columnLetter,
  foldKey,
  headerField,
  looksLikeFormula,
  normaliseName,
  parseCategory,
  parseFlag,
  parseStatus,
  RosterValidator,
  type RosterCheckOptions,
} from "./roster-fields";

const KNOWN = new Set(["VN", "01", "00070", "00082", "00001", "G09", "96"]);
const HANOI = new Set(["01", "00070", "00082", "00001"]);
const options: RosterCheckOptions = { knownUnitCodes: KNOWN, allowedUnitCodes: (c) => HANOI.has(c) };
const HEADER = ["staff_code", "full_name", "unit_code", "category", "is_it_dx", "is_leader", "status"];

function validate(rows: string[][], opts: Partial<RosterCheckOptions> = {}) {
  const v = new RosterValidator({ ...options, ...opts });
  rows.forEach((cells, i) => v.feed(i + 1, cells));
  return v.finish();
}

describe("header recognition", () => {
  it.each([
    ["staff_code", "staff_code"],
    ["Staff Code", "staff_code"],
    ["Mã cán bộ", "staff_code"],
    ["MÃ CÁN BỘ", "staff_code"],
    ["ma_can_bo", "staff_code"],
    ["Mã nhân sự", "staff_code"],
    ["Họ và tên", "full_name"],
    ["họ tên", "full_name"],
    ["Mã đơn vị", "unit_code"],
    ["unit_code", "unit_code"],
    ["Ngạch/Loại", "category"],
    ["Loại", "category"],
    ["CNTT/CĐS", "is_it_dx"],
    ["Cán bộ CNTT", "is_it_dx"],
    ["is_it_dx", "is_it_dx"],
    ["Lãnh đạo", "is_leader"],
    ["Trạng thái", "status"],
    [" status ", "status"],
    ["Tên", null], // a split given-name column must not be taken for the full name
    ["Đơn vị", null], // a unit name is not a unit code
    ["Ngạch", null], // a civil-service grade is not the category
  ])("%j → %s", (header, field) => {
    expect(headerField(header)).toBe(field);
  });

  it("folds NFD input the same as NFC", () => {
    expect(foldKey("Mã cán bộ".normalize("NFD"))).toBe("ma can bo");
    expect(foldKey("ĐANG LÀM VIỆC")).toBe("dang lam viec");
  });
});

describe("value vocabularies", () => {
  it.each([
    ["cadre", "cadre"],
    ["Cán bộ", "cadre"],
    ["công chức", "civil_servant"],
    ["CIVIL_SERVANT", "civil_servant"],
    ["Viên chức", "public_employee"],
    ["public employee", "public_employee"],
    ["cán bộ cấp xã", "commune_official"],
    ["Công chức cấp xã", "commune_official"],
    ["commune_official", "commune_official"],
    ["giáo viên", null],
    ["", null],
  ])("category %j → %s", (raw, want) => {
    expect(parseCategory(raw)).toBe(want);
  });

  it.each([
    ["1", true],
    ["true", true],
    ["TRUE", true],
    ["có", true],
    ["Có", true],
    ["x", true],
    ["yes", true],
    ["0", false],
    ["false", false],
    ["không", false],
    ["no", false],
    ["", false],
    ["  ", false],
    ["✓", null],
    ["maybe", null],
  ])("flag %j → %s", (raw, want) => {
    expect(parseFlag(raw)).toBe(want);
  });

  it.each([
    ["active", "active"],
    ["Đang làm việc", "active"],
    ["", "active"],
    ["left", "left"],
    ["nghỉ việc", "left"],
    ["Đã nghỉ", "left"],
    ["on leave", null],
  ])("status %j → %s", (raw, want) => {
    expect(parseStatus(raw)).toBe(want);
  });

  it.each([
    ["=1+2", true],
    ["+84 912 345 678", true],
    ["-2+3+cmd|' /C calc'!A0", true],
    ["@SUM(A1)", true],
    ["  =A1", true],
    ["-5", false],
    ["+3.5", false],
    ["Nguyễn Văn A", false],
    ["HN-001", false],
  ])("looksLikeFormula(%j) = %s", (raw, want) => {
    expect(looksLikeFormula(raw)).toBe(want);
  });

  it("normalises names to NFC with single spaces", () => {
    expect(normaliseName("  Nguyễn   Văn\tAn ".normalize("NFD"))).toBe("Nguyễn Văn An".normalize("NFC"));
    expect(normaliseName("Nguyễn Văn An".normalize("NFD")).length).toBe("Nguyễn Văn An".normalize("NFC").length);
  });

  it("names columns like Excel", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
  });
});

describe("RosterValidator", () => {
  it("accepts a clean row and maps every field", () => {
    const r = validate([HEADER, ["HN-1", "  Nguyễn  Văn An ", "00070", "công chức cấp xã", "có", "", "đang làm việc"]]);
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { row: 2, staffCode: "HN-1", fullName: "Nguyễn Văn An", unitCode: "00070", category: "commune_official", isItDx: true, isLeader: false, status: "active" },
    ]);
    expect(r.columns).toEqual(HEADER);
    expect(r.headerRow).toBe(1);
  });

  it("leaves flags undefined and status active when the columns are absent", () => {
    const r = validate([["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Loại", "Ghi chú"], ["HN-1", "An", "01", "cán bộ", "note"]]);
    expect(r.errors).toEqual([]);
    expect(r.rows[0]).toEqual({ row: 2, staffCode: "HN-1", fullName: "An", unitCode: "01", category: "cadre", status: "active" });
    expect(r.ignoredHeaders).toEqual(["Ghi chú"]);
  });

  type Case = [string, string[], { column: string; value?: string; en: RegExp; vi: RegExp }];
  it.each<Case>([
    ["missing staff code", ["", "An", "01", "cadre", "", "", ""], { column: "staff_code", en: /Staff code is missing/, vi: /Thiếu mã cán bộ/ }],
    ["bad staff code", ["HN 1/2", "An", "01", "cadre", "", "", ""], { column: "staff_code", value: "HN 1/2", en: /letters A–Z, digits/, vi: /chữ cái không dấu/ }],
    ["staff code over 32", ["A".repeat(33), "An", "01", "cadre", "", "", ""], { column: "staff_code", en: /at most 32/, vi: /tối đa 32/ }],
    ["missing name", ["HN-1", "   ", "01", "cadre", "", "", ""], { column: "full_name", en: /Full name is missing/, vi: /Thiếu họ và tên/ }],
    ["name without letters", ["HN-1", "1234", "01", "cadre", "", "", ""], { column: "full_name", en: /letters/, vi: /chữ cái/ }],
    ["unknown unit", ["HN-1", "An", "99999", "cadre", "", "", ""], { column: "unit_code", value: "99999", en: /^Unknown unit code\.$/, vi: /không tồn tại/ }],
    ["unit outside the importer's subtree", ["HN-1", "An", "G09", "cadre", "", "", ""], { column: "unit_code", value: "G09", en: /outside your unit/, vi: /ngoài phạm vi/ }],
    ["ambiguous stripped zeros", ["HN-1", "An", "1", "cadre", "", "", ""], { column: "unit_code", en: /did you mean 01, 00001\?.*leading zeros/, vi: /số 0 ở đầu/ }],
    ["bad category", ["HN-1", "An", "01", "giáo viên", "", "", ""], { column: "category", value: "giáo viên", en: /Unknown category/, vi: /Loại không hợp lệ/ }],
    ["missing category", ["HN-1", "An", "01", "", "", "", ""], { column: "category", en: /Category is missing/, vi: /Thiếu loại/ }],
    ["bad flag", ["HN-1", "An", "01", "cadre", "✓", "", ""], { column: "is_it_dx", value: "✓", en: /yes\/no/, vi: /có\/không/ }],
    ["bad leader flag", ["HN-1", "An", "01", "cadre", "", "maybe", ""], { column: "is_leader", value: "maybe", en: /yes\/no/, vi: /có\/không/ }],
    ["bad status", ["HN-1", "An", "01", "cadre", "", "", "on leave"], { column: "status", value: "on leave", en: /active or left/, vi: /nghỉ việc/ }],
    ["formula in a name", ["HN-1", '=HYPERLINK("http://x")', "01", "cadre", "", "", ""], { column: "full_name", en: /spreadsheet formula/, vi: /công thức/ }],
    ["formula in a staff code", ["@x", "An", "01", "cadre", "", "", ""], { column: "staff_code", en: /spreadsheet formula/, vi: /công thức/ }],
    ["overlong cell", ["HN-1", "A".repeat(201), "01", "cadre", "", "", ""], { column: "full_name", en: /201 characters, at most 200/, vi: /201 ký tự/ }],
  ])("rejects %s", (_name, cells, want) => {
    const r = validate([HEADER, ["HN-0", "Ok", "01", "cadre", "", "", ""], cells]);
    expect(r.rows.map((x) => x.staffCode)).toEqual(["HN-0"]);
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0]!;
    expect(e.row).toBe(3);
    expect(e.column).toBe(want.column);
    if (want.value !== undefined) expect(e.value).toBe(want.value);
    expect(e.reasonEn).toMatch(want.en);
    expect(e.reasonVi).toMatch(want.vi);
    expect(r.errorCount).toBe(1);
  });

  it("reports several problems of one row, with the file's own header text", () => {
    const r = validate([["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Loại"], ["x y", "", "99999", "?"]]);
    expect(r.errors.map((e) => [e.row, e.column, e.field])).toEqual([
      [2, "Mã cán bộ", "staff_code"],
      [2, "Họ và tên", "full_name"],
      [2, "Mã đơn vị", "unit_code"],
      [2, "Loại", "category"],
    ]);
  });

  it("flags the second occurrence of a staff code, naming the first row", () => {
    const r = validate([HEADER, ["HN-1", "An", "01", "cadre"], ["HN-2", "Bình", "01", "cadre"], [], ["HN-1", "Chi", "01", "cadre"]]);
    expect(r.rows.map((x) => x.row)).toEqual([2, 3]);
    expect(r.errors).toMatchObject([{ row: 5, column: "staff_code", value: "HN-1", reasonEn: "Duplicate staff code: already used on row 2." }]);
  });

  it("keeps staff codes of rows with other errors, so a full import does not mark them as leaving", () => {
    const r = validate([HEADER, ["HN-1", "An", "99999", "cadre"], ["HN-2", "Bình", "01", "cadre"]]);
    expect(r.staffCodesSeen).toEqual(["HN-1", "HN-2"]);
    expect(r.rows.map((x) => x.staffCode)).toEqual(["HN-2"]);
  });

  it("accepts upper-cased codes and restores leading zeros Excel dropped, with a warning", () => {
    const r = validate([HEADER, ["HN-1", "An", "70", "cán bộ cấp xã"], ["HN-2", "Bình", "g09", "cadre"]], { allowedUnitCodes: undefined });
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => x.unitCode)).toEqual(["00070", "G09"]);
    expect(r.warnings).toMatchObject([{ row: 2, column: "unit_code", value: "70", reasonEn: expect.stringMatching(/"70" as "00070"/) }]);
  });

  it("takes a lookup function for known units", () => {
    const r = validate([HEADER, ["HN-1", "An", "00070", "cadre"]], { knownUnitCodes: (c) => c === "00070", allowedUnitCodes: undefined });
    expect(r.errors).toEqual([]);
  });

  it("skips a title above the header and keeps spreadsheet row numbers", () => {
    const r = validate([["DANH SÁCH CÁN BỘ, CÔNG CHỨC NĂM 2026"], [], HEADER, ["HN-1", "An", "01", "cadre"], ["", "", "", ""], ["HN-2", "", "01", "cadre"]]);
    expect(r.headerRow).toBe(3);
    expect(r.rows.map((x) => x.row)).toEqual([4]);
    expect(r.errors.map((e) => e.row)).toEqual([6]);
    expect(r.dataRowCount).toBe(2);
  });

  it("lists found and missing headers in one file-level error", () => {
    const r = validate([["Mã cán bộ", "Họ và tên", "Ghi chú"], ["HN-1", "An", "x"]]);
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0]!;
    expect(e.row).toBe(1);
    expect(e.column).toBe("unit_code, category");
    expect(e.reasonEn).toMatch(/Missing required column\(s\): unit_code, category\. Columns found on row 1: “Mã cán bộ”, “Họ và tên”, “Ghi chú”/);
    expect(e.reasonVi).toMatch(/Thiếu cột bắt buộc: Mã đơn vị \(unit_code\), Loại .*\(category\)/);
    expect(r.rows).toEqual([]);
  });

  it("reports a file with no recognisable header at all, naming its first row", () => {
    const r = validate([["a", "b"], ["1", "2"]]);
    expect(r.errors).toMatchObject([{ row: 1, value: "a, b", reasonEn: expect.stringMatching(/Missing required column\(s\): staff_code, full_name, unit_code, category/) }]);
  });

  it("refuses a header that names a field twice", () => {
    const r = validate([["Mã cán bộ", "staff_code", "Họ và tên", "Mã đơn vị", "Loại"]]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.reasonEn).toMatch(/staff_code column appears twice \(column A "Mã cán bộ" and column B "staff_code"\)/);
  });

  it.each([
    [[], /empty/],
    [[HEADER], /no data rows/],
  ])("refuses an empty file or a header without data (a full import would mark everyone as left)", (rows, message) => {
    const r = validate(rows);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.reasonEn).toMatch(message);
  });

  it("stops with a clear error past the row limit", () => {
    const v = new RosterValidator({ ...options, maxRows: 3 });
    expect(v.feed(1, HEADER)).toBe("continue");
    for (let i = 0; i < 3; i++) expect(v.feed(i + 2, [`HN-${i}`, "An", "01", "cadre"])).toBe("continue");
    expect(v.feed(5, ["HN-9", "An", "01", "cadre"])).toBe("stop");
    const r = v.finish();
    expect(r.rows).toHaveLength(3);
    expect(r.errors).toMatchObject([{ row: 5, reasonEn: expect.stringMatching(/more than 3 data rows/) }]);
  });

  it("keeps at most maxErrors errors but counts them all", () => {
    const rows = [HEADER, ...Array.from({ length: 50 }, (_, i) => [`HN-${i}`, "An", "99999", "cadre"])];
    const r = validate(rows, { maxErrors: 10 });
    expect(r.errors).toHaveLength(10);
    expect(r.errorCount).toBe(50);
  });
});
