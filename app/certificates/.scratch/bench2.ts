import fontkit from "@pdf-lib/fontkit";
import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
const font: any = fontkit.create(readFileSync("certificates/fonts/BeVietnamPro_700Bold.ttf"));
console.log("glyphs", font.numGlyphs, Object.keys(font).slice(0,5));
const viet = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz";
const all = viet + viet.toUpperCase() + " !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~–—“”‘’…•·";
function subset(text: string) {
  const s = font.createSubset();
  for (const ch of text) s.includeGlyph(font.glyphForCodePoint(ch.codePointAt(0)!).id);
  // encodeStream for pdf-lib fontkit
  const chunks: Buffer[] = [];
  const st = s.encodeStream();
  return new Promise<Uint8Array>((res) => { st.on("data", (c: Buffer) => chunks.push(c)); st.on("end", () => res(Buffer.concat(chunks))); });
}
for (const t of ["Nguyễn Thị Hường KNS-2025 0123", all]) {
  for (let i = 0; i < 3; i++) await subset(t);
  let t0 = performance.now(); let b!: Uint8Array;
  for (let i = 0; i < 20; i++) b = await subset(t);
  const ms = (performance.now() - t0) / 20;
  t0 = performance.now(); let z!: Buffer; for (let i = 0; i < 20; i++) z = deflateSync(b, { level: 6 });
  console.log([...t].length, "subset ms", ms.toFixed(2), "size", b.length, "deflate ms", ((performance.now() - t0) / 20).toFixed(2), z.length);
}
let t0 = performance.now();
for (let i = 0; i < 100; i++) font.layout("Nguyễn Thị Hường " + i);
console.log("layout ms", (performance.now() - t0) / 100);
t0 = performance.now();
for (let i = 0; i < 1000; i++) { const s = "Nguyễn Thị Hường " + i; for (const ch of s) font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth; }
console.log("g4cp ms", (performance.now() - t0) / 1000);
