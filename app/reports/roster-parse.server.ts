/**
 * Reads an uploaded roster (CSV or XLSX) into validated rows. Decoding and cell extraction live here; what a
 * cell means is decided in `roster-fields.ts`. The format is chosen by content (an XLSX is a zip), not by name.
 */
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { RosterValidator, type RosterCheckOptions, type RosterParseResult } from "./roster-fields";

export type RosterFileFormat = "csv" | "xlsx";
export type TextEncodingName = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be";

export interface ParsedRosterFile extends RosterParseResult {
  format: RosterFileFormat | null;
  encoding: TextEncodingName | null;
  delimiter: string | null;
}

const NOT_UTF8_VI =
  "Tệp không phải mã hoá UTF-8 (có thể là Windows-1258/ANSI hoặc TCVN3) — hãy mở bằng Excel và lưu lại bằng “Save As → CSV UTF-8 (Comma delimited) (*.csv)”, hoặc lưu dạng .xlsx.";
const NOT_UTF8_EN =
  'The file is not UTF-8 (it may be Windows-1258/ANSI or TCVN3) — open it in Excel and save it as CSV UTF-8 ("Save As → CSV UTF-8 (Comma delimited) (*.csv)"), or as .xlsx.';

/**
 * Text of a CSV file. UTF-8 with or without BOM and UTF-16 with a BOM (Excel's "Unicode Text") are accepted.
 * Anything else is refused rather than guessed: reading Windows-1258 as Latin-1 would import mangled names.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: TextEncodingName } | { reasonVi: string; reasonEn: string } {
  try {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3)), encoding: "utf-8-bom" };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      return { text: new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2)), encoding: "utf-16le" };
    }
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      return { text: new TextDecoder("utf-16be", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2)), encoding: "utf-16be" };
    }
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    // UTF-16 without a BOM, or a binary file, decodes as "valid" UTF-8 full of NULs.
    if (text.includes("\u0000")) return { reasonVi: NOT_UTF8_VI, reasonEn: NOT_UTF8_EN };
    return { text, encoding: "utf-8" };
  } catch {
    return { reasonVi: NOT_UTF8_VI, reasonEn: NOT_UTF8_EN };
  }
}

const DELIMITERS = [",", ";", "\t"] as const;

/**
 * The delimiter used by the first lines: Excel in a Vietnamese or European locale writes ";" and "Unicode
 * Text" uses tabs. The delimiter with the highest count on any of the first 20 non-blank lines wins; "," on a tie.
 */
