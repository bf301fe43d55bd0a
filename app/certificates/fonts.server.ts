/**
 * Be Vietnam Pro for certificate PDFs: parsed once per process with fontkit, subset per document, embedded as
 * CIDFontType2 / Identity-H with a ToUnicode map (so pdftotext and screen readers get the exact NFC text).
 *
 * Why not `pdfDoc.embedFont(bytes, { subset: true })`: pdf-lib shapes every drawText call with fontkit's full
 * GSUB/GPOS engine (~1 ms each) and fontkit's subsetter re-encodes the font on every save (3–7 ms per weight),
 * which alone exceeds the 10 ms per certificate budget. Here text is mapped one code point → one glyph through
 * the cmap (NFC Vietnamese has a precomposed glyph for every letter, and pdf-lib drops GPOS positioning anyway),
 * and the subset keeps the original glyph ids ("retain-gids": unused glyphs become empty), which needs no glyph
 * renumbering and takes well under a millisecond. Compressed subsets are cached by glyph set, so template text
 * costs nothing after the first certificate. This also sidesteps the @pdf-lib/fontkit 1.1.1 short-loca subset bug.
 */
import fontkit from "@pdf-lib/fontkit";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";

export const FONT_FILES = {
  regular: "BeVietnamPro_400Regular.ttf",
  italic: "BeVietnamPro_400Regular_Italic.ttf",
  medium: "BeVietnamPro_500Medium.ttf",
  semibold: "BeVietnamPro_600SemiBold.ttf",
  bold: "BeVietnamPro_700Bold.ttf",
} as const;
export type FontKey = keyof typeof FONT_FILES;
export const FONT_KEYS = Object.keys(FONT_FILES) as FontKey[];

/** certificates/ at the project root; override with CERTIFICATES_DIR (e.g. when running from a build folder). */
export function certificatesDir(): string {
  return path.resolve(process.env.CERTIFICATES_DIR ?? "certificates");
}

interface TableRecord {
  offset: number;
  length: number;
}

export interface LoadedFont {
  key: FontKey;
  postscriptName: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  italicAngle: number;
  bbox: [number, number, number, number];
  flags: number;
  stemV: number;
  numGlyphs: number;
  /** glyph id for a code point (0 = missing) and advance width in font units, memoised. */
  glyph(cp: number): { id: number; advance: number };
  advanceOf(gid: number): number;
  /** Bytes of one glyph's outline in the original glyf table. */
  glyphBytes(gid: number): Uint8Array;
  componentsOf(gid: number): number[];
  bytes: Buffer;
  tables: Map<string, TableRecord>;
}

function parseTables(buf: Buffer): Map<string, TableRecord> {
  const n = buf.readUInt16BE(4);
  const tables = new Map<string, TableRecord>();
  for (let i = 0; i < n; i++) {
    const rec = 12 + i * 16;
    tables.set(buf.toString("latin1", rec, rec + 4), { offset: buf.readUInt32BE(rec + 8), length: buf.readUInt32BE(rec + 12) });
  }
  return tables;
}

