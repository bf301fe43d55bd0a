/**
 * Renders the sample certificate and writes tests/fixtures/certificates/golden-page.png (pdftoppm -r 60) for
 * review, plus timings. Usage:
 *
 *   npx tsx app/certificates/render-golden.ts            # golden PNG + timings
 *   npx tsx app/certificates/render-golden.ts --all DIR  # also every credential and edge case as PDF+PNG in DIR
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildCertificateArtifacts } from "./artifacts.server";
import { createDemoP12, loadPadesSigner } from "./pades.server";
import { qrInfo } from "./pdf.server";
import { GOLDEN_PNG, SAMPLE_BASE_URL, SAMPLE_PRIVATE_KEY, sampleCertificate, type SampleOptions } from "./sample.server";

const NOW = new Date("2025-11-22T03:00:00Z");

async function renderPng(options: SampleOptions, outBase: string, signed = false) {
  const pades = signed ? loadPadesSigner(...demoP12()) : undefined;
  const art = await buildCertificateArtifacts(sampleCertificate(options), {
    baseUrl: SAMPLE_BASE_URL,
    signingKey: SAMPLE_PRIVATE_KEY,
    pades,
    isDemoSigner: true,
    now: NOW,
  });
  writeFileSync(`${outBase}.pdf`, art.pdf);
  execFileSync("pdftoppm", ["-png", "-r", "60", "-singlefile", `${outBase}.pdf`, outBase]);
  return art;
}

let p12: [Buffer, string] | undefined;
function demoP12(): [Buffer, string] {
  if (!p12) {
    const d = createDemoP12({ commonName: "Học viện Hành chính và Quản trị công", organisation: "Học viện Hành chính và Quản trị công", now: NOW });
    p12 = [d.p12, d.passphrase];
  }
  return p12;
}

async function main() {
  const tmp = mkdtempSync(path.join(tmpdir(), "cert-golden-"));
  mkdirSync(path.dirname(GOLDEN_PNG), { recursive: true });
  const art = await renderPng({}, path.join(tmp, "golden"));
  execFileSync("cp", [path.join(tmp, "golden.png"), GOLDEN_PNG]);
  const q = qrInfo(art.verifyUrl);
  console.log(`wrote ${path.relative(process.cwd(), GOLDEN_PNG)}`);
  console.log(`token ${art.token.length} chars, verify URL ${art.verifyUrl.length} chars, QR version ${q.version} (${q.modules}×${q.modules}, ECC M)`);

  const all = process.argv.indexOf("--all");
  if (all >= 0) {
    const dir = path.resolve(process.argv[all + 1] ?? tmp);
    mkdirSync(dir, { recursive: true });
    const cases: [string, SampleOptions, boolean][] = [
      ["kns-huong", {}, true],
      ["aic-vuong", { credential: "ai_public_service", name: "Đặng Quốc Vượng", scorePercent: 100 }, false],
      ["qld-tuyet", { credential: "basic_data_management", name: "Lê Thị Ánh Tuyết", expiresAt: null, courseTitleVi: null }, false],
      [
        "htx-long",
        {
          credential: "commune_digital_assist",
          name: "Tôn Nữ Thị Phương Thảo Hoàng Nguyễn Khánh Linh",
          unit: "Ủy ban nhân dân xã Ea Kly, huyện Krông Pắc, tỉnh Đắk Lắk — Văn phòng HĐND và UBND",
          issuer: "Trường Chính trị tỉnh Đắk Lắk và Trung tâm Bồi dưỡng cán bộ, công chức cấp xã",
          courseTitleVi: "Bồi dưỡng kỹ năng hỗ trợ người dân sử dụng dịch vụ công trực tuyến và thanh toán không dùng tiền mặt",
        },
        false,
      ],
      ["lds-recognised", { credential: "leadership_dx", name: "Trịnh Văn Quyết", source: "recognised", scorePercent: null }, false],
    ];
    for (const [name, opts, signed] of cases) {
      const a = await renderPng(opts, path.join(dir, name), signed);
      console.log(`${name}: ${a.pdf.length} bytes, token ${a.token.length} chars -> ${path.join(dir, name)}.png`);
    }
  }
}

await main();
