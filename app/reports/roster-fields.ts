/**
 * Roster import, the pure half: header recognition (English or Vietnamese, any case, with or without
 * diacritics), value vocabularies, and row validation. `roster-parse.server.ts` turns CSV / XLSX bytes into rows
 * of cell strings and feeds them to a `RosterValidator`; everything that decides what a cell means is here.
 */
import { PERSON_CATEGORIES, type PersonCategory } from "#db/schema/org";

export const ROSTER_FIELDS = ["staff_code", "full_name", "unit_code", "category", "is_it_dx", "is_leader", "status"] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];
export const REQUIRED_ROSTER_FIELDS: readonly RosterField[] = ["staff_code", "full_name", "unit_code", "category"];

export type EmploymentStatus = "active" | "left";

export interface RosterRow {
  /** Spreadsheet row number (header = row 1 when it is the first line). */
  row: number;
  staffCode: string;
  fullName: string;
  unitCode: string;
  category: PersonCategory;
  /** undefined when the file has no such column: the import then keeps the person's current flag. */
  isItDx?: boolean;
  isLeader?: boolean;
  /** 'active' when the file has no status column or the cell is blank: being on the roster means employed. */
  status: EmploymentStatus;
}

export interface RowError {
  /** Spreadsheet row (1-based, as Excel shows it); 0 for a problem with the whole file (encoding, format). */
  row: number;
  /** The column's header as written in the file (or the canonical field name when the column is missing). */
  column: string;
  value: string;
  reasonVi: string;
  reasonEn: string;
  /** Canonical field, when the problem is about one. */
  field?: RosterField;
}

export const FIELD_LABELS: Record<RosterField, { vi: string; en: string }> = {
  staff_code: { vi: "Mã cán bộ", en: "staff_code" },
  full_name: { vi: "Họ và tên", en: "full_name" },
  unit_code: { vi: "Mã đơn vị", en: "unit_code" },
  category: { vi: "Loại (cán bộ/công chức/viên chức)", en: "category" },
  is_it_dx: { vi: "CNTT/CĐS", en: "is_it_dx" },
  is_leader: { vi: "Lãnh đạo", en: "is_leader" },
  status: { vi: "Trạng thái", en: "status" },
};

