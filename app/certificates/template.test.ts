import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCertificateTemplate } from "./pdf.server";
import { dateLongEn, dateLongVi, dateNumeric, fillPlaceholders, fitText, resolveTemplate, type Run } from "./template";

/** 1 unit of width per character at size 10 (width = chars × size / 10), tracking per gap. */
const measure = (runs: Run[], size: number, tracking: number) => {
  const chars = runs.reduce((n, r) => n + [...r.text].length, 0);
  return chars === 0 ? 0 : (chars * size) / 10 + tracking * (chars - 1);
};
const run = (text: string): Run => ({ text, font: "regular", color: "ink" });
const texts = (lines: Run[][]) => lines.map((l) => l.map((r) => r.text).join(""));

describe("fitText", () => {
  it.each([
    // [text, size, minSize, maxWidth, maxLines, expected size, expected lines]
    ["abcdefghij", 20, 10, 25, 1, 20, ["abcdefghij"]], // 20 wide: fits
    ["abcdefghij", 20, 10, 15, 1, 15, ["abcdefghij"]], // shrinks to 15
    ["abcdefghij", 20, 16, 15, 1, 16, ["abcdefghij"]], // cannot shrink enough: min size, one line (renderer compresses)
    ["aaaa bbbb cccc dddd", 10, 10, 10, 2, 10, ["aaaa bbbb", "cccc dddd"]], // wraps, balanced
    ["aaaa bbbb cccc dddd eeee", 10, 10, 15, 2, 10, ["aaaa bbbb cccc", "dddd eeee"]],
    ["aaaa bbbb cccc dddd", 10, 6, 8, 2, 8.5, ["aaaa bbbb", "cccc dddd"]], // shrinks a little, then wraps
  ] as const)("%s at %s (min %s) in %s, %s line(s)", (text, size, minSize, maxWidth, maxLines, expSize, expLines) => {
    const r = fitText([run(text)], { size, minSize, maxWidth, maxLines, tracking: 0 }, measure);
    expect(r.size).toBe(expSize);
    expect(texts(r.lines)).toEqual(expLines);
  });

  it("keeps segment fonts when wrapping", () => {
    const r = fitText(
      [run("Khóa học: "), { text: "Kỹ năng số cơ bản", font: "bold", color: "accent" }],
      { size: 10, minSize: 10, maxWidth: 16, maxLines: 2, tracking: 0 },
      measure,
    );
    expect(texts(r.lines)).toEqual(["Khóa học: Kỹ", "năng số cơ bản"]);
    expect(r.lines[1]![0]!.font).toBe("bold");
  });

  it("counts tracking", () => {
    // 5 chars: 5·s/10 + 4 gaps × 1 pt ≤ 8  →  s ≤ 8
    expect(fitText([run("abcde")], { size: 10, minSize: 5, maxWidth: 8, maxLines: 1, tracking: 1 }, measure).size).toBe(8);
  });
});

describe("dates", () => {
  it.each([
    ["2025-11-22", "22/11/2025", "ngày 22 tháng 11 năm 2025", "22 November 2025"],
    ["2026-02-05", "05/02/2026", "ngày 05 tháng 02 năm 2026", "5 February 2026"],
    ["2026-03-05", "05/03/2026", "ngày 05 tháng 3 năm 2026", "5 March 2026"],
    ["2026-01-31", "31/01/2026", "ngày 31 tháng 01 năm 2026", "31 January 2026"],
  ])("%s", (iso, numeric, vi, en) => {
    expect(dateNumeric(iso)).toBe(numeric);
    expect(dateLongVi(iso)).toBe(vi);
    expect(dateLongEn(iso)).toBe(en);
  });
});

describe("fillPlaceholders", () => {
  it("fills template texts and fields, missing values become empty", () => {
    expect(fillPlaceholders("{t.a} {holderName}{courseTitleVi}!", { a: "Chứng nhận" }, { holderName: "Lê Thị Ánh Tuyết" })).toBe(
      "Chứng nhận Lê Thị Ánh Tuyết!",
    );
  });
});

describe("resolveTemplate", () => {
  const base = { file: "certificates/templates/_base/layout.json", text: readFileSync("certificates/templates/_base/layout.json", "utf8") };
  const own = (obj: unknown) => ({ file: "certificates/templates/x/layout.json", text: JSON.stringify(obj, null, 2) });

  it("merges colours, texts and element patches over the base", () => {
    const t = resolveTemplate("x", base, own({ extends: "_base", colors: { accent: "#123456" }, texts: { title: "CHỨNG NHẬN" }, elements: { holder: { size: 40 } } }));
    expect(t.colors.accent).toBe("#123456");
    expect(t.colors.gold).toBe("#B38B3A");
    expect(t.texts.title).toBe("CHỨNG NHẬN");
    expect(t.elements.find((e) => e.id === "holder")).toMatchObject({ size: 40, font: "bold", tag: "HolderName" });
  });

  it.each([
    [{ elements: { nope: { size: 1 } } }, /x\/layout.json:\d+: no element "nope"/],
    [{ remove: ["nope"] }, /cannot remove unknown element "nope"/],
    [{ remove: ["qr"] }, /no "qr" element/],
    [{ remove: ["holder"] }, /HolderName/],
    [{ elements: { holder: { size: -1 } } }, /x\/layout.json:\d+: element "holder": size/],
    [{ elements: { holder: { font: "black" } } }, /element "holder": font/],
    [{ elements: { holder: { text: "{nameOfHolder}" } } }, /unknown placeholder \{nameOfHolder\}/],
    [{ elements: { holder: { text: "{t.missing}" } } }, /unknown placeholder \{t.missing\}/],
    [{ elements: { holder: { color: "pink" } } }, /colour "pink"/],
    [{ elements: { qr: { size: 40 } } }, /element "qr": size must be at least 72/],
    [{ add: [{ id: "holder", type: "rect", x: 0, y: 0, w: 1, h: 1 }] }, /"holder" is used twice/],
    [{ elements: [] }, /patches by element id/],
    [{ colour: {} }, /x\/layout.json:\d+: unknown key "colour"/],
  ])("rejects %j", (layout, msg) => {
    expect(() => resolveTemplate("x", base, own({ extends: "_base", ...layout }))).toThrow(msg);
  });

  it("reports JSON syntax errors with the line", () => {
    expect(() => resolveTemplate("x", base, { file: "x/layout.json", text: '{\n  "extends": "_base",\n  oops\n}' })).toThrow(/x\/layout.json:3: invalid JSON/);
  });

  it.each(["basic_digital_skills", "ai_public_service", "basic_data_management", "commune_digital_assist", "leadership_dx"])(
    "the %s layout loads and has its own accent",
    (id) => {
      const t = loadCertificateTemplate(id);
      expect(t.credential).toBe(id);
      expect(t.elements.some((e) => e.type === "qr")).toBe(true);
      expect(t.colors.accent).toMatch(/^#[0-9A-F]{6}$/i);
    },
  );

  it("each credential has a distinct accent colour", () => {
    const ids = ["basic_digital_skills", "ai_public_service", "basic_data_management", "commune_digital_assist", "leadership_dx"];
    expect(new Set(ids.map((id) => loadCertificateTemplate(id).colors.accent)).size).toBe(5);
  });
});
