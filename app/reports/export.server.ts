/**
 * Streaming exports of report tables. Rows come from an (async) iterable — a cursor over the database — and go
 * out as they are produced, pulled by the consumer, so a national export of millions of rows runs in constant
 * memory. CSV is UTF-8 with a BOM (without it Excel shows Vietnamese as mojibake), RFC 4180 quoting, and
 * formula neutralisation (OWASP "CSV injection"): a name like "=HYPERLINK(…)" must open as text.
 */
import { once } from "node:events";
import { PassThrough, Readable, type Writable } from "node:stream";
import ExcelJS from "exceljs";

export type CellValue = string | number | boolean | Date | null | undefined;
export type RowSource = Iterable<readonly CellValue[]> | AsyncIterable<readonly CellValue[]>;

export const UTF8_BOM = "\uFEFF";
/** Excel's hard limit is 1,048,576 rows per sheet, header included. */
export const XLSX_MAX_DATA_ROWS_PER_SHEET = 1_048_575;

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes "'" to a text cell a spreadsheet would run as a formula; signed numbers stay numbers. */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function cellString(value: CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return value.toISOString();
  return neutraliseCell(value);
}

/** One CSV field: neutralised, and quoted when it holds a comma, quote, CR or LF (RFC 4180). */
export function csvCell(value: CellValue): string {
  const s = cellString(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record with its CRLF terminator. */
export function csvLine(cells: readonly CellValue[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? "" : ",") + csvCell(cells[i]);
  return line + "\r\n";
}

export interface CsvOptions {
  /** Default true. */
  bom?: boolean;
  /** Characters gathered before a chunk is emitted (default 64 k): one chunk per row would be slow. */
  chunkSize?: number;
}

/** The CSV text in chunks, produced lazily as the consumer pulls. */
export async function* csvChunks(header: readonly string[], rows: RowSource, options: CsvOptions = {}): AsyncGenerator<string> {
  const chunkSize = options.chunkSize ?? 65_536;
  let buf = (options.bom ?? true ? UTF8_BOM : "") + csvLine(header);
  for await (const row of rows) {
    buf += csvLine(row);
    if (buf.length >= chunkSize) {
      yield buf;
      buf = "";
    }
  }
  if (buf.length > 0) yield buf;
}

async function* utf8(chunks: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const c of chunks) yield encoder.encode(c);
}

/** A web ReadableStream for a Remix resource route: `new Response(csvWebStream(…), { headers })`. */
export function csvWebStream(header: readonly string[], rows: RowSource, options: CsvOptions = {}): ReadableStream<Uint8Array> {
  return toWebStream(utf8(csvChunks(header, rows, options)));
}

/** A Node Readable (CLI: `csvNodeStream(…).pipe(process.stdout)` or `pipeline(…, createWriteStream(file))`). */
export function csvNodeStream(header: readonly string[], rows: RowSource, options: CsvOptions = {}): Readable {
  return Readable.from(utf8(csvChunks(header, rows, options)), { objectMode: false });
}

function toWebStream(source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await source.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (e) {
          controller.error(e);
        }
      },
      async cancel() {
        // The client went away: stop reading the database cursor.
        await source.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

export interface XlsxOptions {
  /** Worksheet name (default "Data"); further sheets are "<name> (2)", … */
  sheetName?: string;
  /** Data rows per worksheet before starting a new one (default: Excel's limit). */
  maxRowsPerSheet?: number;
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetTitle(base: string, n: number): string {
  const clean = base.replace(/[:\\/?*[\]]/g, " ").trim() || "Data";
  const suffix = n === 1 ? "" : ` (${n})`;
  return clean.slice(0, 31 - suffix.length) + suffix;
}

/**
 * Writes an XLSX to `output` with exceljs' streaming writer: each row is committed (serialised and dropped)
 * as soon as it is added. Pauses while `output` is over its high-water mark, so a slow client does not make
 * the compressed workbook pile up in memory. Text cells are written as text, never as formulas.
 */
export async function writeXlsx(
  output: Writable,
  header: readonly string[],
  rows: RowSource,
  options: XlsxOptions = {},
): Promise<{ rows: number; sheets: number }> {
  const perSheet = options.maxRowsPerSheet ?? XLSX_MAX_DATA_ROWS_PER_SHEET;
  if (!Number.isInteger(perSheet) || perSheet < 1 || perSheet > XLSX_MAX_DATA_ROWS_PER_SHEET) {
    throw new RangeError(`maxRowsPerSheet must be 1..${XLSX_MAX_DATA_ROWS_PER_SHEET}, got ${perSheet}`);
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: false, useSharedStrings: false });
  let sheets = 0;
  let sheet: ExcelJS.Worksheet | null = null;
  let inSheet = 0;
  let total = 0;
  const newSheet = () => {
    sheet?.commit();
    sheets++;
    sheet = workbook.addWorksheet(sheetTitle(options.sheetName ?? "Data", sheets));
    sheet.addRow([...header]).commit();
    inSheet = 0;
  };
  newSheet();
  for await (const row of rows) {
    if (inSheet === perSheet) newSheet();
    sheet!.addRow(row.map(xlsxValue)).commit();
    inSheet++;
    total++;
    if (total % 1000 === 0 && output.writableNeedDrain) await once(output, "drain");
  }
  (sheet as ExcelJS.Worksheet | null)?.commit();
  await workbook.commit();
  return { rows: total, sheets };
}

function xlsxValue(v: CellValue): string | number | boolean | Date | null {
  if (v === undefined) return null;
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}

/** XLSX as a Node Readable; a failure while writing destroys the stream with the error. */
export function xlsxNodeStream(header: readonly string[], rows: RowSource, options: XlsxOptions = {}): Readable {
  const out = new PassThrough();
  writeXlsx(out, header, rows, options).catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return out;
}

/** XLSX as a web ReadableStream for a Remix resource route. */
export function xlsxWebStream(header: readonly string[], rows: RowSource, options: XlsxOptions = {}): ReadableStream<Uint8Array> {
  return Readable.toWeb(xlsxNodeStream(header, rows, options)) as unknown as ReadableStream<Uint8Array>;
}

export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";
export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266), for Vietnamese file names. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D"))
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
