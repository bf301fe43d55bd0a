import { getFont } from "../fonts.server";
const f = getFont("bold");
let total = 0, ins = 0, comp = 0;
for (let g = 0; g < f.numGlyphs; g++) {
  const b = f.glyphBytes(g); if (!b.length) continue; total += b.length;
  const nc = (b[0]! << 8 | b[1]!) << 16 >> 16;
  if (nc < 0) { comp++; continue; }
  const L = b[10 + 2 * nc]! << 8 | b[11 + 2 * nc]!; ins += L;
}
console.log({ total, ins, comp });
