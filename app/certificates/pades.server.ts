/**
 * PAdES baseline B-B signatures on certificate PDFs, and the self-signed demo signer.
 *
 * Flow: renderCertificatePdf(…, { pades }) saves the PDF with a signature placeholder
 * (@signpdf/placeholder-pdf-lib, SubFilter ETSI.CAdES.detached), then @signpdf/signpdf fills it with the CMS
 * built here. The CMS is CAdES-BES shaped as PAdES B-B wants it: signed attributes contentType, messageDigest and
 * ESS signing-certificate-v2 (no signingTime attribute: the time is the /M entry of the signature dictionary).
 *
 * Why not @signpdf/signer-p12's P12Signer: it decrypts the PKCS#12 and does RSA in pure JS on every call
 * (~50–60 ms), a P12Signer instance can sign only once (its buffer is consumed), and its CMS has signingTime and
 * no signing-certificate-v2. Here the PKCS#12 is opened once with node-forge and RSA runs in node:crypto. Any
 * @signpdf Signer (including P12Signer) is still accepted by signPdf().
 *
 * The RSA key must be RSA (node-forge reads only RSA keys from PKCS#12).
 */
import { SignPdf } from "@signpdf/signpdf";
import { findByteRange, Signer, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import forge from "node-forge";
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from "node:crypto";
import { PDFDocument } from "pdf-lib";
import { OID, children, integer, nullValue, octets, oid, raw, readTlv, seq, setOf, tlv } from "./der";
import { defaultSignatureLength, PRODUCER, renderCertificatePdf, type CertificatePdfData, type PadesPlaceholderOptions } from "./pdf.server";
import type { CertificateTemplate } from "./template";
import { fetchTimestampToken, timestampUnsignedAttrs } from "./timestamp.server";

export interface PadesSigner {
  /** A reusable @signpdf Signer (safe for any number of documents). */
  signer: Signer;
  commonName: string;
  organisation: string | null;
  subject: string;
  /** True when the certificate's CN marks it as a demo signer (contains the word DEMO). */
  isDemo: boolean;
  notBefore: Date;
  notAfter: Date;
  certificatePem: string;
  /** SHA-256 fingerprint ("AB:CD:…"), for PdfVerdictOptions.trustedSigners. */
  fingerprint256: string;
}

export const isDemoCommonName = (cn: string) => /\bDEMO\b/.test(cn);

function certIssuerAndSerial(certDer: Buffer): { issuer: Buffer; serial: Buffer } {
  const cert = readTlv(certDer, 0);
  const tbs = children(certDer, cert)[0]!;
  const parts = children(certDer, tbs);
  const i = parts[0]!.tag === 0xa0 ? 1 : 0;
  return { serial: Buffer.from(raw(certDer, parts[i]!)), issuer: Buffer.from(raw(certDer, parts[i + 2]!)) };
}

class CadesSigner extends Signer {
  private readonly signedAttrTemplate: Buffer;
  private readonly certificatesField: Buffer;
  private readonly sid: Buffer;
  constructor(
    private readonly key: KeyObject,
    certChainDer: Buffer[],
  ) {
    super();
    const signerCert = certChainDer[0]!;
    const { issuer, serial } = certIssuerAndSerial(signerCert);
    this.sid = seq(issuer, serial);
    // ESS signing-certificate-v2: SEQ { certs SEQ OF ESSCertIDv2 { certHash (sha256 is the default alg), issuerSerial } }
    const essCertId = seq(octets(createHash("sha256").update(signerCert).digest()), seq(seq(tlv(0xa4, issuer)), serial));
    this.signedAttrTemplate = seq(oid(OID.signingCertificateV2), setOf(seq(seq(essCertId))));
    this.certificatesField = tlv(0xa0, ...certChainDer);
  }

  /**
   * CMS SignedData (detached) over `content` — the PDF without its /Contents placeholder. `timestamp` turns the
   * signature value into the unsigned attribute id-aa-signatureTimeStampToken (PAdES B-T).
   */
  async cmsWithTimestamp(content: Buffer, timestamp?: (signatureValue: Buffer) => Promise<Buffer>): Promise<Buffer> {
    const digest = createHash("sha256").update(content).digest();
    const attrs = [
      seq(oid(OID.contentType), setOf(oid(OID.data))),
      seq(oid(OID.messageDigest), setOf(octets(digest))),
      this.signedAttrTemplate,
    ];
    const signedAttrs = setOf(...attrs);
    const signature = sign("sha256", signedAttrs, this.key);
    const unsigned = timestamp ? [timestampUnsignedAttrs(await timestamp(signature))] : [];
    const signerInfo = seq(
      integer(1),
      this.sid,
      seq(oid(OID.sha256)),
      Buffer.concat([Buffer.from([0xa0]), signedAttrs.subarray(1)]), // [0] IMPLICIT SET
      seq(oid(OID.rsaEncryption), nullValue()),
      octets(signature),
      ...unsigned,
    );
    const signedData = seq(integer(1), setOf(seq(oid(OID.sha256))), seq(oid(OID.data)), this.certificatesField, setOf(signerInfo));
    return seq(oid(OID.signedData), tlv(0xa0, signedData));
  }

  /** B-B, or B-T when LMS_TSA_URL names an RFC 3161 time-stamping authority (read at signing time). */
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const tsa = process.env.LMS_TSA_URL?.trim();
    return this.cmsWithTimestamp(pdfBuffer, tsa ? (value) => fetchTimestampToken(tsa, value) : undefined);
  }
}

