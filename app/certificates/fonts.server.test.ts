import fontkit from "@pdf-lib/fontkit";
import { describe, expect, it } from "vitest";
import { embeddableSubset, FONT_KEYS, getFont, stripInstructions, subsetTrueType } from "./fonts.server";

const VOWELS = "aăâeêioôơuưy";
const TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"];
/** Every Vietnamese letter: 12 vowels × 2 cases × 6 tones + đ Đ + the other consonants. */
const LETTERS = [
  ...[...VOWELS].flatMap((v) => TONES.flatMap((t) => [(v + t).normalize("NFC"), (v.toUpperCase() + t).normalize("NFC")])),
  ..."đĐbcdghklmnpqrstvxBCDGHKLMNPQRSTVXfjwzFJWZ",
];

describe("Be Vietnam Pro coverage (shaping gate)", () => {
  it("has 146 Vietnamese letters plus consonants, each one precomposed code point", () => {
    expect(new Set(LETTERS).size).toBe(146 + 40);
    for (const l of LETTERS) expect([...l]).toHaveLength(1);
  });

  it.each(FONT_KEYS)("%s maps every Vietnamese letter, digit and punctuation mark to a real glyph", (key) => {
    const f = getFont(key);
    const missing = [...LETTERS, ..."0123456789.,:;!?()/-–—·“”‘’%"].filter((ch) => f.glyph(ch.codePointAt(0)!).id === 0);
    expect(missing).toEqual([]);
  });

  it("reports missing glyphs as id 0 (e.g. CJK)", () => {
    expect(getFont("regular").glyph("王".codePointAt(0)!).id).toBe(0);
  });
});

describe("subsetTrueType", () => {
  it("keeps the outlines of the used glyphs only, and the result parses as a TrueType font", () => {
    const f = getFont("bold");
    const used = [..."NguyễnThịHường"].map((c) => f.glyph(c.codePointAt(0)!).id);
    const bytes = subsetTrueType(f, used);
    expect(bytes.length).toBeLessThan(15_000);
    const parsed = fontkit.create(bytes) as unknown as { numGlyphs: number; getGlyph(id: number): { path: { commands: unknown[] } } };
    expect(parsed.numGlyphs).toBe(f.numGlyphs); // glyph ids are kept
    for (const g of used) expect(parsed.getGlyph(g).path.commands.length).toBeGreaterThan(0);
    const unused = f.glyph("Z".codePointAt(0)!).id;
    expect(used).not.toContain(unused);
    expect(parsed.getGlyph(unused).path.commands).toHaveLength(0);
  });

  it("writes a correct whole-font checksum (head.checkSumAdjustment)", () => {
    const f = getFont("regular");
    const bytes = subsetTrueType(f, [f.glyph(65).id]);
    let sum = 0;
    const padded = Buffer.concat([bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4)]);
    for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
    expect(sum).toBe(0xb1b0afba);
  });

  it("stripInstructions removes hinting bytes from simple glyphs", () => {
    const f = getFont("regular");
    const g = Buffer.from(f.glyphBytes(f.glyph("ễ".codePointAt(0)!).id));
    const contours = g.readInt16BE(0);
    const insLen = g.readUInt16BE(10 + 2 * contours);
    const s = stripInstructions(g);
    expect(insLen).toBeGreaterThan(0);
    expect(s.length).toBe(g.length - insLen);
    expect(Buffer.from(s).readUInt16BE(10 + 2 * contours)).toBe(0);
    expect(Buffer.from(s.subarray(12 + 2 * contours)).equals(g.subarray(12 + 2 * contours + insLen))).toBe(true);
  });

  it("embeddableSubset is cached by glyph set and names the subset with a 6-letter tag", () => {
    const f = getFont("semibold");
    const used = new Map([..."Đặng"].map((c) => [f.glyph(c.codePointAt(0)!).id, c] as const));
    const a = embeddableSubset(f, used);
    expect(embeddableSubset(f, new Map(used))).toBe(a);
    expect(a.baseFont).toMatch(/^[A-Z]{6}\+BeVietnamPro-SemiBold$/);
    expect(a.widths.length).toBeGreaterThan(0);
  });
});