export function detectDelimiter(text: string): string {
  const best = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let lines = 0;
  for (const line of text.split(/\r\n|\n|\r/, 200)) {
    if (line.trim() === "") continue;
    if (++lines > 20) break;
    let inQuotes = false;
    const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
    for (const ch of line) {
      if (ch === '"') inQuotes = !inQuotes;
      else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
    }
    for (const d of DELIMITERS) best.set(d, Math.max(best.get(d)!, counts.get(d)!));
  }
  let choice: string = ",";
  for (const d of DELIMITERS) if (best.get(d)! > best.get(choice)!) choice = d;
  return choice;
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/**
 * Parse and validate a roster file. Never throws for bad input: every problem is a `RowError` (row 0 for the
 * whole file). The rows are only safe to import when `errorCount` is 0.
 */
export async function parseRosterFile(data: Uint8Array, fileName: string, options: RosterCheckOptions): Promise<ParsedRosterFile> {
  const v = new RosterValidator(options);
  const lower = fileName.toLowerCase();

  if (isOle(data) || (lower.endsWith(".xls") && !isZip(data))) {
    v.fileError(
      0,
      "",
      fileName,
      "Định dạng .xls (Excel 97–2003) không được hỗ trợ — hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8.",
      "The .xls format (Excel 97–2003) is not supported — save the file as .xlsx or CSV UTF-8.",
    );
    return { ...v.finish(), format: null, encoding: null, delimiter: null };
  }
  if (isZip(data)) {
    await readXlsx(data, v);
    return { ...v.finish(), format: "xlsx", encoding: null, delimiter: null };
  }
  if (lower.endsWith(".xlsx")) {
    v.fileError(
      0,
      "",
      fileName,
      "Tệp có đuôi .xlsx nhưng không phải là bảng tính Excel hợp lệ (có thể bị hỏng hoặc bị đổi tên).",
      "The file is named .xlsx but is not a valid Excel workbook (it may be damaged or renamed).",
    );
    return { ...v.finish(), format: null, encoding: null, delimiter: null };
  }

  const decoded = decodeCsvBytes(data);
  if (!("text" in decoded)) {
    v.fileError(0, "", fileName, decoded.reasonVi, decoded.reasonEn);
    return { ...v.finish(), format: "csv", encoding: null, delimiter: null };
  }
  const delimiter = readCsv(decoded.text, v);
  return { ...v.finish(), format: "csv", encoding: decoded.encoding, delimiter };
}

function readCsv(input: string, v: RosterValidator): string {
  let text = input;
  let delimiter: string;
  // Excel honours (and hides) a first line "sep=;"; so do we, so row numbers still match what the user sees.
  const sep = /^sep=(.)(\r\n|\n|\r)/i.exec(text);
  if (sep) {
    delimiter = sep[1]!;
    text = text.slice(sep[0].length);
  } else delimiter = detectDelimiter(text);

  let rowNumber = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    skipEmptyLines: false,
    step: (result, parser) => {
      rowNumber++;
      for (const e of result.errors) {
        if (e.code === "MissingQuotes") {
          v.fileError(
            rowNumber,
            "",
            "",
            `Dấu ngoặc kép (") mở ở dòng ${rowNumber} không được đóng; phần còn lại của tệp không đọc được.`,
            `A double quote (") opened on row ${rowNumber} is never closed; the rest of the file cannot be read.`,
          );
        } else {
          v.rowError({
            row: rowNumber,
            column: "",
            value: "",
            reasonVi: `Dấu ngoặc kép (") đặt sai trong dòng này.`,
            reasonEn: `Misplaced double quote (") in this row.`,
          });
        }
      }
      if (v.feed(rowNumber, result.data) === "stop") parser.abort();
    },
  });
  return delimiter;
}

interface WorkbookModelSheet {
  name: string;
  state?: string;
}

async function readXlsx(data: Uint8Array, v: RosterValidator): Promise<void> {
  // The streaming reader keeps one row in memory at a time (plus the shared strings), so a 200k-row sheet
  // does not load a whole workbook model.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]), {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    entries: "ignore",
  });
  let sawSheet = false;
  try {
    for await (const sheet of reader) {
      const s = sheet as unknown as { name: string; [Symbol.asyncIterator](): AsyncIterator<ExcelJS.Row> };
      const sheets = ((reader as unknown as { model?: { sheets?: WorkbookModelSheet[] } }).model?.sheets ?? []) as WorkbookModelSheet[];
      const first = sheets.find((x) => x.state !== "hidden" && x.state !== "veryHidden") ?? sheets[0];
      // Worksheets arrive in zip order; the one wanted is the first (visible) tab. When the workbook's
      // relationships could not be matched, names are unknown and the first sheet read is taken.
      if (first && sheets.some((x) => x.name === s.name) && s.name !== first.name) continue;
      sawSheet = true;
      for await (const row of s) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
        if (v.feed(row.number, cells) === "stop") break;
      }
      break;
    }
  } catch (e) {
    v.fileError(
      0,
      "",
      "",
      `Không đọc được tệp Excel (${(e as Error).message}). Hãy mở và lưu lại bằng Excel, hoặc lưu dạng CSV UTF-8.`,
      `Could not read the Excel file (${(e as Error).message}). Open and save it again in Excel, or save it as CSV UTF-8.`,
    );
    return;
  }
  if (!sawSheet) {
    v.fileError(0, "", "", "Tệp Excel không có trang tính nào.", "The Excel file has no worksheet.");
  }
}

/** The text a user sees in a cell. A formula without a cached value comes back as "=…", which validation refuses. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? "").join("");
    if ("formula" in o || "sharedFormula" in o) {
      if (o.result !== undefined && o.result !== null) return cellText(o.result);
      return `=${String(o.formula ?? o.sharedFormula ?? "")}`;
    }
    if ("text" in o) return cellText(o.text);
    if ("error" in o) return String(o.error);
  }
  return String(value);
}
