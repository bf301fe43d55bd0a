import { inflateSync, deflateSync } from "node:zlib";
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { buildCertificateArtifacts } from "./artifacts.server";
import { createDemoP12, loadPadesSigner, signPdf } from "./pades.server";
import { getFont } from "./fonts.server";
import { checkPadesIntegrity, inspectCertificatePdf, judgeCertificatePdf, MAX_UPLOAD_BYTES, type PdfInspection } from "./pdf-check.server";
import { signPayload } from "./payload";
import { SAMPLE_BASE_URL, SAMPLE_KID, SAMPLE_PRIVATE_KEY, SAMPLE_PUBLIC_KEY, sampleCertificate } from "./sample.server";
import { decodeToken, encodeToken } from "./token";
import { poppler, tmpFile } from "./test-helpers.server";

const NOW = new Date("2025-11-22T03:00:00Z");
const demo = createDemoP12({ commonName: "Học viện Hành chính và Quản trị công", organisation: "Học viện Hành chính và Quản trị công" });
const signer = loadPadesSigner(demo.p12, demo.passphrase);
const keys = { [SAMPLE_KID]: SAMPLE_PUBLIC_KEY };
const fingerprint = signer.fingerprint256;

async function issued(name = "Nguyễn Thị Hường") {
  return buildCertificateArtifacts(sampleCertificate({ name }), { baseUrl: SAMPLE_BASE_URL, signingKey: SAMPLE_PRIVATE_KEY, pades: signer, now: NOW });
}

async function inspect(bytes: Uint8Array): Promise<PdfInspection> {
  const r = await inspectCertificatePdf(bytes);
  if (!r.ok) throw new Error(`expected a readable PDF, got ${r.error}: ${r.message}`);
  return r;
}

/** Forger's edit: replaces the glyph ids of the printed holder name in the page content and re-saves with pdf-lib. */
async function editPrintedName(pdf: Uint8Array, from: string, to: string): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf);
  const page = doc.getPages()[0]!;
  const stream = page.node.Contents() as PDFRawStream;
  const bold = getFont("bold");
  const hex = (s: string) => [...s].map((c) => bold.glyph(c.codePointAt(0)!).id.toString(16).padStart(4, "0")).join("");
  const content = inflateSync(stream.getContents()).toString("latin1");
  expect(content).toContain(`<${hex(from)}> Tj`);
  const edited = content.replace(`<${hex(from)}> Tj`, `<${hex(to)}> Tj`);
  const ref = page.node.get(PDFName.of("Contents"));
  doc.context.assign(ref as never, PDFRawStream.of(doc.context.obj({ Filter: "FlateDecode" }) as PDFDict, deflateSync(edited)));
  return doc.save({ useObjectStreams: false });
}

describe("inspectCertificatePdf: rejects what is not a certificate PDF", () => {
  it.each([
    ["an empty file", new Uint8Array(), "empty"],
    ["a PNG", Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), "not_pdf"],
    ["a text file", Buffer.from("hello, this is not a pdf\n%%EOF"), "not_pdf"],
    ["a PDF header followed by junk", Buffer.from("%PDF-1.7\n" + "x".repeat(500) + "\n%%EOF\n"), "unparsable"],
    ["an oversize file", Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(MAX_UPLOAD_BYTES)]), "too_large"],
  ])("%s → %s", async (_n, bytes, error) => {
    const r = await inspectCertificatePdf(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBe(error);
      expect(r.message.length).toBeGreaterThan(10);
    }
  });

  it.each([0.5, 0.9, 0.99])("a certificate truncated to %s of its length → truncated", async (fraction) => {
    const { pdf } = await issued();
    const r = await inspectCertificatePdf(pdf.subarray(0, Math.floor(pdf.length * fraction)));
    expect(r).toMatchObject({ ok: false, error: "truncated" });
  });
});

describe("inspectCertificatePdf: reads an issued certificate", () => {
  it("finds the token (Info and QR link agree), serial, Open Badge, printed name and an intact signature", async () => {
    const { pdf, token, openBadge } = await issued("Đặng Quốc Vượng");
    const r = await inspect(pdf);
    expect(r.token).toBe(token);
    expect(r.tokens).toEqual({ info: token, link: token });
    expect(r.serial).toBe("KNS-2025-000123-H");
    expect(r.openBadge).toEqual(JSON.parse(JSON.stringify(openBadge)));
    expect(r.textName).toBe("Đặng Quốc Vượng");
    expect(r.pades).toMatchObject({ status: "intact", signer: { commonName: "DEMO - Học viện Hành chính và Quản trị công", isDemo: true } });
    expect(r.problems).toEqual([]);
    expect(judgeCertificatePdf(r, { keys, trustedSigners: [fingerprint] })).toMatchObject({ verdict: "valid", payload: { name: "Đặng Quốc Vượng" } });
  });
});

