/**
 * PDF/A-3b structure of a PAdES-signed certificate, checked on the final signed bytes: XMP present, unfiltered and
 * equal to the Info dictionary; sRGB OutputIntent with the embedded ICC profile; trailer /ID; the Open Badge as an
 * associated file. This is a structural check only — veraPDF (the reference validator) is not available here.
 */
import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString, type PDFObject } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { buildCertificateArtifacts } from "./artifacts.server";
import { createDemoP12, loadPadesSigner } from "./pades.server";
import { INFO_SERIAL_KEY, INFO_TOKEN_KEY, PDFA_ICC_FILE, PDFA_OUTPUT_CONDITION, xmpPacket } from "./pdf.server";
import { SAMPLE_BASE_URL, SAMPLE_PRIVATE_KEY, sampleCertificate } from "./sample.server";
import { poppler, tmpFile } from "./test-helpers.server";

const NOW = new Date("2025-11-22T03:04:05.678Z");
const demo = createDemoP12({ commonName: "Học viện Hành chính và Quản trị công", organisation: "Học viện Hành chính và Quản trị công", passphrase: "pdfa" });
const signer = loadPadesSigner(demo.p12, demo.passphrase, "pdfa-test");

async function signed() {
  const art = await buildCertificateArtifacts(sampleCertificate({ name: "Nguyễn Thị <Hường> & Co" }), { baseUrl: SAMPLE_BASE_URL, signingKey: SAMPLE_PRIVATE_KEY, pades: signer, now: NOW });
  return { ...art, doc: await PDFDocument.load(art.pdf, { updateMetadata: false }) };
}

const text = (o: PDFObject | undefined) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : String(o));
const xmlUnescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
const xmpValue = (xmp: string, re: RegExp) => {
  const m = re.exec(xmp);
  return m ? xmlUnescape(m[1]!) : null;
};
/** D:20251122030405Z → 2025-11-22T03:04:05Z */
const pdfDateToIso = (d: string) => d.replace(/^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z.*$/, "$1-$2-$3T$4:$5:$6Z");

