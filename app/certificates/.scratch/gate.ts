import { writeFileSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { PDFDocument } from "pdf-lib";
import fontkit from "@pdf-lib/fontkit";
import { renderCertificatePdf } from "../pdf.server";
import { ResolvedTemplateSchema } from "../template";
const V = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
const text = V + V.toUpperCase();
const fonts = ["regular", "italic", "medium", "semibold", "bold"] as const;
const files = { regular: "BeVietnamPro_400Regular.ttf", italic: "BeVietnamPro_400Regular_Italic.ttf", medium: "BeVietnamPro_500Medium.ttf", semibold: "BeVietnamPro_600SemiBold.ttf", bold: "BeVietnamPro_700Bold.ttf" };
const t = ResolvedTemplateSchema.parse({ credential: "x", page: { width: 842, height: 595 }, colors: { ink: "#000000", white: "#FFFFFF" }, texts: {}, meta: { titleVi: "x", subjectVi: "x", keywords: [] },
  elements: [ ...fonts.map((f, i) => ({ id: "t" + i, type: "text", x: 20, y: 40 + i * 30, font: f, size: 8, text: "{holderName}", ...(i === 0 ? { tag: "HolderName" } : {}) })), { id: "qr", type: "qr", x: 600, y: 400, size: 100 } ] });
const mine = await renderCertificatePdf({ serial: "KNS-2025-000123-H", holderName: text, unitName: "", credentialNameVi: "", credentialNameEn: "", issuedAt: new Date(), expiresAt: null, issuerName: "x", source: "passed", verifyUrl: "https://x/v/a.b", isDemoSigner: false }, t);
writeFileSync("/tmp/g-mine.pdf", mine);
const doc = await PDFDocument.create(); doc.registerFontkit(fontkit);
const page = doc.addPage([842, 595]);
for (const [i, f] of fonts.entries()) {
  const font = await doc.embedFont(readFileSync("certificates/fonts/" + files[f]), { subset: false, features: { liga: false } });
  page.drawText(text, { x: 20, y: 595 - (40 + i * 30), size: 8, font });
}
writeFileSync("/tmp/g-ref.pdf", await doc.save());
for (const n of ["mine", "ref"]) execFileSync("pdftoppm", ["-gray", "-r", "150", "-x", "0", "-y", "0", "-W", "1700", "-H", "400", "-singlefile", `/tmp/g-${n}.pdf`, `/tmp/g-${n}`]);
const a = readFileSync("/tmp/g-mine.pgm"), b = readFileSync("/tmp/g-ref.pgm");
let diff = 0; for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
console.log("len", a.length, b.length, "diff px", diff);
console.log(execFileSync("pdftotext", ["-f", "1", "-l", "1", "/tmp/g-mine.pdf", "-"]).toString().split("\n")[0] === text);