function loadFont(key: FontKey, file: string): LoadedFont {
  const bytes = readFileSync(file);
  // fontkit gives us the cmap, metrics and advance widths; raw tables are read directly for subsetting.
  const fk = fontkit.create(bytes) as unknown as {
    postscriptName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    capHeight: number;
    italicAngle: number;
    numGlyphs: number;
    bbox: { minX: number; minY: number; maxX: number; maxY: number };
    glyphForCodePoint(cp: number): { id: number; advanceWidth: number };
    getGlyph(id: number): { advanceWidth: number };
    "OS/2": { usWeightClass: number };
  };
  const tables = parseTables(bytes);
  for (const t of ["head", "hhea", "hmtx", "loca", "glyf", "maxp"]) {
    if (!tables.has(t)) throw new Error(`${file}: not a TrueType font with glyf outlines (missing ${t} table)`);
  }
  const head = tables.get("head")!;
  const longLoca = bytes.readInt16BE(head.offset + 50) === 1;
  const numGlyphs = bytes.readUInt16BE(tables.get("maxp")!.offset + 4);
  const loca = tables.get("loca")!;
  const glyf = tables.get("glyf")!;
  const locaAt = (i: number) => (longLoca ? bytes.readUInt32BE(loca.offset + i * 4) : bytes.readUInt16BE(loca.offset + i * 2) * 2);
  const glyphCache = new Map<number, { id: number; advance: number }>();
  const advanceCache = new Map<number, number>();
  const isItalic = fk.italicAngle !== 0;
  const weight = fk["OS/2"].usWeightClass;
  const font: LoadedFont = {
    key,
    postscriptName: fk.postscriptName.replace(/[^A-Za-z0-9-]/g, ""),
    unitsPerEm: fk.unitsPerEm,
    ascent: fk.ascent,
    descent: fk.descent,
    capHeight: fk.capHeight,
    italicAngle: fk.italicAngle,
    bbox: [fk.bbox.minX, fk.bbox.minY, fk.bbox.maxX, fk.bbox.maxY],
    // 32 = nonsymbolic (Latin text), 64 = italic
    flags: 32 | (isItalic ? 64 : 0),
    // No stem width in TrueType; the usual estimate from the weight class.
    stemV: Math.round(50 + (weight / 65) ** 2),
    numGlyphs,
    bytes,
    tables,
    glyph(cp) {
      let g = glyphCache.get(cp);
      if (!g) {
        const fg = fk.glyphForCodePoint(cp);
        g = { id: fg.id, advance: fg.advanceWidth };
        glyphCache.set(cp, g);
        advanceCache.set(g.id, g.advance);
      }
      return g;
    },
    advanceOf(gid) {
      let a = advanceCache.get(gid);
      if (a === undefined) {
        a = fk.getGlyph(gid).advanceWidth;
        advanceCache.set(gid, a);
      }
      return a;
    },
    glyphBytes(gid) {
      const start = locaAt(gid);
      const end = locaAt(gid + 1);
      return bytes.subarray(glyf.offset + start, glyf.offset + end);
    },
    componentsOf(gid) {
      const g = font.glyphBytes(gid);
      // numberOfContours (int16) < 0 marks a composite glyph
      if (g.length < 10 || (g[0]! & 0x80) === 0) return [];
      const out: number[] = [];
      let o = 10;
      for (;;) {
        const flags = (g[o]! << 8) | g[o + 1]!;
        out.push((g[o + 2]! << 8) | g[o + 3]!);
        o += 4 + (flags & 0x1 ? 4 : 2);
        if (flags & 0x8) o += 2;
        else if (flags & 0x40) o += 4;
        else if (flags & 0x80) o += 8;
        if (!(flags & 0x20)) break;
      }
      return out;
    },
  };
  return font;
}

const fontCache = new Map<FontKey, LoadedFont>();

/** Loads (once) and returns a font weight. */
export function getFont(key: FontKey): LoadedFont {
  let f = fontCache.get(key);
  if (!f) {
    f = loadFont(key, path.join(certificatesDir(), "fonts", FONT_FILES[key]));
    fontCache.set(key, f);
  }
  return f;
}

// ---------------------------------------------------------------------------------------------------------------
// Subsetting

function checksum(buf: Buffer): number {
  let sum = 0;
  const padded = buf.length % 4 === 0 ? buf : Buffer.concat([buf, Buffer.alloc(4 - (buf.length % 4))]);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

// Hinting (cvt/fpgm/prep and per-glyph instructions) is half of Be Vietnam Pro's glyph data; PDF viewers render
// fine without it at print and screen resolutions, so subsets are unhinted.
const KEEP_TABLES = ["glyf", "head", "hhea", "hmtx", "loca", "maxp"];

/** A glyph's bytes without TrueType instructions. */
export function stripInstructions(g: Uint8Array): Uint8Array {
  if (g.length < 10) return g;
  const contours = ((g[0]! << 8) | g[1]!) << 16 >> 16;
  if (contours >= 0) {
    const at = 10 + 2 * contours;
    const len = (g[at]! << 8) | g[at + 1]!;
    if (len === 0) return g;
    const out = new Uint8Array(g.length - len);
    out.set(g.subarray(0, at), 0); // header, endPtsOfContours; instructionLength becomes 0
    out.set(g.subarray(at + 2 + len), at + 2);
    return out;
  }
  let o = 10;
  let hadInstructions = false;
  const out = Uint8Array.from(g);
  for (;;) {
    const flags = (out[o]! << 8) | out[o + 1]!;
    if (flags & 0x100) {
      hadInstructions = true;
      const cleared = flags & ~0x100;
      out[o] = cleared >> 8;
      out[o + 1] = cleared & 0xff;
    }
    o += 4 + (flags & 0x1 ? 4 : 2);
    if (flags & 0x8) o += 2;
    else if (flags & 0x40) o += 4;
    else if (flags & 0x80) o += 8;
    if (!(flags & 0x20)) break;
  }
  return hadInstructions ? out.subarray(0, o) : out;
}

/** A TrueType file with only `gids` (plus .notdef and composite components) keeping their outlines. */
export function subsetTrueType(font: LoadedFont, gids: Iterable<number>): Buffer {
  const keep = new Set<number>([0]);
  const queue = [...gids];
  while (queue.length) {
    const g = queue.pop()!;
    if (keep.has(g) || g < 0 || g >= font.numGlyphs) continue;
    keep.add(g);
    queue.push(...font.componentsOf(g));
  }

  const n = font.numGlyphs;
  const loca = Buffer.alloc((n + 1) * 4);
  const parts: Buffer[] = [];
  let off = 0;
  for (let g = 0; g < n; g++) {
    loca.writeUInt32BE(off, g * 4);
    if (!keep.has(g)) continue;
    const b = stripInstructions(font.glyphBytes(g));
    if (b.length === 0) continue;
    const pad = (4 - (b.length % 4)) % 4;
    parts.push(Buffer.from(b.buffer, b.byteOffset, b.length));
    if (pad) parts.push(Buffer.alloc(pad));
    off += b.length + pad;
  }
  loca.writeUInt32BE(off, n * 4);
  const glyf = Buffer.concat(parts);

  const raw = (tag: string) => {
    const t = font.tables.get(tag)!;
    return Buffer.from(font.bytes.subarray(t.offset, t.offset + t.length));
  };
  const head = raw("head");
  head.writeUInt32BE(0, 8); // checksumAdjustment, set below
  head.writeInt16BE(1, 50); // indexToLocFormat: long

  const tables = new Map<string, Buffer>();
  for (const tag of KEEP_TABLES) {
    if (tag === "glyf") tables.set(tag, glyf);
    else if (tag === "loca") tables.set(tag, loca);
    else if (tag === "head") tables.set(tag, head);
    else if (font.tables.has(tag)) tables.set(tag, raw(tag));
  }
  const tags = [...tables.keys()].sort();
  const numTables = tags.length;
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= numTables) entrySelector++;
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const body: Buffer[] = [];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const rec = 12 + i * 16;
    header.write(tag, rec, 4, "latin1");
    header.writeUInt32BE(checksum(data), rec + 4);
    header.writeUInt32BE(offset, rec + 8);
    header.writeUInt32BE(data.length, rec + 12);
    const pad = (4 - (data.length % 4)) % 4;
    body.push(data);
    if (pad) body.push(Buffer.alloc(pad));
    offset += data.length + pad;
  });
  const file = Buffer.concat([header, ...body]);
  const headOffset = header.readUInt32BE(12 + tags.indexOf("head") * 16 + 8);
  file.writeUInt32BE((0xb1b0afba - checksum(file)) >>> 0, headOffset + 8);
  return file;
}

