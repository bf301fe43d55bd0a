import { getFont, embeddableSubset, subsetTrueType } from "../fonts.server";
const f = getFont("bold");
for (const t of ["cvt ", "fpgm", "prep", "hmtx", "glyf", "loca"]) console.log(t, f.tables.get(t)?.length);
const used = new Map<number, string>();
for (const ch of "Nguyễn Thị Hường GIẤY CHỨNG NHẬN KNS-2025-000123-7") used.set(f.glyph(ch.codePointAt(0)!).id, ch);
const s = embeddableSubset(f, used);
console.log("subset", s.length1, "deflated", s.fontFile.length, "tounicode", s.toUnicode.length);
