/**
 * Glue for issuing and re-rendering: from a certificate record (payload + signature as stored) to the token,
 * verify URL, signed Open Badge and the (PAdES-signed) PDF. Routes, CLI and bulk export all go through here so
 * the three layers always agree.
 */
import type { KeyObject } from "node:crypto";
import { buildOpenBadgeCredential, credentialDocumentUrl, signOpenBadge, statusListUrl, type JsonObject } from "./openbadge";
import { renderSignedCertificatePdf, type PadesSigner } from "./pades.server";
import { loadCertificateTemplate, renderCertificatePdf } from "./pdf.server";
import { signPayload, verifyPayload, type CertificatePayload } from "./payload";
import { encodeToken } from "./token";

export interface CertificateView {
  payload: CertificatePayload;
  /** base64url Ed25519 signature over the payload (certificates.signature). */
  signature: string;
  holderUnitName: string;
  credential: { code: string; nameVi: string; nameEn: string; descriptionVi?: string; descriptionEn?: string };
  courseTitleVi?: string | null;
  issuer: { nameVi: string; nameEn?: string };
  scorePercent?: number | null;
  source: "passed" | "recognised";
  statusListIndex: number;
  /** Status list id within the issuer (e.g. the year); the list URL is `<baseUrl>/status/<issuer>/<listId>`. */
  statusListId: string | number;
  /** Exact issue instant (the payload carries only the date). */
  issuedAt: Date;
  expiresAt: Date | null;
}

export interface ArtifactOptions {
  baseUrl: string;
  /** The Ed25519 key named by payload.kid: signs the Open Badge (the payload is already signed). */
  signingKey: KeyObject;
  /** PAdES signer; without one the PDF is unsigned (tests, previews). */
  pades?: PadesSigner;
  isDemoSigner?: boolean;
  now?: Date;
}

export const verifyUrlFor = (baseUrl: string, token: string) => `${baseUrl.replace(/\/+$/, "")}/v/${token}`;

/** Signs a payload and returns what the database row needs plus the token. */
export function signCertificate(payload: CertificatePayload, privateKey: KeyObject) {
  const signature = signPayload(payload, privateKey);
  return { signature, token: encodeToken(payload, signature) };
}

/**
 * The signed Open Badge of a certificate. It is public at its id (`/credentials/<token>`), so it carries only what
 * the verify page shows: no score (printed on the PDF only), no unit, no staff code.
 */
export function buildOpenBadgeFor(view: CertificateView, baseUrl: string, signingKey: KeyObject, created?: Date): JsonObject {
  const p = view.payload;
  const token = encodeToken(p, view.signature);
  const credential = buildOpenBadgeCredential({
    baseUrl,
    id: credentialDocumentUrl(baseUrl, token),
    serial: p.serial,
    holderName: p.name,
    issuer: { code: p.issuer, nameVi: view.issuer.nameVi, nameEn: view.issuer.nameEn },
    credential: { id: p.credential, ...view.credential },
    issuedAt: p.issuedAt,
    expiresAt: p.expiresAt,
    status: { index: view.statusListIndex, listUrl: statusListUrl(baseUrl, p.issuer, view.statusListId) },
    source: view.source,
  });
  return signOpenBadge(credential, signingKey, created ?? view.issuedAt);
}

export async function buildCertificateArtifacts(view: CertificateView, options: ArtifactOptions) {
  const p = view.payload;
  if (!verifyPayload(p, view.signature, options.signingKey)) {
    throw new Error(`certificate ${p.serial}: the stored signature does not match the payload for key ${p.kid}`);
  }
  const token = encodeToken(p, view.signature);
  const verifyUrl = verifyUrlFor(options.baseUrl, token);
  const openBadge = buildOpenBadgeFor(view, options.baseUrl, options.signingKey);
  const data = {
    serial: p.serial,
    holderName: p.name,
    unitName: view.holderUnitName,
    credentialNameVi: view.credential.nameVi,
    credentialNameEn: view.credential.nameEn,
    courseTitleVi: view.courseTitleVi ?? null,
    issuedAt: view.issuedAt,
    expiresAt: view.expiresAt,
    issuerName: view.issuer.nameVi,
    scorePercent: view.scorePercent ?? null,
    source: view.source,
    verifyUrl,
    isDemoSigner: options.isDemoSigner ?? options.pades?.isDemo ?? true,
    openBadgeJson: JSON.stringify(openBadge, null, 2),
  };
  const template = loadCertificateTemplate(p.credential);
  const pdf = options.pades
    ? await renderSignedCertificatePdf(data, template, options.pades, { now: options.now })
    : await renderCertificatePdf(data, template, { now: options.now });
  return { token, verifyUrl, openBadge, pdf };
}