export interface EmbeddableSubset {
  /** Six-letter subset tag + "+" + PostScript name, e.g. "KQWBHD+BeVietnamPro-Bold". */
  baseFont: string;
  /** zlib (FlateDecode) compressed font program and its uncompressed length (Length1). */
  fontFile: Buffer;
  length1: number;
  /** /W array content: first gid then the widths of a run of consecutive gids, e.g. [3, [600], 17, [540, 612]]. */
  widths: (number | number[])[];
  /** zlib compressed ToUnicode CMap. */
  toUnicode: Buffer;
}

const subsetCache = new Map<string, EmbeddableSubset>();
const SUBSET_CACHE_MAX = 512;

function utf16Hex(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).padStart(4, "0");
  return out;
}

function toUnicodeCMap(map: Map<number, string>): string {
  const entries = [...map.entries()].sort((a, b) => a[0] - b[0]);
  let body = "";
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    body += `${chunk.length} beginbfchar\n`;
    for (const [gid, text] of chunk) body += `<${gid.toString(16).padStart(4, "0")}> <${utf16Hex(text)}>\n`;
    body += "endbfchar\n";
  }
  return (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
    "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n" +
    body +
    "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
  );
}

/**
 * The embeddable subset for the glyphs used (gid → the text it stands for). Cached by glyph set.
 */
export function embeddableSubset(font: LoadedFont, used: Map<number, string>): EmbeddableSubset {
  const gids = [...used.keys()].sort((a, b) => a - b);
  const cacheKey = `${font.key}:${gids.join(",")}`;
  const hit = subsetCache.get(cacheKey);
  if (hit) {
    // refresh LRU position
    subsetCache.delete(cacheKey);
    subsetCache.set(cacheKey, hit);
    return hit;
  }
  const program = subsetTrueType(font, gids);
  const digest = createHash("sha256").update(cacheKey).digest();
  let tag = "";
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (digest[i]! % 26));
  const scale = 1000 / font.unitsPerEm;
  const widths: (number | number[])[] = [];
  for (let i = 0; i < gids.length; ) {
    let j = i;
    while (j + 1 < gids.length && gids[j + 1] === gids[j]! + 1) j++;
    widths.push(gids[i]!, gids.slice(i, j + 1).map((g) => Math.round(font.advanceOf(g) * scale)));
    i = j + 1;
  }
  const subset: EmbeddableSubset = {
    baseFont: `${tag}+${font.postscriptName}`,
    fontFile: deflateSync(program),
    length1: program.length,
    widths,
    toUnicode: deflateSync(Buffer.from(toUnicodeCMap(used), "latin1")),
  };
  subsetCache.set(cacheKey, subset);
  if (subsetCache.size > SUBSET_CACHE_MAX) subsetCache.delete(subsetCache.keys().next().value!);
  return subset;
}
