/**
 * RFC 3161 signature timestamps for PAdES B-T: when LMS_TSA_URL names a time-stamping authority, the CMS signer
 * asks it to time-stamp the signature value and stores the token as the unsigned attribute
 * id-aa-signatureTimeStampToken (RFC 3161 appendix A / ETSI EN 319 122). Without LMS_TSA_URL signatures stay B-B.
 *
 * A TSA that fails, refuses or answers with a token for other data is an error naming the TSA (no silent fallback
 * to B-B: a certificate promised with a timestamp must not be issued without one).
 */
import { createHash, randomBytes } from "node:crypto";
import { children, content, decodeOid, OID, octets, oid, raw, readTlv, seq, tlv, type Tlv } from "./der";

export const OID_TIMESTAMP_TOKEN = "1.2.840.113549.1.9.16.2.14"; // id-aa-signatureTimeStampToken
export const OID_TST_INFO = "1.2.840.113549.1.9.16.1.4"; // id-ct-TSTInfo

export class TimestampError extends Error {}

/** DER TimeStampReq { version 1, messageImprint (SHA-256 of `data`), nonce, certReq TRUE }. */
export function timestampRequest(data: Uint8Array, nonce: Buffer = randomBytes(8)): { der: Buffer; nonce: Buffer; digest: Buffer } {
  const digest = createHash("sha256").update(data).digest();
  const n = nonce[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), nonce]) : nonce; // a positive INTEGER
  const der = seq(tlv(0x02, Buffer.from([1])), seq(seq(oid(OID.sha256), Buffer.from([0x05, 0x00])), octets(digest)), tlv(0x02, n), Buffer.from([0x01, 0x01, 0xff]));
  return { der, nonce: n, digest };
}

const stripZeros = (b: Uint8Array) => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return Buffer.from(b.subarray(i));
};

/** The TSTInfo inside a TimeStampToken (ContentInfo → SignedData → encapContentInfo → eContent). */
export function tstInfoOf(token: Uint8Array): { digest: Buffer; genTime: string; nonce: Buffer | null } {
  const ci = readTlv(token, 0);
  const [type, explicit] = children(token, ci);
  if (!type || decodeOid(content(token, type)) !== OID.signedData || !explicit) throw new TimestampError("the timestamp token is not CMS SignedData");
  const signedData = children(token, explicit)[0]!;
  const encap = children(token, signedData)[2]!;
  const [eType, eExplicit] = children(token, encap);
  if (!eType || decodeOid(content(token, eType)) !== OID_TST_INFO || !eExplicit) throw new TimestampError("the timestamp token does not carry a TSTInfo");
  const octetString = children(token, eExplicit)[0]!;
  const tst = Buffer.from(content(token, octetString));
  const parts = children(tst, readTlv(tst, 0));
  const imprint = children(tst, parts[2]!);
  const genTime = Buffer.from(content(tst, parts[4]!)).toString("latin1");
  const nonceTlv: Tlv | undefined = parts.slice(5).find((p) => p.tag === 0x02);
  return { digest: Buffer.from(content(tst, imprint[1]!)), genTime, nonce: nonceTlv ? Buffer.from(content(tst, nonceTlv)) : null };
}

/**
 * Asks the TSA at `url` for a token over `data` (the signature value) and returns the TimeStampToken DER after
 * checking that it is granted and covers exactly our digest and nonce.
 */
export async function fetchTimestampToken(url: string, data: Uint8Array, options: { timeoutMs?: number } = {}): Promise<Buffer> {
  const req = timestampRequest(data);
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/timestamp-query", Accept: "application/timestamp-reply" },
      body: new Uint8Array(req.der),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (e) {
    throw new TimestampError(`time-stamping authority ${url} did not answer: ${(e as Error).message}`);
  }
  if (!res.ok) throw new TimestampError(`time-stamping authority ${url} answered HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  let statusInfo: Tlv, token: Tlv | undefined;
  try {
    [statusInfo, token] = children(body, readTlv(body, 0)) as [Tlv, Tlv | undefined];
  } catch {
    throw new TimestampError(`time-stamping authority ${url} sent something that is not a TimeStampResp`);
  }
  const status = children(body, statusInfo)[0]!;
  const code = content(body, status)[0];
  if ((code !== 0 && code !== 1) || !token) throw new TimestampError(`time-stamping authority ${url} refused the request (PKIStatus ${code})`);
  const der = Buffer.from(raw(body, token));
  const info = tstInfoOf(der);
  if (!info.digest.equals(req.digest)) throw new TimestampError(`time-stamping authority ${url} time-stamped other data`);
  if (!info.nonce || !stripZeros(info.nonce).equals(stripZeros(req.nonce))) throw new TimestampError(`time-stamping authority ${url} answered with another nonce`);
  return der;
}

/** SignerInfo unsignedAttrs [1] IMPLICIT SET OF Attribute, holding one signature timestamp token. */
export function timestampUnsignedAttrs(token: Uint8Array): Buffer {
  return tlv(0xa1, seq(oid(OID_TIMESTAMP_TOKEN), tlv(0x31, token)));
}
