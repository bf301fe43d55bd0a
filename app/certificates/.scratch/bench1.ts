import { PDFDocument, rgb } from "pdf-lib";
import fontkit from "@pdf-lib/fontkit";
import { readFileSync } from "node:fs";
import QRCode from "qrcode";
const reg = readFileSync("certificates/fonts/BeVietnamPro_400Regular.ttf");
const bold = readFileSync("certificates/fonts/BeVietnamPro_700Bold.ttf");
const semi = readFileSync("certificates/fonts/BeVietnamPro_600SemiBold.ttf");
const names = ["Nguyễn Thị Hường", "Đặng Quốc Vượng", "Lê Thị Ánh Tuyết", "Trần Văn Bình"];
async function one(i: number, subset: boolean) {
  const t: Record<string, number> = {};
  let t0 = performance.now();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const r = await doc.embedFont(reg, { subset });
  const b = await doc.embedFont(bold, { subset });
  const s = await doc.embedFont(semi, { subset });
  t.embed = performance.now() - t0; t0 = performance.now();
  const page = doc.addPage([841.89, 595.28]);
  const texts = ["BỘ NỘI VỤ", "HỌC VIỆN HÀNH CHÍNH QUỐC GIA", "CHỨNG NHẬN", "Chứng nhận ông/bà", names[i % 4], "Đã hoàn thành khóa bồi dưỡng", "Kỹ năng số cơ bản cho cán bộ, công chức", "Cấp ngày 22 tháng 11 năm 2025", "Số hiệu: KNS-2025-000123-X", "Quét để xác thực / Scan to verify", "Có giá trị đến 22/11/2027", "GIÁM ĐỐC", "Nguyễn Văn A", "Certificate of completion"];
  texts.forEach((x, k) => page.drawText(x, { x: 50, y: 550 - k * 30, size: 14, font: k % 3 === 0 ? b : k % 3 === 1 ? r : s, color: rgb(0.1, 0.1, 0.1) }));
  t.text = performance.now() - t0; t0 = performance.now();
  const qr = QRCode.create("https://lms.example.gov.vn/v/" + "A".repeat(250), { errorCorrectionLevel: "M" });
  const n = qr.modules.size; const d = qr.modules.data;
  let path = "";
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (d[y * n + x]) path += `M${x} ${y}h1v1h-1z`;
  page.drawSvgPath(path, { x: 700, y: 150, scale: 1.2 });
  t.qr = performance.now() - t0; t0 = performance.now();
  await doc.attach(new TextEncoder().encode(JSON.stringify({ a: "x".repeat(2000) })), "openbadge.json", { mimeType: "application/ld+json" });
  doc.setTitle("Chứng nhận"); doc.setAuthor("HVHC");
  const bytes = await doc.save();
  t.save = performance.now() - t0;
  return { t, len: bytes.length };
}
for (const subset of [true, false]) {
  for (let i = 0; i < 5; i++) await one(i, subset);
  const acc: Record<string, number> = {}; let len = 0;
  const N = 30; const T0 = performance.now();
  for (let i = 0; i < N; i++) { const { t, len: l } = await one(i, subset); len = l; for (const k in t) acc[k] = (acc[k] ?? 0) + t[k] / N; }
  console.log(subset, ((performance.now() - T0) / N).toFixed(2), acc, len);
}
