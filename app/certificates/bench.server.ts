/**
 * Certificate timings for `npm run bench` (call benchCertificates) or directly:
 *   npx tsx app/certificates/bench.server.ts [count]
 */
import { pathToFileURL } from "node:url";
import { buildCertificateArtifacts, buildOpenBadgeFor } from "./artifacts.server";
import { createDemoP12, loadPadesSigner, renderSignedCertificatePdf } from "./pades.server";
import { inspectCertificatePdf } from "./pdf-check.server";
import { loadCertificateTemplate, qrInfo, renderCertificatePdf, type CertificatePdfData } from "./pdf.server";
import { SAMPLE_BASE_URL, SAMPLE_KID, SAMPLE_PRIVATE_KEY, SAMPLE_PUBLIC_KEY, sampleCertificate } from "./sample.server";
import { verifyTokenOffline } from "./token";

const NAMES = ["Nguyễn Thị Hường", "Đặng Quốc Vượng", "Lê Thị Ánh Tuyết", "Trần Minh Khôi", "Phạm Thị Thu Trang"];

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { mean: +mean.toFixed(2), p50: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2) };
}

export interface CertificateBench {
  count: number;
  renderMs: ReturnType<typeof stats>;
  renderSignedMs: ReturnType<typeof stats>;
  openBadgeSignMs: ReturnType<typeof stats>;
  tokenVerifyUs: number;
  inspectMs: ReturnType<typeof stats>;
  pdfBytes: number;
  signedPdfBytes: number;
  tokenChars: number;
  verifyUrlChars: number;
  qrVersion: number;
}

export async function benchCertificates(count = 200): Promise<CertificateBench> {
  const view = sampleCertificate();
  const art = await buildCertificateArtifacts(view, { baseUrl: SAMPLE_BASE_URL, signingKey: SAMPLE_PRIVATE_KEY });
  const template = loadCertificateTemplate("basic_digital_skills");
  const demo = createDemoP12({ commonName: "Học viện Hành chính và Quản trị công", organisation: "Học viện Hành chính và Quản trị công" });
  const signer = loadPadesSigner(demo.p12, demo.passphrase);
  const data = (i: number): CertificatePdfData => ({
    serial: view.payload.serial,
    holderName: `${NAMES[i % NAMES.length]} ${i}`,
    unitName: view.holderUnitName,
    credentialNameVi: view.credential.nameVi,
    credentialNameEn: view.credential.nameEn,
    courseTitleVi: view.courseTitleVi,
    issuedAt: view.issuedAt,
    expiresAt: view.expiresAt,
    issuerName: view.issuer.nameVi,
    scorePercent: view.scorePercent,
    source: view.source,
    verifyUrl: art.verifyUrl,
    isDemoSigner: true,
    openBadgeJson: JSON.stringify(art.openBadge),
  });
  for (let i = 0; i < 20; i++) await renderSignedCertificatePdf(data(i), template, signer); // warm-up: fonts, JIT

  const render: number[] = [];
  let pdfBytes = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const pdf = await renderCertificatePdf(data(i), template);
    render.push(performance.now() - t0);
    pdfBytes = pdf.length;
  }
  const signed: number[] = [];
  let signedPdfBytes = 0;
  let lastSigned: Uint8Array = new Uint8Array();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    lastSigned = await renderSignedCertificatePdf(data(i), template, signer);
    signed.push(performance.now() - t0);
    signedPdfBytes = lastSigned.length;
  }
  const ob: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    buildOpenBadgeFor(view, SAMPLE_BASE_URL, SAMPLE_PRIVATE_KEY);
    ob.push(performance.now() - t0);
  }
  const keys = { [SAMPLE_KID]: SAMPLE_PUBLIC_KEY };
  const n = 2000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) verifyTokenOffline(art.token, keys);
  const tokenVerifyUs = ((performance.now() - t0) / n) * 1000;
  const inspect: number[] = [];
  for (let i = 0; i < Math.min(count, 50); i++) {
    const t1 = performance.now();
    await inspectCertificatePdf(lastSigned);
    inspect.push(performance.now() - t1);
  }
  return {
    count,
    renderMs: stats(render),
    renderSignedMs: stats(signed),
    openBadgeSignMs: stats(ob),
    tokenVerifyUs: +tokenVerifyUs.toFixed(1),
    inspectMs: stats(inspect),
    pdfBytes,
    signedPdfBytes,
    tokenChars: art.token.length,
    verifyUrlChars: art.verifyUrl.length,
    qrVersion: qrInfo(art.verifyUrl).version,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchCertificates(Number(process.argv[2] ?? 200)), null, 2));
}
