/**
 * Renders a certificate as a one-page A4 landscape PDF from a layout template (certificates/templates/).
 *
 * - Text: Be Vietnam Pro, subset per document, every string NFC-normalised; characters the font cannot draw are
 *   an error (never a silent blank box).
 * - QR: vector rectangles linking to the verify URL, plus a link annotation over it.
 * - Metadata: Title/Author/Subject/Keywords/Producer, catalog /Lang vi, Info keys LmsVerifyToken and LmsSerial.
 * - The Open Badges 3.0 credential is attached as `openbadge.json` (application/ld+json, AFRelationship
 *   Alternative).
 * - PDF/A-3b: an XMP metadata stream (pdfaid part 3, conformance B) equal to the Info dictionary, an sRGB
 *   OutputIntent with the embedded ICC profile (certificates/color/sRGB.icc, Zlib licence), a trailer /ID, and the
 *   attachment as an associated file (catalog /AF, /AFRelationship, MIME /Subtype, /Params /ModDate). Checked by
 *   structure in the tests; no veraPDF here.
 * - With `options.pades`, a signature placeholder is added before saving; fill it with pades.server.ts.
 */
import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import { SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { AFRelationship, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString, type PDFRef } from "pdf-lib";
import QRCode from "qrcode";
import { embeddableSubset, getFont, certificatesDir, type FontKey, type LoadedFont } from "./fonts.server";
import { toVietnamDate } from "./payload";
import {
  colourRgb,
  dateLongEn,
  dateLongVi,
  dateNumeric,
  fillPlaceholders,
  fitText,
  resolveTemplate,
  type CertificateTemplate,
  type Condition,
  type Run,
  type TemplateElement,
  type TemplateField,
  type TextElement,
} from "./template";
import { tokenFromVerifyUrl } from "./token";

export interface CertificatePdfData {
  serial: string;
  holderName: string;
  /** The holder's unit at issue time. */
  unitName: string;
  credentialNameVi: string;
  credentialNameEn: string;
  courseTitleVi?: string | null;
  issuedAt: Date;
  expiresAt: Date | null;
  /** The issuing body, printed at the top and under the signature. */
  issuerName: string;
  scorePercent?: number | null;
  source: "passed" | "recognised";
  /** `https://…/v/<token>`; the token is also stored in the Info dictionary (LmsVerifyToken). */
  verifyUrl: string;
  isDemoSigner: boolean;
  /** Signed OpenBadgeCredential JSON to attach as openbadge.json. */
  openBadgeJson?: string | null;
}

export interface PadesPlaceholderOptions {
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** Signer name shown by viewers (the certificate's CN is authoritative). */
  name: string;
  /** Bytes reserved for the CMS (hex doubles it). 8192 fits an RSA-2048 chain of 2–3 certificates. */
  signatureLength?: number;
  signingTime?: Date;
}

export interface RenderOptions {
  pades?: PadesPlaceholderOptions;
  /** Document dates (defaults to now). */
  now?: Date;
}

export const OPENBADGE_ATTACHMENT_NAME = "openbadge.json";
export const INFO_TOKEN_KEY = "LmsVerifyToken";

/** @signpdf signatureLength (hex digits reserved for the CMS): 4 KB of DER for B-B, 8 KB with an RFC 3161 token and the TSA chain (LMS_TSA_URL). */
export const defaultSignatureLength = (env: NodeJS.ProcessEnv = process.env) => (env.LMS_TSA_URL?.trim() ? 16_384 : 8192);
export const INFO_SERIAL_KEY = "LmsSerial";
export const PRODUCER = "LMS Công vụ số (pdf-lib 1.17, Be Vietnam Pro)";

// ---------------------------------------------------------------------------------------------------------------
// Templates

const templateCache = new Map<string, CertificateTemplate>();

/** Loads and validates `certificates/templates/<credentialId>/layout.json` over `_base` (cached per process). */
export function loadCertificateTemplate(credentialId: string): CertificateTemplate {
  if (!/^[a-z][a-z0-9_]*$/.test(credentialId)) throw new Error(`certificate template: bad credential id "${credentialId}"`);
  let t = templateCache.get(credentialId);
  if (!t) {
    const dir = path.join(certificatesDir(), "templates");
    const read = (name: string) => {
      const file = path.join(dir, name, "layout.json");
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        throw new Error(`certificate template: ${path.relative(process.cwd(), file)} does not exist`);
      }
      return { file: path.relative(process.cwd(), file), text };
    };
    const own = read(credentialId);
    const ext = (JSON.parse(own.text) as { extends?: string }).extends ?? "_base";
    t = resolveTemplate(credentialId, read(ext), own);
    templateCache.set(credentialId, t);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// Content stream helpers

const n = (v: number) => {
  const s = v.toFixed(3);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
};

class Page {
  ops: string[] = [];
  constructor(
    readonly template: CertificateTemplate,
    readonly height: number,
  ) {}
  rgb(c: string, stroke = false) {
    const [r, g, b] = colourRgb(this.template, c);
    this.ops.push(`${n(r)} ${n(g)} ${n(b)} ${stroke ? "RG" : "rg"}`);
  }
  /** y from the top of the page → PDF y. */
  Y(y: number) {
    return this.height - y;
  }
}

interface FontUse {
  font: LoadedFont;
  resource: string;
  used: Map<number, string>;
}

class FontSet {
  uses = new Map<FontKey, FontUse>();
  get(key: FontKey): FontUse {
    let u = this.uses.get(key);
    if (!u) {
      u = { font: getFont(key), resource: `F${this.uses.size + 1}`, used: new Map() };
      this.uses.set(key, u);
    }
    return u;
  }
  width(run: Run, size: number, tracking: number): number {
    const f = getFont(run.font);
    let units = 0;
    let count = 0;
    for (const ch of run.text) {
      units += f.glyph(ch.codePointAt(0)!).advance;
      count++;
    }
    return (units * size) / f.unitsPerEm + tracking * count;
  }
  measure = (runs: Run[], size: number, tracking: number): number => {
    let w = 0;
    let chars = 0;
    for (const r of runs) {
      w += this.width(r, size, tracking);
      chars += [...r.text].length;
    }
    return chars > 0 ? w - tracking : 0;
  };
  /** Hex glyph string for a run, recording glyph use; throws on characters the font lacks. */
  encode(run: Run, where: string): { use: FontUse; hex: string } {
    const use = this.get(run.font);
    let hex = "";
    for (const ch of run.text) {
      const cp = ch.codePointAt(0)!;
      const g = use.font.glyph(cp);
      if (g.id === 0) {
        throw new Error(
          `certificate ${where}: the character "${ch}" (U+${cp.toString(16).toUpperCase().padStart(4, "0")}) cannot be drawn with Be Vietnam Pro`,
        );
      }
      if (!use.used.has(g.id)) use.used.set(g.id, ch);
      hex += g.id.toString(16).padStart(4, "0");
    }
    return { use, hex };
  }
}

function conditionHolds(c: Condition, d: CertificatePdfData): boolean {
  const neg = c.startsWith("!");
  const name = neg ? c.slice(1) : c;
  let v: boolean;
  switch (name) {
    case "courseTitleVi":
      v = !!d.courseTitleVi?.trim();
      break;
    case "scorePercent":
      v = typeof d.scorePercent === "number" && Number.isFinite(d.scorePercent);
      break;
    case "expiresAt":
      v = d.expiresAt !== null;
      break;
    case "source:passed":
      v = d.source === "passed";
      break;
    case "source:recognised":
      v = d.source === "recognised";
      break;
    case "demo":
      v = d.isDemoSigner;
      break;
    default:
      throw new Error(`unknown condition ${c}`);
  }
  return neg ? !v : v;
}

const clean = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

function fieldValues(d: CertificatePdfData): Record<TemplateField, string> {
  const issued = toVietnamDate(d.issuedAt);
  const expires = d.expiresAt ? toVietnamDate(d.expiresAt) : null;
  return {
    serial: clean(d.serial),
    holderName: clean(d.holderName),
    unitName: clean(d.unitName),
    credentialNameVi: clean(d.credentialNameVi),
    credentialNameEn: clean(d.credentialNameEn),
    courseTitleVi: clean(d.courseTitleVi ?? ""),
    issuerName: clean(d.issuerName),
    issuerNameUpper: clean(d.issuerName).toLocaleUpperCase("vi").normalize("NFC"),
    scorePercent: typeof d.scorePercent === "number" ? String(Math.round(d.scorePercent)) : "",
    issuedDate: dateNumeric(issued),
    issuedDateLongVi: dateLongVi(issued),
    issuedDateLongEn: dateLongEn(issued),
    expiresDate: expires ? dateNumeric(expires) : "",
  };
}

function drawText(page: Page, fonts: FontSet, el: TextElement, values: Record<TemplateField, string>) {
  const t = page.template;
  // Field values are already cleaned; template wording keeps its own spacing (e.g. "   ·   " between languages).
  const fill = (s: string) => {
    const v = fillPlaceholders(s, t.texts, values).normalize("NFC");
    return el.upper ? v.toLocaleUpperCase("vi").normalize("NFC") : v;
  };
  const runs: Run[] = (el.segments ?? [{ text: el.text ?? "" }])
    .map((s) => ({ text: fill(s.text), font: ("font" in s && s.font) || el.font, color: ("color" in s && s.color) || el.color }))
    .filter((r) => r.text.length > 0);
  if (runs.length === 0) return;
  runs[0]!.text = runs[0]!.text.trimStart();
  runs[runs.length - 1]!.text = runs[runs.length - 1]!.text.trimEnd();
  const fitted = fitText(runs, el, fonts.measure);
  const { size } = fitted;
  const lineGap = size * el.lineHeight;
  const lines = fitted.lines;
  const firstBaseline = el.wrapUp ? el.y - (lines.length - 1) * lineGap : el.y;
  const rad = (el.rotate * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  if (el.tag) page.ops.push(`/${el.tag} BMC`);
  let lastWidth = 0;
  let lastX = el.x;
  lines.forEach((line, li) => {
    let width = fonts.measure(line, size, el.tracking);
    let scale = 100;
    if (el.maxWidth && width > el.maxWidth + 0.01) {
      scale = (el.maxWidth / width) * 100;
      width = el.maxWidth;
    }
    const dx = el.align === "center" ? -width / 2 : el.align === "right" ? -width : 0;
    const baseline = firstBaseline + li * lineGap;
    const x = el.x + dx * cos;
    const y = page.Y(baseline) + dx * sin;
    lastWidth = width;
    lastX = el.x + dx;
    // Tc and Tz are graphics state and outlive ET: set both for every text object.
    page.ops.push("BT", `${n(el.tracking)} Tc ${n(scale)} Tz`);
    page.ops.push(`${n(cos)} ${n(sin)} ${n(-sin)} ${n(cos)} ${n(x)} ${n(y)} Tm`);
    let font = "";
    let colour = "";
    for (const run of line) {
      const { use, hex } = fonts.encode(run, `element "${el.id}"`);
      if (use.resource !== font) {
        page.ops.push(`/${use.resource} ${n(size)} Tf`);
        font = use.resource;
      }
      if (run.color !== colour) {
        page.rgb(run.color);
        colour = run.color;
      }
      page.ops.push(`<${hex}> Tj`);
    }
    page.ops.push("ET");
  });
  if (el.tag) page.ops.push("EMC");
  if (el.underline) {
    const len = el.underline.length ?? lastWidth;
    const cx = lastX + lastWidth / 2;
    const y = page.Y(firstBaseline + (lines.length - 1) * lineGap + el.underline.offset);
    page.rgb(el.underline.color ?? el.color, true);
    page.ops.push(`${n(el.underline.width)} w ${n(cx - len / 2)} ${n(y)} m ${n(cx + len / 2)} ${n(y)} l S`);
  }
}

function drawQr(page: Page, el: Extract<TemplateElement, { type: "qr" }>, url: string) {
  const qr = QRCode.create(url, { errorCorrectionLevel: "M" });
  const count = qr.modules.size;
  const data = qr.modules.data;
  const quiet = 2; // the white card adds margin; 2 modules plus the card keep a clean quiet zone on paper
  const unit = el.size / (count + 2 * quiet);
  if (el.background) {
    page.rgb(el.background);
    page.ops.push(`${n(el.x)} ${n(page.Y(el.y + el.size))} ${n(el.size)} ${n(el.size)} re f`);
  }
  page.rgb(el.color);
  // Modules in module units, y downwards from the top-left of the symbol; merge horizontal runs per row.
  page.ops.push(`q ${n(unit)} 0 0 ${n(-unit)} ${n(el.x + quiet * unit)} ${n(page.Y(el.y + quiet * unit))} cm`);
  const rects: string[] = [];
  for (let y = 0; y < count; y++) {
    let x = 0;
    while (x < count) {
      if (!data[y * count + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < count && data[y * count + x]) x++;
      rects.push(`${start} ${y} ${x - start} 1 re`);
    }
  }
  page.ops.push(rects.join("\n"), "f Q");
  return { version: qr.version, modules: count };
}

function drawShape(page: Page, el: TemplateElement) {
  switch (el.type) {
    case "rect": {
      const args = `${n(el.x)} ${n(page.Y(el.y + el.h))} ${n(el.w)} ${n(el.h)} re`;
      if (el.fill) page.rgb(el.fill);
      if (el.stroke) {
        page.rgb(el.stroke, true);
        page.ops.push(`${n(el.lineWidth)} w`);
      }
      page.ops.push(`${args} ${el.fill && el.stroke ? "B" : el.fill ? "f" : "S"}`);
      break;
    }
    case "line":
      page.rgb(el.color, true);
      page.ops.push(`${n(el.lineWidth)} w ${n(el.x1)} ${n(page.Y(el.y1))} m ${n(el.x2)} ${n(page.Y(el.y2))} l S`);
      break;
    case "corners": {
      page.rgb(el.color, true);
      const { x, y, w, h, length: L } = el;
      const pts: [number, number, number, number][] = [
        [x, y, 1, 1],
        [x + w, y, -1, 1],
        [x, y + h, 1, -1],
        [x + w, y + h, -1, -1],
      ];
      const path = pts
        .map(([cx, cy, sx, sy]) => `${n(cx)} ${n(page.Y(cy + sy * L))} m ${n(cx)} ${n(page.Y(cy))} l ${n(cx + sx * L)} ${n(page.Y(cy))} l`)
        .join(" ");
      page.ops.push(`${n(el.lineWidth)} w 0 J 0 j ${path} S`);
      break;
    }
    case "diamond": {
      page.rgb(el.color);
      const r = el.size / 2;
      const cy = page.Y(el.y);
      page.ops.push(`${n(el.x)} ${n(cy + r)} m ${n(el.x + r)} ${n(cy)} l ${n(el.x)} ${n(cy - r)} l ${n(el.x - r)} ${n(cy)} l h f`);
      break;
    }
    default:
      break;
  }
}

export interface RenderInfo {
  qrVersion: number;
  qrModules: number;
  qrRect: [number, number, number, number];
}

function buildContent(template: CertificateTemplate, data: CertificatePdfData, fonts: FontSet): { content: string; info: RenderInfo } {
  const page = new Page(template, template.page.height);
  const values = fieldValues(data);
  let info: RenderInfo | undefined;
  for (const el of template.elements) {
    const when = el.when === undefined ? [] : Array.isArray(el.when) ? el.when : [el.when];
    if (!when.every((c) => conditionHolds(c, data))) continue;
    if (el.type === "text") drawText(page, fonts, el, values);
    else if (el.type === "qr") {
      const q = drawQr(page, el, data.verifyUrl);
      info = { qrVersion: q.version, qrModules: q.modules, qrRect: [el.x, page.Y(el.y + el.size), el.x + el.size, page.Y(el.y)] };
    } else drawShape(page, el);
  }
  if (!info) throw new Error(`certificate template ${template.credential}: no QR element was drawn`);
  return { content: page.ops.join("\n"), info };
}

function registerFont(doc: PDFDocument, use: FontUse): PDFRef {
  const ctx = doc.context;
  const f = use.font;
  const s = embeddableSubset(f, use.used);
  const fontFile = ctx.register(PDFRawStream.of(ctx.obj({ Length1: s.length1, Filter: "FlateDecode" }) as PDFDict, s.fontFile));
  const scale = 1000 / f.unitsPerEm;
  const descriptor = ctx.register(
    ctx.obj({
      Type: "FontDescriptor",
      FontName: s.baseFont,
      Flags: f.flags,
      FontBBox: f.bbox.map((v) => Math.round(v * scale)),
      ItalicAngle: f.italicAngle,
      Ascent: Math.round(f.ascent * scale),
      Descent: Math.round(f.descent * scale),
      CapHeight: Math.round(f.capHeight * scale),
      StemV: f.stemV,
      FontFile2: fontFile,
    }),
  );
  const cid = ctx.register(
    ctx.obj({
      Type: "Font",
      Subtype: "CIDFontType2",
      BaseFont: s.baseFont,
      CIDSystemInfo: { Registry: PDFString.of("Adobe"), Ordering: PDFString.of("Identity"), Supplement: 0 },
      FontDescriptor: descriptor,
      W: s.widths,
      CIDToGIDMap: "Identity",
    }),
  );
  const toUnicode = ctx.register(PDFRawStream.of(ctx.obj({ Filter: "FlateDecode" }) as PDFDict, s.toUnicode));
  return ctx.register(
    ctx.obj({ Type: "Font", Subtype: "Type0", BaseFont: s.baseFont, Encoding: "Identity-H", DescendantFonts: [cid], ToUnicode: toUnicode }),
  );
}

/** Renders the certificate. Deterministic for the same data, template and `options.now`. */
export async function renderCertificatePdf(
  data: CertificatePdfData,
  template: CertificateTemplate,
  options: RenderOptions = {},
): Promise<Uint8Array> {
  const now = options.now ?? new Date();
  const token = tokenFromVerifyUrl(data.verifyUrl);
  if (!token) throw new Error(`certificate ${data.serial}: verifyUrl "${data.verifyUrl}" does not end in /v/<token>`);
  const fonts = new FontSet();
  const { content, info } = buildContent(template, data, fonts);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([template.page.width, template.page.height]);
  const ctx = doc.context;
  for (const use of fonts.uses.values()) page.node.setFontDictionary(PDFName.of(use.resource), registerFont(doc, use));
  page.node.set(PDFName.of("Contents"), ctx.register(PDFRawStream.of(ctx.obj({ Filter: "FlateDecode" }) as PDFDict, deflateSync(content))));

  const link = ctx.register(
    ctx.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: info.qrRect,
      Border: [0, 0, 0],
      F: 4,
      Contents: PDFString.of("Quét để xác thực / Scan to verify"),
      A: { Type: "Action", S: "URI", URI: PDFString.of(data.verifyUrl) },
    }),
  );
  page.node.set(PDFName.of("Annots"), ctx.obj([link]));

  const values = fieldValues(data);
  const meta = (s: string) => clean(fillPlaceholders(s, template.texts, values));
  doc.setTitle(meta(template.meta.titleVi), { showInWindowTitleBar: true });
  doc.setAuthor(clean(data.issuerName));
  doc.setSubject(meta(template.meta.subjectVi));
  doc.setKeywords(template.meta.keywords.map(meta));
  doc.setProducer(PRODUCER);
  doc.setCreator(PRODUCER);
  doc.setCreationDate(now);
  doc.setModificationDate(now);
  doc.setLanguage("vi");
  const infoDict = (doc as unknown as { getInfoDict(): PDFDict }).getInfoDict();
  infoDict.set(PDFName.of(INFO_TOKEN_KEY), PDFString.of(token));
  infoDict.set(PDFName.of(INFO_SERIAL_KEY), PDFString.of(clean(data.serial)));
  const id = createHash("sha256").update(`${data.serial}\n${token}\n${now.toISOString()}`).digest("hex").slice(0, 32);
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  addPdfA3bParts(doc, {
    title: meta(template.meta.titleVi),
    author: clean(data.issuerName),
    subject: meta(template.meta.subjectVi),
    keywords: template.meta.keywords.map(meta).join(" "),
    producer: PRODUCER,
    creatorTool: PRODUCER,
    created: now,
    modified: now,
    lang: "vi",
    custom: { [INFO_TOKEN_KEY]: token, [INFO_SERIAL_KEY]: clean(data.serial) },
  });

  if (data.openBadgeJson) {
    await doc.attach(new TextEncoder().encode(data.openBadgeJson), OPENBADGE_ATTACHMENT_NAME, {
      mimeType: "application/ld+json",
      description: "Open Badges 3.0 credential (W3C Verifiable Credential, proof eddsa-jcs-2022)",
      creationDate: now,
      modificationDate: now,
      afRelationship: AFRelationship.Alternative,
    });
  }
  if (options.pades) {
    const p = options.pades;
    pdflibAddPlaceholder({
      pdfDoc: doc,
      reason: p.reason ?? "Cấp giấy chứng nhận / Certificate issued",
      contactInfo: p.contactInfo ?? "",
      name: p.name,
      location: p.location ?? "Việt Nam",
      signatureLength: p.signatureLength ?? defaultSignatureLength(),
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      signingTime: p.signingTime ?? now,
      appName: PRODUCER,
    });
  }
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

// ---------------------------------------------------------------------------------------------------------------
// PDF/A-3b

export const PDFA_ICC_FILE = () => path.join(certificatesDir(), "color", "sRGB.icc");
export const PDFA_OUTPUT_CONDITION = "sRGB IEC61966-2.1";
export const LMS_XMP_NS = "https://hoctap.noivu.gov.vn/ns/lms-certificate/1.0/";
let iccDeflated: Buffer | null = null; // read and compressed once per process

export interface XmpFields {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  producer: string;
  creatorTool: string;
  created: Date;
  modified: Date;
  lang: string;
  /** Our own Info keys (LmsVerifyToken, LmsSerial), mirrored under the lms: namespace with a PDF/A extension schema. */
  custom: Record<string, string>;
}

const xmlEscape = (s: string) => s.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
/** The Info dictionary's dates have whole seconds and Z (pdf-lib); XMP gets the same instant. */
export const xmpDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The XMP packet: Dublin Core, XMP basic, Adobe PDF and PDF/A identification, all equal to the Info dictionary. */
export function xmpPacket(f: XmpFields): string {
  const e = xmlEscape;
  const custom = Object.entries(f.custom);
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${e(f.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>${e(f.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${e(f.subject)}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>${e(f.lang)}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>${e(f.creatorTool)}</xmp:CreatorTool>
<xmp:CreateDate>${xmpDate(f.created)}</xmp:CreateDate>
<xmp:ModifyDate>${xmpDate(f.modified)}</xmp:ModifyDate>
<xmp:MetadataDate>${xmpDate(f.modified)}</xmp:MetadataDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>${e(f.producer)}</pdf:Producer>
<pdf:Keywords>${e(f.keywords)}</pdf:Keywords>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:lms="${LMS_XMP_NS}">
${custom.map(([k, v]) => `<lms:${k}>${e(v)}</lms:${k}>`).join("\n")}
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>LMS Công vụ số certificate</pdfaSchema:schema>
<pdfaSchema:namespaceURI>${LMS_XMP_NS}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>lms</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
${custom
  .map(
    ([k]) =>
      `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${k}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>Same value as the ${k} entry of the Info dictionary</pdfaProperty:description></rdf:li>`,
  )
  .join("\n")}
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** Catalog /Metadata (XMP, unfiltered as PDF/A requires) and /OutputIntents (sRGB with the embedded profile). */
function addPdfA3bParts(doc: PDFDocument, fields: XmpFields): void {
  const ctx = doc.context;
  const xmp = new TextEncoder().encode(xmpPacket(fields));
  const metadata = ctx.register(PDFRawStream.of(ctx.obj({ Type: "Metadata", Subtype: "XML", Length: xmp.length }) as PDFDict, xmp));
  doc.catalog.set(PDFName.of("Metadata"), metadata);
  iccDeflated ??= deflateSync(readFileSync(PDFA_ICC_FILE()));
  const icc = iccDeflated;
  const profile = ctx.register(PDFRawStream.of(ctx.obj({ N: 3, Filter: "FlateDecode", Length: icc.length }) as PDFDict, icc));
  const intent = ctx.obj({
    Type: "OutputIntent",
    S: "GTS_PDFA1",
    OutputConditionIdentifier: PDFString.of(PDFA_OUTPUT_CONDITION),
    RegistryName: PDFString.of("http://www.color.org"),
    Info: PDFString.of(PDFA_OUTPUT_CONDITION),
    DestOutputProfile: profile,
  });
  doc.catalog.set(PDFName.of("OutputIntents"), ctx.obj([intent]));
}

/** QR version and size for a URL (for checks and the bench). */
export function qrInfo(url: string): { version: number; modules: number } {
  const q = QRCode.create(url, { errorCorrectionLevel: "M" });
  return { version: q.version, modules: q.modules.size };
}