/**
 * Opens a PKCS#12 file once and returns a reusable signer. Errors name `source` (e.g. the file path from the
 * environment) and say what is wrong: wrong passphrase, no private key, no matching certificate.
 */
export function loadPadesSigner(p12: Uint8Array, passphrase: string, source = "PKCS#12 file"): PadesSigner {
  let store: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString("binary")));
    store = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (e) {
    const msg = (e as Error).message;
    if (/MAC could not be verified|Invalid password/i.test(msg)) throw new Error(`${source}: wrong passphrase for the PKCS#12 file`);
    throw new Error(`${source}: not a readable PKCS#12 (.p12/.pfx) file (${msg})`);
  }
  const keyBags = [
    ...(store.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(store.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag!] ?? []),
  ];
  const forgeKey = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!forgeKey) throw new Error(`${source}: the PKCS#12 file contains no (RSA) private key`);
  const certs = (store.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag!] ?? []).flatMap((b) => (b.cert ? [b.cert] : []));
  const mine = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.equals(forgeKey.n) && pub.e?.equals(forgeKey.e);
  });
  if (!mine) throw new Error(`${source}: no certificate in the PKCS#12 file matches its private key`);
  const toDer = (c: forge.pki.Certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), "binary");
  const chain = [toDer(mine), ...certs.filter((c) => c !== mine).map(toDer)];
  const x509 = new X509Certificate(chain[0]!);
  const key = createPrivateKey(forge.pki.privateKeyToPem(forgeKey));
  const field = (name: string) => new RegExp(`^${name}=(.*)$`, "m").exec(x509.subject)?.[1] ?? null;
  const commonName = field("CN") ?? x509.subject;
  return {
    signer: new CadesSigner(key, chain),
    commonName,
    organisation: field("O"),
    subject: x509.subject,
    isDemo: isDemoCommonName(commonName),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    certificatePem: x509.toString(),
    fingerprint256: x509.fingerprint256,
  };
}

export const hasSignaturePlaceholder = (pdf: Uint8Array) => findByteRange(Buffer.from(pdf)).byteRangePlaceholder !== undefined;

/**
 * Signs a PDF. If it has no placeholder yet (any PDF, not only ours), one is added with pdf-lib first (slower: the
 * file is parsed and re-saved). Nothing may change the bytes afterwards.
 */
export async function signPdf(
  pdf: Uint8Array,
  signer: PadesSigner | Signer,
  placeholder: Partial<PadesPlaceholderOptions> = {},
): Promise<Uint8Array> {
  const s = signer instanceof Signer ? signer : signer.signer;
  let bytes = Buffer.from(pdf);
  if (!hasSignaturePlaceholder(bytes)) {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    pdflibAddPlaceholder({
      pdfDoc: doc,
      reason: placeholder.reason ?? "Cấp giấy chứng nhận / Certificate issued",
      contactInfo: placeholder.contactInfo ?? "",
      name: placeholder.name ?? (signer instanceof Signer ? "" : signer.commonName),
      location: placeholder.location ?? "Việt Nam",
      signatureLength: placeholder.signatureLength ?? defaultSignatureLength(),
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      signingTime: placeholder.signingTime,
      appName: PRODUCER,
    });
    bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  }
  return new Uint8Array(await new SignPdf().sign(bytes, s));
}

/** Renders and signs in one go; a demo signer always produces a PDF marked as demo. */
export async function renderSignedCertificatePdf(
  data: CertificatePdfData,
  template: CertificateTemplate,
  signer: PadesSigner,
  options: { now?: Date; placeholder?: Partial<PadesPlaceholderOptions> } = {},
): Promise<Uint8Array> {
  const unsigned = await renderCertificatePdf({ ...data, isDemoSigner: data.isDemoSigner || signer.isDemo }, template, {
    now: options.now,
    pades: { name: signer.commonName, ...options.placeholder },
  });
  return signPdf(unsigned, signer);
}

export interface DemoP12 {
  p12: Buffer;
  passphrase: string;
  commonName: string;
  certificatePem: string;
}

/**
 * A self-signed RSA-2048 certificate in a PKCS#12 file for demos and tests. The CN says DEMO so that PDFs and the
 * verify page can mark it; it must never be used for real certificates.
 */
export function createDemoP12(options: {
  commonName: string;
  organisation: string;
  passphrase?: string;
  validYears?: number;
  now?: Date;
}): DemoP12 {
  const passphrase = options.passphrase ?? randomBytes(12).toString("base64url");
  const now = options.now ?? new Date();
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const fKey = forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString());
  const fPub = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = fPub;
  cert.serialNumber = "01" + randomBytes(15).toString("hex");
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + (options.validYears ?? 3) * 365 * 24 * 3600_000);
  const base = options.commonName.normalize("NFC").trim();
  const commonName = isDemoCommonName(base) ? base : `DEMO - ${base}`;
  const utf8 = (shortName: string, value: string) => ({ shortName, value: value, valueTagClass: forge.asn1.Type.UTF8 });
  const attrs = [
    { shortName: "C", value: "VN" },
    utf8("O", options.organisation.normalize("NFC")),
    utf8("OU", "DEMO SIGNER - NOT VALID FOR OFFICIAL USE"),
    utf8("CN", commonName),
  ] as forge.pki.CertificateField[];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
    { name: "extKeyUsage", emailProtection: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(fKey, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(fKey, [cert], passphrase, { algorithm: "3des", friendlyName: commonName });
  return {
    p12: Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"),
    passphrase,
    commonName,
    certificatePem: forge.pki.certificateToPem(cert),
  };
}
