/**
 * Reads an uploaded certificate PDF for /verify and `cert:verify`: what it claims (token, Open Badge, printed
 * name) and whether its PAdES signature still covers every byte. The caller compares the claims with the record:
 * the token's Ed25519 signature proves the data, the PAdES check proves nobody edited the file (editing the
 * printed name with any PDF editor changes the signed bytes or appends an update after the signed range).
 */
import { createHash, verify, X509Certificate } from "node:crypto";
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFStream,
  PDFString,
  type PDFObject,
  type PDFPage,
} from "pdf-lib";
import { DIGEST_NAMES, OID, children, content, decodeOid, raw, readTlv, type Tlv } from "./der";
import { isDemoCommonName } from "./pades.server";
import { INFO_SERIAL_KEY, INFO_TOKEN_KEY, OPENBADGE_ATTACHMENT_NAME } from "./pdf.server";
import { verifyOpenBadge } from "./openbadge";
import type { CertificatePayload } from "./payload";
import { tokenFromVerifyUrl, verifyTokenOffline, type KeySet } from "./token";

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export type InspectError = "empty" | "too_large" | "not_pdf" | "truncated" | "encrypted" | "unparsable";

export interface PdfInspection {
  ok: true;
  /** The token the document agrees on (Info dictionary and QR link), if any. */
  token: string | null;
  tokens: { info: string | null; link: string | null };
  serial: string | null;
  /** The parsed openbadge.json attachment, if present and valid JSON. */
  openBadge: unknown;
  openBadgeError: string | null;
  /** The printed holder name (text marked HolderName), NFC. */
  textName: string | null;
  pades: PadesIntegrity;
  /** Inconsistencies inside the file itself (e.g. the QR link and the embedded token differ). */
  problems: string[];
}

export type InspectResult = PdfInspection | { ok: false; error: InspectError; message: string };

const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");

/** Cheap checks before parsing: size, %PDF- header, %%EOF trailer. */
export function precheckPdf(bytes: Uint8Array): { ok: true } | { ok: false; error: InspectError; message: string } {
  if (bytes.length === 0) return { ok: false, error: "empty", message: "The file is empty." };
  if (bytes.length > MAX_UPLOAD_BYTES) {
    return { ok: false, error: "too_large", message: `The file is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is 5 MB.` };
  }
  if (!latin1(bytes.subarray(0, 1024)).includes("%PDF-")) {
    return { ok: false, error: "not_pdf", message: "The file is not a PDF (it does not start with %PDF-)." };
  }
  if (!latin1(bytes.subarray(Math.max(0, bytes.length - 1024))).includes("%%EOF")) {
    return { ok: false, error: "truncated", message: "The PDF is incomplete (no %%EOF at the end): the download or upload was cut off." };
  }
  return { ok: true };
}

function text(obj: PDFObject | undefined): string | null {
  if (obj instanceof PDFString || obj instanceof PDFHexString) return obj.decodeText();
  return null;
}

function streamBytes(obj: PDFObject | undefined): Uint8Array | null {
  if (obj instanceof PDFRawStream) return decodePDFRawStream(obj).decode();
  if (obj instanceof PDFStream) return obj.getContents();
  return null;
}

function findEmbeddedFile(doc: PDFDocument, name: string): Uint8Array | null {
  const names = doc.catalog.lookupMaybe(PDFName.of("Names"), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of("EmbeddedFiles"), PDFDict);
  const seen = new Set<PDFDict>();
  const walk = (node: PDFDict | undefined): Uint8Array | null => {
    if (!node || seen.has(node)) return null;
    seen.add(node);
    const list = node.lookupMaybe(PDFName.of("Names"), PDFArray);
    if (list) {
      for (let i = 0; i + 1 < list.size(); i += 2) {
        const spec = list.lookup(i + 1);
        if (!(spec instanceof PDFDict)) continue;
        const fileName = text(list.lookup(i)) ?? text(spec.lookup(PDFName.of("UF"))) ?? text(spec.lookup(PDFName.of("F")));
        if (fileName !== name) continue;
        const ef = spec.lookupMaybe(PDFName.of("EF"), PDFDict);
        return streamBytes(ef?.lookup(PDFName.of("F")) ?? ef?.lookup(PDFName.of("UF")));
      }
    }
    const kids = node.lookupMaybe(PDFName.of("Kids"), PDFArray);
    for (let i = 0; kids && i < kids.size(); i++) {
      const found = walk(kids.lookup(i) as PDFDict);
      if (found) return found;
    }
    return null;
  };
  return walk(tree);
}