describe("PDF/A-3b structure of the signed certificate", () => {
  it("has an unfiltered XMP packet claiming PDF/A-3B whose fields equal the Info dictionary", async () => {
    const { doc, pdf, token } = await signed();
    const stream = doc.catalog.lookup(PDFName.of("Metadata")) as PDFRawStream;
    expect(stream.dict.lookup(PDFName.of("Type"))).toBe(PDFName.of("Metadata"));
    expect(stream.dict.lookup(PDFName.of("Subtype"))).toBe(PDFName.of("XML"));
    expect(stream.dict.has(PDFName.of("Filter"))).toBe(false);
    const xmp = new TextDecoder().decode(stream.getContents());
    expect(xmp.startsWith('<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>')).toBe(true);
    expect(xmp.trimEnd().endsWith('<?xpacket end="w"?>')).toBe(true);
    expect(xmpValue(xmp, /<pdfaid:part>(.*?)<\/pdfaid:part>/)).toBe("3");
    expect(xmpValue(xmp, /<pdfaid:conformance>(.*?)<\/pdfaid:conformance>/)).toBe("B");

    const info = (doc as unknown as { getInfoDict(): PDFDict }).getInfoDict();
    const get = (k: string) => text(info.lookup(PDFName.of(k)));
    expect(xmpValue(xmp, /<dc:title><rdf:Alt><rdf:li xml:lang="x-default">(.*?)<\/rdf:li>/)).toBe(get("Title"));
    expect(get("Title")).toContain("Nguyễn Thị <Hường> & Co");
    expect(xmpValue(xmp, /<dc:creator><rdf:Seq><rdf:li>(.*?)<\/rdf:li>/)).toBe(get("Author"));
    expect(xmpValue(xmp, /<dc:description><rdf:Alt><rdf:li xml:lang="x-default">(.*?)<\/rdf:li>/)).toBe(get("Subject"));
    expect(xmpValue(xmp, /<pdf:Keywords>(.*?)<\/pdf:Keywords>/)).toBe(get("Keywords"));
    expect(xmpValue(xmp, /<pdf:Producer>(.*?)<\/pdf:Producer>/)).toBe(get("Producer"));
    expect(xmpValue(xmp, /<xmp:CreatorTool>(.*?)<\/xmp:CreatorTool>/)).toBe(get("Creator"));
    expect(xmpValue(xmp, /<xmp:CreateDate>(.*?)<\/xmp:CreateDate>/)).toBe(pdfDateToIso(get("CreationDate")));
    expect(xmpValue(xmp, /<xmp:ModifyDate>(.*?)<\/xmp:ModifyDate>/)).toBe(pdfDateToIso(get("ModDate")));
    expect(xmpValue(xmp, /<xmp:CreateDate>(.*?)<\/xmp:CreateDate>/)).toBe("2025-11-22T03:04:05Z");
    // Our own Info keys are mirrored under a namespace declared by a PDF/A extension schema.
    expect(xmpValue(xmp, new RegExp(`<lms:${INFO_TOKEN_KEY}>(.*?)</lms:${INFO_TOKEN_KEY}>`))).toBe(token);
    expect(xmpValue(xmp, new RegExp(`<lms:${INFO_SERIAL_KEY}>(.*?)</lms:${INFO_SERIAL_KEY}>`))).toBe(get(INFO_SERIAL_KEY));
    expect(xmp).toMatch(/<pdfaSchema:prefix>lms<\/pdfaSchema:prefix>/);
    expect(xmp.match(/<pdfaProperty:name>/g)).toHaveLength(2);

    // An independent reader (poppler) finds the same packet.
    expect(poppler("pdfinfo", ["-meta", tmpFile("pdfa-meta.pdf", pdf)]).out).toContain("<pdfaid:part>3</pdfaid:part>");
  });

  it("has an sRGB OutputIntent (GTS_PDFA1) embedding certificates/color/sRGB.icc", async () => {
    const { doc } = await signed();
    const intents = doc.catalog.lookup(PDFName.of("OutputIntents"), PDFArray);
    expect(intents.size()).toBe(1);
    const intent = intents.lookup(0, PDFDict);
    expect(intent.lookup(PDFName.of("Type"))).toBe(PDFName.of("OutputIntent"));
    expect(intent.lookup(PDFName.of("S"))).toBe(PDFName.of("GTS_PDFA1"));
    expect(text(intent.lookup(PDFName.of("OutputConditionIdentifier")))).toBe(PDFA_OUTPUT_CONDITION);
    const profile = intent.lookup(PDFName.of("DestOutputProfile")) as PDFRawStream;
    expect(profile.dict.lookup(PDFName.of("N"))?.toString()).toBe("3");
    const icc = inflateSync(profile.getContents());
    expect(icc.equals(readFileSync(PDFA_ICC_FILE()))).toBe(true);
    expect(icc.subarray(36, 40).toString("latin1")).toBe("acsp"); // ICC signature
    expect(icc.subarray(12, 20).toString("latin1")).toBe("mntrRGB "); // display class, RGB data
    expect(icc.readUInt32BE(0)).toBe(icc.length);
  });

  it("has a trailer /ID and the Open Badge as an associated file (catalog /AF, AFRelationship, MIME subtype, ModDate)", async () => {
    const { doc, pdf } = await signed();
    const id = doc.context.trailerInfo.ID as PDFArray;
    expect(id.size()).toBe(2);
    expect(String(id.get(0))).toMatch(/^<[0-9A-Fa-f]{32}>$/);
    const af = doc.catalog.lookup(PDFName.of("AF"), PDFArray);
    const spec = af.lookup(0, PDFDict);
    expect(text(spec.lookup(PDFName.of("UF")))).toBe("openbadge.json");
    expect(spec.lookup(PDFName.of("AFRelationship"))).toBe(PDFName.of("Alternative"));
    const ef = spec.lookup(PDFName.of("EF"), PDFDict).lookup(PDFName.of("F")) as PDFRawStream;
    expect(ef.dict.lookup(PDFName.of("Subtype"))).toBe(PDFName.of("application/ld+json"));
    expect(ef.dict.lookup(PDFName.of("Params"), PDFDict).has(PDFName.of("ModDate"))).toBe(true);
    // The attachment is also listed in the name tree (what readers show).
    expect(poppler("pdfdetach", ["-list", tmpFile("pdfa-af.pdf", pdf)]).out).toContain("openbadge.json");
  });

  it("stays PAdES-valid: the PDF/A parts are inside the signed range (pdfsig)", async () => {
    const { pdf } = await signed();
    const out = poppler("pdfsig", [tmpFile("pdfa-signed.pdf", pdf)]).out;
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(out).toContain("Total document signed");
  });

  it("escapes XML in the packet", () => {
    const xmp = xmpPacket({ title: `a<b>&"c"`, author: "x", subject: "y", keywords: "k", producer: "p", creatorTool: "t", created: NOW, modified: NOW, lang: "vi", custom: {} });
    expect(xmp).toContain("a&lt;b&gt;&amp;&quot;c&quot;");
  });
});
