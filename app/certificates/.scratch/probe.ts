import fontkit from "@pdf-lib/fontkit";
import { readFileSync } from "node:fs";
const f: any = fontkit.create(readFileSync("certificates/fonts/BeVietnamPro_700Bold.ttf"));
console.log(Object.keys(f.directory.tables), f.unitsPerEm, f.ascent, f.descent, f.capHeight, f.xHeight, f.italicAngle, f.bbox, f.postscriptName, f.numGlyphs);
const g = f.glyphForCodePoint("ễ".codePointAt(0));
console.log(g.id, g.advanceWidth, g.constructor.name, g._getTableStream ? 1 : 0);
console.log(f.directory.tables.glyf, f["OS/2"].usWeightClass, f["OS/2"].fsSelection, f.head.indexToLocFormat, f.hhea.numberOfMetrics);
// composite check
const buf = readFileSync("certificates/fonts/BeVietnamPro_700Bold.ttf");
const loca = f.loca.offsets; const glyfOff = f.directory.tables.glyf.offset;
const off = loca[g.id]; console.log("ncont", buf.readInt16BE(glyfOff + off));
console.log(f.characterSet.length);