function linkUris(page: PDFPage): string[] {
  const annots = page.node.Annots();
  const out: string[] = [];
  for (let i = 0; annots && i < annots.size(); i++) {
    const a = annots.lookup(i);
    if (!(a instanceof PDFDict)) continue;
    const action = a.lookupMaybe(PDFName.of("A"), PDFDict);
    const uri = text(action?.lookup(PDFName.of("URI")));
    if (uri) out.push(uri);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the printed name back (marked content /HolderName BMC … EMC, as written by pdf.server.ts)

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexToText = (h: string) => {
    let s = "";
    for (let i = 0; i + 4 <= h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
    return s;
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1]!, 16), hexToText(m[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      if (hi - lo > 0xffff) continue;
      if (m[3]!.startsWith("[")) {
        const items = [...m[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => hexToText(x[1]!));
        items.forEach((t, i) => map.set(lo + i, t));
      } else {
        const base = m[3]!.slice(1, -1);
        const start = parseInt(base.slice(-4), 16);
        for (let c = lo; c <= hi; c++) map.set(c, hexToText(base.slice(0, -4)) + String.fromCharCode(start + c - lo));
      }
    }
  }
  return map;
}

function pageFonts(page: PDFPage): Map<string, Map<number, string>> {
  const fonts = new Map<string, Map<number, string>>();
  const res = page.node.Resources();
  const dict = res?.lookupMaybe(PDFName.of("Font"), PDFDict);
  for (const [key, value] of dict?.entries() ?? []) {
    const font = dict!.context.lookup(value);
    if (!(font instanceof PDFDict)) continue;
    const tu = streamBytes(font.lookup(PDFName.of("ToUnicode")));
    if (tu) fonts.set(key.decodeText(), parseToUnicode(latin1(tu)));
  }
  return fonts;
}

function pageContent(page: PDFPage): string {
  const c = page.node.Contents();
  const parts = c instanceof PDFArray ? c.asArray().map((r) => page.doc.context.lookup(r)) : [c];
  return parts.map((p) => latin1(streamBytes(p as PDFObject) ?? new Uint8Array())).join("\n");
}

/** Text drawn inside `/<tag> BMC … EMC` on a page (2-byte CIDs through the fonts' ToUnicode maps). */
export function markedText(page: PDFPage, tag: string): string | null {
  const src = pageContent(page);
  const start = src.indexOf(`/${tag} BMC`);
  if (start < 0) return null;
  const end = src.indexOf("EMC", start);
  if (end < 0) return null;
  const section = src.slice(start, end);
  const fonts = pageFonts(page);
  let current: Map<number, string> | undefined;
  let out = "";
  const re = /\/([A-Za-z0-9_.-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F\s]*)>\s*Tj|\[((?:[^\]])*)\]\s*TJ/g;
  for (const m of section.matchAll(re)) {
    if (m[1]) current = fonts.get(m[1]);
    const hexes = m[2] !== undefined ? [m[2]] : m[3] !== undefined ? [...m[3].matchAll(/<([0-9a-fA-F\s]*)>/g)].map((x) => x[1]!) : [];
    for (const h of hexes) {
      const clean = h.replace(/\s+/g, "");
      for (let i = 0; i + 4 <= clean.length; i += 4) out += current?.get(parseInt(clean.slice(i, i + 4), 16)) ?? "\uFFFD";
    }
  }
  return out.normalize("NFC");
}

// ---------------------------------------------------------------------------------------------------------------

export async function inspectCertificatePdf(bytes: Uint8Array): Promise<InspectResult> {
  const pre = precheckPdf(bytes);
  if (!pre.ok) return pre;
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    const msg = (e as Error).message;
    if (/encrypted/i.test(msg)) return { ok: false, error: "encrypted", message: "The PDF is encrypted; upload the original certificate file." };
    return { ok: false, error: "unparsable", message: `The PDF could not be read (${msg.split("\n")[0]}).` };
  }
  const problems: string[] = [];
  let infoToken: string | null = null;
  let serial: string | null = null;
  let linkToken: string | null = null;
  let textName: string | null = null;
  let ob: Uint8Array | null = null;
  try {
    const info = (doc as unknown as { getInfoDict(): PDFDict }).getInfoDict();
    infoToken = text(info.lookup(PDFName.of(INFO_TOKEN_KEY)));
    serial = text(info.lookup(PDFName.of(INFO_SERIAL_KEY)));
    const pages = doc.getPages();
    if (pages[0]) {
      for (const uri of linkUris(pages[0])) {
        const t = tokenFromVerifyUrl(uri);
        if (t) {
          linkToken = t;
          break;
        }
      }
      try {
        textName = markedText(pages[0], "HolderName");
      } catch {
        textName = null;
      }
    }
    ob = findEmbeddedFile(doc, OPENBADGE_ATTACHMENT_NAME);
  } catch (e) {
    return { ok: false, error: "unparsable", message: `The PDF structure is damaged (${(e as Error).message.split("\n")[0]}).` };
  }
  if (infoToken && linkToken && infoToken !== linkToken) problems.push("The QR link and the token stored in the document differ.");
  let openBadge: unknown = null;
  let openBadgeError: string | null = null;
  if (ob) {
    try {
      openBadge = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(ob));
    } catch (e) {
      openBadgeError = `${OPENBADGE_ATTACHMENT_NAME} is not valid UTF-8 JSON (${(e as Error).message})`;
    }
  } else openBadgeError = `no ${OPENBADGE_ATTACHMENT_NAME} attachment`;
  return {
    ok: true,
    token: linkToken ?? infoToken,
    tokens: { info: infoToken, link: linkToken },
    serial,
    openBadge,
    openBadgeError,
    textName,
    pades: checkPadesIntegrity(bytes),
    problems,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// PAdES integrity

export interface PadesSignerInfo {
  /** X509Certificate.fingerprint256 ("AB:CD:…"), to compare with the configured signing certificate. */
  fingerprint256: string;
  commonName: string | null;
  subject: string;
  isDemo: boolean;
  selfSigned: boolean;
  notBefore: Date;
  notAfter: Date;
}

export type PadesIntegrity =
  | { status: "unsigned"; reason: string }
  | { status: "intact"; signer: PadesSignerInfo; signatures: number }
  | { status: "modified"; reason: string; signer?: PadesSignerInfo }
  | { status: "unverifiable"; reason: string; signer?: PadesSignerInfo };

const SIG_ALGS: Record<string, { kind: "rsa" | "ecdsa"; digest?: string }> = {
  [OID.rsaEncryption]: { kind: "rsa" },
  [OID.sha256WithRSA]: { kind: "rsa", digest: "sha256" },
  [OID.sha384WithRSA]: { kind: "rsa", digest: "sha384" },
  [OID.sha512WithRSA]: { kind: "rsa", digest: "sha512" },
  [OID.ecdsaSha256]: { kind: "ecdsa", digest: "sha256" },
  [OID.ecdsaSha384]: { kind: "ecdsa", digest: "sha384" },
  [OID.ecdsaSha512]: { kind: "ecdsa", digest: "sha512" },
};

function signerInfoOf(x: X509Certificate): PadesSignerInfo {
  const cn = /^CN=(.*)$/m.exec(x.subject)?.[1] ?? null;
  return {
    fingerprint256: x.fingerprint256,
    commonName: cn,
    subject: x.subject,
    isDemo: cn !== null && isDemoCommonName(cn),
    selfSigned: x.subject === x.issuer && x.verify(x.publicKey),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
  };
}

/** Verifies one CMS SignedData over `signed` bytes. */
function verifyCms(cms: Uint8Array, signed: Uint8Array[]): PadesIntegrity {
  const fail = (reason: string, signer?: PadesSignerInfo): PadesIntegrity => ({ status: "modified", reason, signer });
  let ci: Tlv;
  let sd: Tlv[];
  try {
    ci = readTlv(cms, 0);
    const [type, wrapper] = children(cms, ci);
    if (!type || decodeOid(content(cms, type)) !== OID.signedData || !wrapper) return fail("the signature is not a CMS SignedData");
    sd = children(cms, children(cms, wrapper)[0]!);
  } catch (e) {
    return fail(`the signature cannot be parsed (${(e as Error).message})`);
  }
  try {
    const certField = sd.find((t) => t.tag === 0xa0);
    const certs = certField ? children(cms, certField).map((c) => new X509Certificate(Buffer.from(raw(cms, c)))) : [];
    const signerInfos = sd.at(-1)!;
    const si = children(cms, children(cms, signerInfos)[0]!);
    // SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs?, signatureAlgorithm, signature, [1]?
    const [, sid, digestAlg] = si;
    const digestName = DIGEST_NAMES[decodeOid(content(cms, children(cms, digestAlg!)[0]!))];
    if (!digestName) return { status: "unverifiable", reason: "unsupported digest algorithm" };
    let k = 3;
    const signedAttrs = si[k]?.tag === 0xa0 ? si[k++] : undefined;
    const sigAlgOid = decodeOid(content(cms, children(cms, si[k++]!)[0]!));
    const signature = content(cms, si[k]!);
    const alg = SIG_ALGS[sigAlgOid];
    if (!alg) return { status: "unverifiable", reason: `unsupported signature algorithm ${sigAlgOid}` };
    // sid is issuerAndSerialNumber (SEQUENCE { issuer Name, serialNumber }); a subjectKeyIdentifier sid falls
    // back to the only certificate.
    const sidContent = sid!.tag === 0x30 ? Buffer.from(content(cms, sid!)) : null;
    const cert =
      certs.find((c) => {
        if (!sidContent) return false;
        const der = c.raw;
        const parts = children(der, children(der, readTlv(der, 0))[0]!);
        const i = parts[0]!.tag === 0xa0 ? 1 : 0;
        return sidContent.equals(Buffer.concat([raw(der, parts[i + 2]!), raw(der, parts[i]!)]));
      }) ?? (certs.length === 1 ? certs[0] : undefined);
    if (!cert) return fail("the signing certificate is not in the signature");
    const signer = signerInfoOf(cert);
    const hash = createHash(digestName);
    for (const part of signed) hash.update(part);
    const digest = hash.digest();
    let ok: boolean;
    if (signedAttrs) {
      const attrs = children(cms, signedAttrs).map((a) => {
        const [t, v] = children(cms, a);
        return { oid: decodeOid(content(cms, t!)), values: children(cms, v!) };
      });
      const md = attrs.find((a) => a.oid === OID.messageDigest)?.values[0];
      if (!md) return fail("the signature has no messageDigest attribute", signer);
      if (!Buffer.from(content(cms, md)).equals(digest)) return fail("the document bytes do not match the signed digest", signer);
      const essv2 = attrs.find((a) => a.oid === OID.signingCertificateV2)?.values[0];
      if (essv2) {
        const certIds = children(cms, children(cms, essv2)[0]!);
        const first = children(cms, certIds[0]!);
        const hashField = first[0]!.tag === 0x04 ? first[0]! : first[1]!;
        const algName = first[0]!.tag === 0x30 ? DIGEST_NAMES[decodeOid(content(cms, children(cms, first[0]!)[0]!))] : "sha256";
        if (algName && !Buffer.from(content(cms, hashField)).equals(createHash(algName).update(cert.raw).digest())) {
          return fail("the signing-certificate attribute names another certificate", signer);
        }
      }
      const toVerify = Buffer.from(raw(cms, signedAttrs));
      toVerify[0] = 0x31; // signed as a SET OF, stored as [0] IMPLICIT
      ok = verify(alg.digest ?? digestName, toVerify, cert.publicKey, signature);
    } else {
      ok = verify(alg.digest ?? digestName, Buffer.concat(signed), cert.publicKey, signature);
    }
    return ok ? { status: "intact", signer, signatures: 1 } : fail("the signature value does not verify with the embedded certificate", signer);
  } catch (e) {
    return fail(`the signature cannot be checked (${(e as Error).message})`);
  }
}

/**
 * Checks every signature in the file: each signed byte range must hash to the signed digest, the CMS signature
 * must verify with the embedded certificate, and the last signature must cover the whole file (nothing appended
 * afterwards). Trust in the certificate (CA chain) is NOT checked here: `signer.selfSigned` / `isDemo` tell the
 * caller what it is.
 */
export function checkPadesIntegrity(bytes: Uint8Array): PadesIntegrity {
  const s = latin1(bytes);
  const ranges = [...s.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => m.slice(1, 5).map(Number) as [number, number, number, number]);
  if (ranges.length === 0) {
    return { status: "unsigned", reason: /\/ByteRange\s*\[\s*0\s+\/\*+/.test(s) ? "the signature placeholder was never filled" : "the PDF has no digital signature" };
  }
  let last: PadesIntegrity | undefined;
  let maxEnd = 0;
  for (const [a, b, c, d] of ranges) {
    if (a !== 0 || b <= 0 || c <= b || c + d > bytes.length || bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e) {
      return { status: "modified", reason: "a signature's byte range does not fit the file" };
    }
    const hex = s.slice(b + 1, c - 1).replace(/\s+/g, "");
    if (!/^[0-9a-fA-F]*$/.test(hex)) return { status: "modified", reason: "a signature's /Contents is not hexadecimal" };
    const cms = Buffer.from(hex.length % 2 ? hex + "0" : hex, "hex");
    let cmsBytes: Uint8Array;
    try {
      cmsBytes = cms.subarray(0, readTlv(cms, 0).end);
    } catch {
      return { status: "modified", reason: "a signature's /Contents is not a DER structure" };
    }
    const result = verifyCms(cmsBytes, [bytes.subarray(0, b), bytes.subarray(c, c + d)]);
    if (result.status !== "intact") return result;
    last = result;
    maxEnd = Math.max(maxEnd, c + d);
  }
  const final = last as Extract<PadesIntegrity, { status: "intact" }>;
  if (maxEnd !== bytes.length) {
    return { status: "modified", reason: `${bytes.length - maxEnd} bytes were added after the last signature`, signer: final.signer };
  }
  return { ...final, signatures: ranges.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Verdict on an uploaded file

export interface PdfVerdictOptions {
  /** Published Ed25519 keys (kid → key), as for verifyTokenOffline. */
  keys: KeySet;
  /** SHA-256 fingerprints of the PAdES certificates this LMS signs with; a file signed by anything else is altered. */
  trustedSigners?: string[];
  /** Every certificate PDF from this LMS is PAdES-signed; set false only for unsigned previews. */
  requireSignature?: boolean;
}

export type PdfVerdict =
  /** The file is exactly as issued and its data verifies; the caller still checks status (revoked, expired…). */
  | { verdict: "valid"; payload: CertificatePayload; signer: PadesSignerInfo | null }
  | { verdict: "altered"; payload: CertificatePayload | null; reasons: string[] }
  | { verdict: "unknown_key"; payload: CertificatePayload; reasons: string[] }
  | { verdict: "unknown"; payload: null; reasons: string[] };

/**
 * Combines the checks on an inspected file: token signature, agreement of printed name / QR / embedded token /
 * Open Badge with the signed payload, and the PAdES signature covering every byte.
 */
export function judgeCertificatePdf(inspection: PdfInspection, options: PdfVerdictOptions): PdfVerdict {
  if (!inspection.token) return { verdict: "unknown", payload: null, reasons: ["the file carries no verification token"] };
  const token = verifyTokenOffline(inspection.token, options.keys);
  if (token.status === "malformed") return { verdict: "altered", payload: null, reasons: [`the embedded token is damaged: ${token.message}`] };
  const payload = token.payload;
  if (token.status === "unknown_key") return { verdict: "unknown_key", payload, reasons: [token.message] };
  const reasons: string[] = [...inspection.problems];
  if (token.status === "altered") reasons.push("the token's signature does not match its data");
  if (inspection.textName === null) reasons.push("the printed holder name cannot be read from the file");
  else if (inspection.textName !== payload.name) reasons.push(`the printed name "${inspection.textName}" differs from the signed name "${payload.name}"`);
  if (inspection.openBadge !== null) {
    if (!verifyOpenBadge(inspection.openBadge)) reasons.push("the attached Open Badge credential's proof does not verify");
    const subject = (inspection.openBadge as { credentialSubject?: { identifier?: { identityHash?: unknown }[] } }).credentialSubject;
    const obName = subject?.identifier?.[0]?.identityHash;
    if (obName !== payload.name) reasons.push("the attached Open Badge names a different holder");
  }
  if (inspection.serial !== null && inspection.serial !== payload.serial) reasons.push("the serial stored in the document differs from the signed serial");
  const pades = inspection.pades;
  let signer: PadesSignerInfo | null = null;
  if (pades.status === "intact") {
    signer = pades.signer;
    if (options.trustedSigners && !options.trustedSigners.includes(pades.signer.fingerprint256)) {
      reasons.push(`the file is signed by a certificate this LMS does not use (${pades.signer.commonName ?? pades.signer.subject})`);
    }
  } else if (pades.status === "unsigned") {
    if (options.requireSignature !== false) reasons.push(`the file's digital signature is missing (${pades.reason})`);
  } else {
    reasons.push(`the file's digital signature is broken: ${pades.reason}`);
  }
  return reasons.length > 0 ? { verdict: "altered", payload, reasons } : { verdict: "valid", payload, signer };
}