describe("judgeCertificatePdf: edited files are altered", () => {
  it("printed name edited (content rewritten) → altered: signature broken and name differs", async () => {
    const { pdf } = await issued("Nguyễn Thị Hường");
    const edited = await editPrintedName(pdf, "Nguyễn Thị Hường", "Nguyễn Thị Hà");
    const r = await inspect(edited);
    expect(r.textName).toBe("Nguyễn Thị Hà");
    expect(r.pades.status).toBe("modified");
    expect(poppler("pdfsig", [tmpFile("edited-name.pdf", edited)]).out).not.toContain("Signature is Valid.");
    const v = judgeCertificatePdf(r, { keys });
    expect(v.verdict).toBe("altered");
    if (v.verdict === "altered") {
      expect(v.reasons).toContain('the printed name "Nguyễn Thị Hà" differs from the signed name "Nguyễn Thị Hường"');
      expect(v.reasons.some((x) => x.startsWith("the file's digital signature is broken"))).toBe(true);
    }
  });

  it("printed name edited and the file re-signed with the forger's own certificate → altered", async () => {
    const { pdf } = await issued("Nguyễn Thị Hường");
    const edited = await editPrintedName(pdf, "Nguyễn Thị Hường", "Nguyễn Thị Hà");
    // strip the old signature field by re-signing a fresh save: the forger's certificate is self-signed
    const forger = loadPadesSigner(demo.p12, demo.passphrase);
    const doc = await PDFDocument.load(edited);
    doc.catalog.delete(PDFName.of("AcroForm"));
    doc.getPages()[0]!.node.delete(PDFName.of("Annots"));
    for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
      if (obj instanceof PDFDict && obj.get(PDFName.of("Type")) === PDFName.of("Sig")) doc.context.delete(ref);
    }
    const resigned = await signPdf(await doc.save({ useObjectStreams: false }), forger);
    const r = await inspect(resigned);
    expect(r.pades.status).toBe("intact");
    const v = judgeCertificatePdf(r, { keys });
    expect(v.verdict).toBe("altered");
    if (v.verdict === "altered") expect(v.reasons.join("\n")).toMatch(/printed name "Nguyễn Thị Hà" differs/);
  });

  it("a file signed by an untrusted certificate → altered when trustedSigners is configured", async () => {
    const { pdf } = await issued();
    const v = judgeCertificatePdf(await inspect(pdf), { keys, trustedSigners: ["00:11"] });
    expect(v.verdict).toBe("altered");
  });

  it("QR payload changed (token with another name, old signature) → altered", async () => {
    const { pdf, token } = await issued();
    const d = decodeToken(token);
    if (!d.ok) throw new Error("fixture");
    const forged = encodeToken({ ...d.payload, name: "Nguyễn Văn Giả" }, d.signature);
    const doc = await PDFDocument.load(pdf);
    const info = (doc as unknown as { getInfoDict(): PDFDict }).getInfoDict();
    info.set(PDFName.of("LmsVerifyToken"), PDFString.of(forged));
    const link = doc.getPages()[0]!.node.Annots()!.lookup(0, PDFDict);
    link.set(PDFName.of("A"), doc.context.obj({ Type: "Action", S: "URI", URI: PDFString.of(`${SAMPLE_BASE_URL}/v/${forged}`) }));
    const r = await inspect(await doc.save({ useObjectStreams: false }));
    expect(r.token).toBe(forged);
    const v = judgeCertificatePdf(r, { keys });
    expect(v.verdict).toBe("altered");
    if (v.verdict === "altered") expect(v.reasons).toContain("the token's signature does not match its data");
  });

  it("QR link and embedded token disagree → altered", async () => {
    const a = await issued("Nguyễn Thị Hường");
    const b = await issued("Lê Thị Ánh Tuyết");
    const doc = await PDFDocument.load(a.pdf);
    const link = doc.getPages()[0]!.node.Annots()!.lookup(0, PDFDict);
    link.set(PDFName.of("A"), doc.context.obj({ Type: "Action", S: "URI", URI: PDFString.of(b.verifyUrl) }));
    const r = await inspect(await doc.save({ useObjectStreams: false }));
    expect(r.problems).toEqual(["The QR link and the token stored in the document differ."]);
    expect(judgeCertificatePdf(r, { keys }).verdict).toBe("altered");
  });

  it("an unsigned copy → altered unless signatures are not required", async () => {
    const art = await buildCertificateArtifacts(sampleCertificate(), { baseUrl: SAMPLE_BASE_URL, signingKey: SAMPLE_PRIVATE_KEY, now: NOW });
    const r = await inspect(art.pdf);
    expect(r.pades.status).toBe("unsigned");
    expect(checkPadesIntegrity(art.pdf)).toEqual({ status: "unsigned", reason: "the PDF has no digital signature" });
    expect(judgeCertificatePdf(r, { keys }).verdict).toBe("altered");
    expect(judgeCertificatePdf(r, { keys, requireSignature: false }).verdict).toBe("valid");
  });

  it("a token signed by a key that is not published → unknown_key", async () => {
    const { pdf } = await issued();
    expect(judgeCertificatePdf(await inspect(pdf), { keys: {} }).verdict).toBe("unknown_key");
  });

  it("an Open Badge edited inside the file → altered", async () => {
    const view = sampleCertificate();
    const art = await buildCertificateArtifacts(view, { baseUrl: SAMPLE_BASE_URL, signingKey: SAMPLE_PRIVATE_KEY, now: NOW });
    const r = await inspect(art.pdf);
    const ob = JSON.parse(JSON.stringify(r.openBadge));
    ob.credentialSubject.achievement.name = "Lãnh đạo chuyển đổi số";
    const v = judgeCertificatePdf({ ...r, openBadge: ob }, { keys, requireSignature: false });
    expect(v).toMatchObject({ verdict: "altered", reasons: ["the attached Open Badge credential's proof does not verify"] });
    // sanity: a re-signed payload for another name does not verify under the original signature either
    expect(signPayload(view.payload, SAMPLE_PRIVATE_KEY)).toBe(view.signature);
  });

  it("a PDF without any token → unknown", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const r = await inspect(await doc.save());
    expect(r.token).toBeNull();
    expect(judgeCertificatePdf(r, { keys })).toMatchObject({ verdict: "unknown" });
  });
});
