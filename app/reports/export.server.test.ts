import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import {
  attachmentHeader,
  csvCell,
  csvLine,
  csvNodeStream,
  csvWebStream,
  neutraliseCell,
  writeXlsx,
  xlsxWebStream,
  type CellValue,
} from "./export.server";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return Buffer.concat(parts);
}

describe("CSV cells", () => {
  it.each([
    ["=1+2", "'=1+2"],
    ["+84 912 345 678", "'+84 912 345 678"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["-5", "-5"],
    ["+3.25", "+3.25"],
    ["-1e5", "-1e5"],
    ["Nguyễn Văn An", "Nguyễn Văn An"],
    [" =x", " =x"],
  ])("neutraliseCell(%j) = %j", (input, want) => {
    expect(neutraliseCell(input)).toBe(want);
  });

  it.each<[CellValue, string]>([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rhere", '"cr\rhere"'],
    ["=a,b", "\"'=a,b\""],
    [66.7, "66.7"],
    [-3, "-3"],
    [0, "0"],
    [Number.NaN, ""],
    [true, "true"],
    [null, ""],
    [undefined, ""],
    ["", ""],
  ])("csvCell(%j) = %j", (input, want) => {
    expect(csvCell(input)).toBe(want);
  });

  it("ends records with CRLF", () => {
    expect(csvLine(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
  });
});

describe("CSV streams", () => {
  const header = ["unit_code", "full_name", "percent"];
  const rows: CellValue[][] = [
    ["01", "Nguyễn Văn An", 66.7],
    ["00070", 'Trần "Tí", Bé', 0],
    ["G09", "=HYPERLINK(\"x\")", null],
  ];

  it("starts with the UTF-8 BOM and round-trips through a CSV parser", async () => {
    const bytes = await readAll(csvWebStream(header, rows));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
    expect(parsed).toEqual([header, ["01", "Nguyễn Văn An", "66.7"], ["00070", 'Trần "Tí", Bé', "0"], ["G09", "'=HYPERLINK(\"x\")", ""]]);
  });

  it("can leave the BOM out", async () => {
    const bytes = await readAll(csvWebStream(header, [], { bom: false }));
    expect(bytes.toString("utf8")).toBe("unit_code,full_name,percent\r\n");
  });

  it("pulls rows only as the consumer reads, and stops the source when the client goes away", async () => {
    let produced = 0;
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          produced++;
          yield [i, `Người ${i}`];
        }
      } finally {
        closed = true;
      }
    }
    const stream = csvWebStream(["n", "name"], source(), { chunkSize: 1024 });
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(produced).toBeLessThan(1_000);
    await reader.cancel();
    expect(closed).toBe(true);
  });

  it("exports 100,000 rows through a Node stream", async () => {
    function* source() {
      for (let i = 0; i < 100_000; i++) yield [`HN-${i}`, "Nguyễn Thị Minh Khai", "00070", i % 3 === 0];
    }
    let bytes = 0;
    let newlines = 0;
    let head = "";
    for await (const chunk of csvNodeStream(["staff_code", "full_name", "unit_code", "holder"], source())) {
      const b = chunk as Buffer;
      if (head === "") head = b.subarray(0, 40).toString("utf8");
      bytes += b.length;
      for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) newlines++;
    }
    expect(head.startsWith("\uFEFFstaff_code,full_name")).toBe(true);
    expect(newlines).toBe(100_001);
    expect(bytes).toBeGreaterThan(100_000 * 40);
  });
});

describe("XLSX", () => {
  async function load(buf: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    return wb;
  }

  it("writes text as text (never a formula), numbers as numbers, Vietnamese intact", async () => {
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on("data", (c: Buffer) => parts.push(c));
    const result = await writeXlsx(out, ["unit_code", "full_name", "percent"], [["01", "=1+2", 66.7], ["00070", "Đặng Thị Ánh", null]], { sheetName: "Bao cao" });
    expect(result).toEqual({ rows: 2, sheets: 1 });
    const wb = await load(Buffer.concat(parts));
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe("Bao cao");
    expect(ws.getRow(1).values).toEqual([undefined, "unit_code", "full_name", "percent"]);
    expect(ws.getCell("B2").value).toBe("=1+2");
    expect(ws.getCell("B2").type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell("C2").value).toBe(66.7);
    expect(ws.getCell("B3").value).toBe("Đặng Thị Ánh");
  });

  it("starts a new sheet, with its header, past the per-sheet row limit", async () => {
    const rows = Array.from({ length: 5 }, (_, i) => [`HN-${i}`, i]);
    const buf = await readAll(xlsxWebStream(["staff_code", "n"], rows, { sheetName: "Người: chưa học?", maxRowsPerSheet: 2 }));
    const wb = await load(buf);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Người  chưa học", "Người  chưa học (2)", "Người  chưa học (3)"]);
    expect(wb.worksheets.map((w) => w.rowCount)).toEqual([3, 3, 2]);
    expect(wb.worksheets[2]!.getCell("A2").value).toBe("HN-4");
    expect(wb.worksheets[1]!.getCell("A1").value).toBe("staff_code");
  });

  it("fails the stream when the row source fails", async () => {
    async function* broken() {
      yield ["a"];
      throw new Error("cursor lost");
    }
    await expect(readAll(xlsxWebStream(["x"], broken()))).rejects.toThrow(/cursor lost/);
  });
});

describe("attachmentHeader", () => {
  it("gives an ASCII fallback and the exact UTF-8 name", () => {
    expect(attachmentHeader("Báo cáo Đà Nẵng (2026).csv")).toBe(
      "attachment; filename=\"Bao cao Da Nang (2026).csv\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%C4%90%C3%A0%20N%E1%BA%B5ng%20%282026%29.csv",
    );
  });
});