/** Lower case, no diacritics (đ → d), runs of anything but a–z/0–9 become one space: "Mã_cán bộ" → "ma can bo". */
export function foldKey(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const HEADER_ALIASES: Record<RosterField, string[]> = {
  staff_code: ["staff code", "staff id", "employee code", "employee id", "ma can bo", "ma cb", "ma nhan su", "ma ns", "ma nhan vien", "ma cong chuc", "ma cbcc", "ma cbccvc", "ma so can bo", "so hieu can bo"],
  full_name: ["full name", "name", "ho va ten", "ho ten", "ho va ten can bo", "ten can bo"],
  unit_code: ["unit code", "unit id", "org unit code", "ma don vi", "ma dv", "ma co quan", "ma don vi cong tac"],
  category: ["category", "loai", "ngach loai", "loai can bo", "loai cbccvc", "phan loai", "doi tuong"],
  is_it_dx: ["is it dx", "it dx", "is itdx", "cntt cds", "cntt", "cds", "can bo cntt", "can bo cntt cds", "chuyen trach cntt", "cntt chuyen doi so"],
  is_leader: ["is leader", "leader", "lanh dao", "la lanh dao", "can bo lanh dao", "lanh dao quan ly"],
  status: ["status", "employment status", "trang thai", "tinh trang", "trang thai lam viec"],
};
const HEADER_LOOKUP = new Map<string, RosterField>();
for (const field of ROSTER_FIELDS) for (const alias of HEADER_ALIASES[field]) HEADER_LOOKUP.set(alias, field);
// The canonical names fold to "staff code" etc. and are in the list; "is_it_dx" folds to "is it dx".

export function headerField(header: string): RosterField | null {
  return HEADER_LOOKUP.get(foldKey(header)) ?? null;
}

const CATEGORY_VALUES: Record<PersonCategory, string[]> = {
  cadre: ["cadre", "can bo", "cb"],
  civil_servant: ["civil servant", "cong chuc", "cc"],
  public_employee: ["public employee", "vien chuc", "vc"],
  commune_official: ["commune official", "can bo cap xa", "cong chuc cap xa", "can bo cong chuc cap xa", "cbcc cap xa", "can bo xa", "cong chuc xa"],
};
const CATEGORY_LOOKUP = new Map<string, PersonCategory>();
for (const c of PERSON_CATEGORIES) for (const v of CATEGORY_VALUES[c]) CATEGORY_LOOKUP.set(v, c);

const TRUE_VALUES = new Set(["1", "true", "yes", "y", "x", "co"]);
const FALSE_VALUES = new Set(["0", "false", "no", "n", "khong"]);
const ACTIVE_VALUES = new Set(["active", "dang lam viec", "dang cong tac", "con lam viec", "lam viec"]);
const LEFT_VALUES = new Set(["left", "nghi viec", "da nghi", "da nghi viec", "thoi viec", "nghi huu", "da nghi huu"]);

/** A category from its code or Vietnamese label; null when not recognised. */
export function parseCategory(raw: string): PersonCategory | null {
  return CATEGORY_LOOKUP.get(foldKey(raw)) ?? null;
}

/** Yes/no; blank is no. null when not recognised (a "✓" must not fold to blank and silently mean no). */
export function parseFlag(raw: string): boolean | null {
  const t = raw.trim();
  if (t === "") return false;
  const k = foldKey(t);
  if (TRUE_VALUES.has(k)) return true;
  if (FALSE_VALUES.has(k)) return false;
  return null;
}

/** Blank means active. */
export function parseStatus(raw: string): EmploymentStatus | null {
  const t = raw.trim();
  if (t === "") return "active";
  const k = foldKey(t);
  if (ACTIVE_VALUES.has(k)) return "active";
  if (LEFT_VALUES.has(k)) return "left";
  return null;
}

/** NFC, whitespace runs collapsed to one space, trimmed. */
export function normaliseName(raw: string): string {
  return raw.normalize("NFC").replace(/\s+/gu, " ").trim();
}

export const STAFF_CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const MAX_CELL_LENGTH = 200;
export const DEFAULT_MAX_ROWS = 200_000;
export const DEFAULT_MAX_ERRORS = 1_000;
/** Rows before the header (a title, a date line) tolerated while looking for it. */
const HEADER_SEARCH_ROWS = 20;

const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/;

/** A cell Excel or LibreOffice would run as a formula (and that is not just a signed number). */
export function looksLikeFormula(value: string): boolean {
  const t = value.trim();
  return /^[=+\-@]/.test(t) && !PLAIN_NUMBER.test(t);
}

export interface RosterCheckOptions {
  /** Every org unit code that exists (a Set, or a lookup for big trees). */
  knownUnitCodes: ReadonlySet<string> | ((code: string) => boolean);
  /** Units the importer may write to (their subtree). Absent = every known unit. */
  allowedUnitCodes?: (code: string) => boolean;
  /** Data rows accepted before the file is refused (default 200,000). */
  maxRows?: number;
  /** Row errors kept in `errors` (default 1,000); `errorCount` still counts them all. */
  maxErrors?: number;
}

export interface RosterParseResult {
  rows: RosterRow[];
  errors: RowError[];
  /** Total errors, including any not kept because of `maxErrors`. */
  errorCount: number;
  /** Accepted with a correction the user should know about (a unit code whose leading zeros Excel dropped). */
  warnings: RowError[];
  /** Every well-formed staff code in the file, including rows with other errors: a full import must not treat
   * a person whose row has a typo elsewhere as having left. */
  staffCodesSeen: string[];
  /** Fields the file has a column for. */
  columns: RosterField[];
  /** Header cells that matched no field (ignored). */
  ignoredHeaders: string[];
  /** Non-blank rows after the header. */
  dataRowCount: number;
  headerRow: number | null;
}

type Cells = readonly (string | null | undefined)[];

const err = (row: number, column: string, value: string, reasonVi: string, reasonEn: string, field?: RosterField): RowError =>
  field ? { row, column, value, reasonVi, reasonEn, field } : { row, column, value, reasonVi, reasonEn };

/**
 * Feed rows in file order (`feed` returns "stop" once going on is pointless: bad header, too many rows), then
 * call `finish`. Blank rows are skipped but keep their numbers, so reported rows match the spreadsheet.
 */
export class RosterValidator {
  private readonly isKnown: (code: string) => boolean;
  private readonly isAllowed: (code: string) => boolean;
  private readonly maxRows: number;
  private readonly maxErrors: number;

  private header: { row: number; index: Partial<Record<RosterField, number>>; labels: string[] } | null = null;
  private firstNonBlank: { row: number; cells: string[] } | null = null;
  private nonBlankBeforeHeader = 0;
  private stopped = false;

  private readonly rows: RosterRow[] = [];
  private readonly errors: RowError[] = [];
  private readonly warnings: RowError[] = [];
  private errorCount = 0;
  private dataRowCount = 0;
  private readonly firstRowOfStaffCode = new Map<string, number>();
  private ignoredHeaders: string[] = [];

  constructor(options: RosterCheckOptions) {
    const known = options.knownUnitCodes;
    this.isKnown = typeof known === "function" ? known : (c) => known.has(c);
    this.isAllowed = options.allowedUnitCodes ?? (() => true);
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** A problem with the file as a whole; always kept, and stops the validation. */
  fileError(row: number, column: string, value: string, reasonVi: string, reasonEn: string): void {
    this.errors.push(err(row, column, value, reasonVi, reasonEn));
    this.errorCount++;
    this.stopped = true;
  }

  /** A problem the reader found in a row (a malformed quote, say); the row is still validated. */
  rowError(e: RowError): void {
    this.addError(e);
  }

  feed(rowNumber: number, rawCells: Cells): "continue" | "stop" {
    if (this.stopped) return "stop";
    const cells = rawCells.map((c) => (c == null ? "" : String(c)));
    if (cells.every((c) => c.trim() === "")) return "continue";

    if (this.header === null) {
      this.findHeader(rowNumber, cells);
      return this.stopped ? "stop" : "continue";
    }

    this.dataRowCount++;
    if (this.dataRowCount > this.maxRows) {
      this.dataRowCount--;
      this.fileError(
        rowNumber,
        "",
        "",
        `Tệp có hơn ${fmt(this.maxRows)} dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn (theo đơn vị) và nhập lần lượt.`,
        `The file has more than ${fmt(this.maxRows)} data rows; split it into smaller files (by unit) and import them one after another.`,
      );
      return "stop";
    }
    this.checkRow(rowNumber, cells);
    return "continue";
  }

  finish(): RosterParseResult {
    if (!this.stopped) {
      if (this.header === null) {
        if (this.firstNonBlank === null) {
          this.fileError(0, "", "", "Tệp trống: không có dòng tiêu đề cột.", "The file is empty: there is no header row.");
        } else {
          this.missingHeaders(this.firstNonBlank.row, this.firstNonBlank.cells, REQUIRED_ROSTER_FIELDS);
        }
      } else if (this.dataRowCount === 0) {
        this.fileError(
          this.header.row,
          "",
          "",
          "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.",
          "The file has a header row but no data rows.",
        );
      }
    }
    const index = this.header?.index ?? {};
    return {
      rows: this.rows,
      errors: this.errors,
      errorCount: this.errorCount,
      warnings: this.warnings,
      staffCodesSeen: [...this.firstRowOfStaffCode.keys()],
      columns: ROSTER_FIELDS.filter((f) => index[f] !== undefined),
      ignoredHeaders: this.ignoredHeaders,
      dataRowCount: this.dataRowCount,
      headerRow: this.header?.row ?? null,
    };
  }

  private findHeader(rowNumber: number, cells: string[]): void {
    if (this.firstNonBlank === null) this.firstNonBlank = { row: rowNumber, cells };
    this.nonBlankBeforeHeader++;
    const recognised = cells.filter((c) => headerField(c) !== null).length;
    // A title line ("DANH SÁCH CÁN BỘ…") above the header is common; a real header names at least two fields.
    if (recognised < 2) {
      if (this.nonBlankBeforeHeader >= HEADER_SEARCH_ROWS) {
        this.missingHeaders(this.firstNonBlank.row, this.firstNonBlank.cells, REQUIRED_ROSTER_FIELDS);
      }
      return;
    }
    const index: Partial<Record<RosterField, number>> = {};
    const labels = cells.map((c) => c.trim());
    const ignored: string[] = [];
    for (let i = 0; i < cells.length; i++) {
      const label = labels[i]!;
      if (label === "") continue;
      const field = headerField(label);
      if (field === null) {
        ignored.push(label);
        continue;
      }
      const seen = index[field];
      if (seen !== undefined) {
        this.fileError(
          rowNumber,
          label,
          label,
          `Cột “${FIELD_LABELS[field].vi}” xuất hiện hai lần (cột ${columnLetter(seen)} “${labels[seen]}” và cột ${columnLetter(i)} “${label}”); hãy xoá một cột.`,
          `The ${field} column appears twice (column ${columnLetter(seen)} "${labels[seen]}" and column ${columnLetter(i)} "${label}"); remove one.`,
        );
        return;
      }
      index[field] = i;
    }
    const missing = REQUIRED_ROSTER_FIELDS.filter((f) => index[f] === undefined);
    if (missing.length > 0) {
      this.missingHeaders(rowNumber, cells, missing);
      return;
    }
    this.header = { row: rowNumber, index, labels };
    this.ignoredHeaders = ignored;
  }

  private missingHeaders(rowNumber: number, cells: string[], missing: readonly RosterField[]): void {
    const found = cells.map((c) => c.trim()).filter((c) => c !== "");
    const foundText = found.length > 0 ? found.map((c) => `“${c}”`).join(", ") : "(không có / none)";
    this.fileError(
      rowNumber,
      missing.join(", "),
      found.join(", "),
      `Thiếu cột bắt buộc: ${missing.map((f) => `${FIELD_LABELS[f].vi} (${f})`).join(", ")}. Các cột tìm thấy ở dòng ${rowNumber}: ${foundText}. Cần có các cột: mã cán bộ, họ và tên, mã đơn vị, loại; có thể thêm CNTT/CĐS, lãnh đạo, trạng thái.`,
      `Missing required column(s): ${missing.join(", ")}. Columns found on row ${rowNumber}: ${foundText.replace("(không có / none)", "none")}. Required: staff_code, full_name, unit_code, category; optional: is_it_dx, is_leader, status.`,
    );
  }

  private addError(e: RowError): void {
    this.errorCount++;
    if (this.errors.length < this.maxErrors) this.errors.push(e);
  }

  private checkRow(rowNumber: number, cells: string[]): void {
    const { index, labels } = this.header!;
    let ok = true;
    const fail = (field: RosterField, value: string, reasonVi: string, reasonEn: string) => {
      ok = false;
      const i = index[field];
      this.addError(err(rowNumber, i === undefined ? field : labels[i]!, value, reasonVi, reasonEn, field));
    };
    const cellOf = (field: RosterField): string | undefined => {
      const i = index[field];
      return i === undefined ? undefined : (cells[i] ?? "");
    };

    // Generic checks first: an overlong or formula-looking cell is not examined further.
    const usable: Partial<Record<RosterField, string>> = {};
    for (const field of ROSTER_FIELDS) {
      const raw = cellOf(field);
      if (raw === undefined) continue;
      if (raw.length > MAX_CELL_LENGTH) {
        fail(field, raw.slice(0, 50) + "…", `Ô quá dài (${raw.length} ký tự, tối đa ${MAX_CELL_LENGTH}).`, `Cell too long (${raw.length} characters, at most ${MAX_CELL_LENGTH}).`);
        continue;
      }
      if (looksLikeFormula(raw)) {
        fail(
          field,
          raw,
          "Ô trông giống công thức bảng tính (bắt đầu bằng =, +, - hoặc @); hãy bỏ ký tự đầu hoặc nhập dưới dạng văn bản.",
          "Looks like a spreadsheet formula (starts with =, +, - or @); remove the first character or enter it as text.",
        );
        continue;
      }
      usable[field] = raw;
    }

    // staff_code
    let staffCode: string | null = null;
    const rawCode = usable.staff_code;
    if (rawCode !== undefined) {
      const code = rawCode.trim();
      if (code === "") fail("staff_code", rawCode, "Thiếu mã cán bộ.", "Staff code is missing.");
      else if (!STAFF_CODE_PATTERN.test(code)) {
        fail(
          "staff_code",
          rawCode,
          "Mã cán bộ chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-) và gạch dưới (_), tối đa 32 ký tự.",
          "Staff code may contain only letters A–Z, digits, - and _, at most 32 characters.",
        );
      } else {
        const first = this.firstRowOfStaffCode.get(code);
        if (first !== undefined) {
          fail("staff_code", code, `Mã cán bộ bị trùng: đã có ở dòng ${first}.`, `Duplicate staff code: already used on row ${first}.`);
        } else {
          this.firstRowOfStaffCode.set(code, rowNumber);
          staffCode = code;
        }
      }
    }

    // full_name
    let fullName: string | null = null;
    if (usable.full_name !== undefined) {
      const name = normaliseName(usable.full_name);
      if (name === "") fail("full_name", usable.full_name, "Thiếu họ và tên.", "Full name is missing.");
      else if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
        fail("full_name", usable.full_name, "Họ và tên chứa ký tự điều khiển không hợp lệ.", "Full name contains invalid control characters.");
      } else if (!/\p{L}/u.test(name)) {
        fail("full_name", usable.full_name, "Họ và tên phải có chữ cái.", "Full name must contain letters.");
      } else fullName = name;
    }

    // unit_code
    let unitCode: string | null = null;
    if (usable.unit_code !== undefined) {
      const raw = usable.unit_code;
      const code = raw.trim();
      if (code === "") fail("unit_code", raw, "Thiếu mã đơn vị.", "Unit code is missing.");
      else {
        const resolved = this.resolveUnitCode(code);
        if (resolved.kind === "unknown") {
          fail("unit_code", raw, "Mã đơn vị không tồn tại.", "Unknown unit code.");
        } else if (resolved.kind === "ambiguous") {
          const list = resolved.candidates.join(", ");
          fail(
            "unit_code",
            raw,
            `Mã đơn vị không tồn tại; có phải là ${list}? Excel có thể đã bỏ số 0 ở đầu — hãy định dạng cột là Văn bản (Text).`,
            `Unknown unit code; did you mean ${list}? Excel may have removed leading zeros — format the column as Text.`,
          );
        } else if (!this.isAllowed(resolved.code)) {
          fail("unit_code", raw, "Đơn vị này nằm ngoài phạm vi đơn vị của bạn.", "This unit is outside your unit.");
        } else {
          unitCode = resolved.code;
          if (resolved.kind === "padded") {
            const i = index.unit_code!;
            this.warnings.push(
              err(
                rowNumber,
                labels[i]!,
                raw,
                `Đã hiểu mã đơn vị “${code}” là “${resolved.code}” (Excel đã bỏ số 0 ở đầu). Hãy định dạng cột là Văn bản (Text) để tránh lỗi này.`,
                `Read unit code "${code}" as "${resolved.code}" (Excel removed the leading zeros). Format the column as Text to avoid this.`,
                "unit_code",
              ),
            );
          }
        }
      }
    }

    // category
    let category: PersonCategory | null = null;
    if (usable.category !== undefined) {
      const raw = usable.category;
      if (raw.trim() === "") fail("category", raw, "Thiếu loại cán bộ.", "Category is missing.");
      else {
        category = parseCategory(raw);
        if (category === null) {
          fail(
            "category",
            raw,
            "Loại không hợp lệ; dùng: cán bộ, công chức, viên chức, cán bộ cấp xã / công chức cấp xã (hoặc cadre, civil_servant, public_employee, commune_official).",
            "Unknown category; use cadre, civil_servant, public_employee or commune_official (or cán bộ, công chức, viên chức, cán bộ cấp xã).",
          );
        }
      }
    }

    // flags and status (optional columns)
    const flag = (field: "is_it_dx" | "is_leader"): boolean | undefined => {
      const raw = usable[field];
      if (raw === undefined) return undefined;
      const v = parseFlag(raw);
      if (v === null) {
        fail(field, raw, "Giá trị không hợp lệ; dùng có/không, 1/0, x hoặc để trống.", "Invalid value; use yes/no, 1/0, true/false, có/không, x, or leave blank.");
        return undefined;
      }
      return v;
    };
    const isItDx = flag("is_it_dx");
    const isLeader = flag("is_leader");
    let status: EmploymentStatus = "active";
    if (usable.status !== undefined) {
      const v = parseStatus(usable.status);
      if (v === null) {
        fail(
          "status",
          usable.status,
          "Trạng thái không hợp lệ; dùng “đang làm việc” hoặc “nghỉ việc” (active / left).",
          'Invalid status; use active or left (or "đang làm việc" / "nghỉ việc").',
        );
      } else status = v;
    }

    if (!ok || staffCode === null || fullName === null || unitCode === null || category === null) return;
    const row: RosterRow = { row: rowNumber, staffCode, fullName, unitCode, category, status };
    if (isItDx !== undefined) row.isItDx = isItDx;
    if (isLeader !== undefined) row.isLeader = isLeader;
    this.rows.push(row);
  }

  /**
   * Exact code, else upper case ("g06" → "G06"), else, for a number Excel stripped of its leading zeros, the
   * 2-digit province or 5-digit commune code it must have been — only when exactly one of them exists.
   */
  private resolveUnitCode(
    code: string,
  ): { kind: "exact" | "padded"; code: string } | { kind: "unknown" } | { kind: "ambiguous"; candidates: string[] } {
    if (this.isKnown(code)) return { kind: "exact", code };
    const upper = code.toUpperCase();
    if (upper !== code && this.isKnown(upper)) return { kind: "exact", code: upper };
    if (/^\d{1,4}$/.test(code)) {
      const candidates = [...new Set([code.padStart(2, "0"), code.padStart(5, "0")])].filter((c) => c !== code && this.isKnown(c));
      if (candidates.length === 1) return { kind: "padded", code: candidates[0]! };
      if (candidates.length > 1) return { kind: "ambiguous", candidates };
    }
    return { kind: "unknown" };
  }
}

/** "A", "B", … "Z", "AA" for a 0-based column index. */
export function columnLetter(i: number): string {
  let n = i + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
