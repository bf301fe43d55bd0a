/**
 * Minimal DER (ASN.1) reading and writing: enough to build a CMS SignedData for PAdES and to read one back.
 * Reading keeps byte offsets so signed structures can be hashed exactly as they appear in the file.
 */

export interface Tlv {
  tag: number;
  /** Offset of the tag byte in the source. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the element. */
  end: number;
  constructed: boolean;
}

export function readTlv(buf: Uint8Array, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new Error(`DER: truncated element at byte ${offset}`);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Error(`DER: multi-byte tags are not supported (byte ${offset})`);
  let len = buf[offset + 1]!;
  let p = offset + 2;
  if (len === 0x80) throw new Error(`DER: indefinite length at byte ${offset}`);
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count > 4 || p + count > limit) throw new Error(`DER: bad length at byte ${offset}`);
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + buf[p + i]!;
    p += count;
  }
  if (p + len > limit) throw new Error(`DER: element at byte ${offset} runs past its container`);
  return { tag, start: offset, contentStart: p, end: p + len, constructed: (tag & 0x20) !== 0 };
}

export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.contentStart;
  while (p < parent.end) {
    const c = readTlv(buf, p, parent.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export const raw = (buf: Uint8Array, t: Tlv) => buf.subarray(t.start, t.end);
export const content = (buf: Uint8Array, t: Tlv) => buf.subarray(t.contentStart, t.end);

export function decodeOid(bytes: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < bytes.length; i++) {
    v = v * 128 + (bytes[i]! & 0x7f);
    if (!(bytes[i]! & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
/** DER SET OF: elements sorted by their encodings. */
export const setOf = (...parts: Uint8Array[]) => tlv(0x31, ...[...parts].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
export const octets = (b: Uint8Array) => tlv(0x04, b);
export const nullValue = () => Buffer.from([0x05, 0x00]);
export const integer = (n: number) => tlv(0x02, Buffer.from([n]));

export function oid(dotted: string): Buffer {
  const nums = dotted.split(".").map(Number);
  const out: number[] = [40 * nums[0]! + nums[1]!];
  for (const v of nums.slice(2)) {
    const stack = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) stack.unshift((x & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  sha384WithRSA: "1.2.840.113549.1.1.12",
  sha512WithRSA: "1.2.840.113549.1.1.13",
  ecdsaSha256: "1.2.840.10045.4.3.2",
  ecdsaSha384: "1.2.840.10045.4.3.3",
  ecdsaSha512: "1.2.840.10045.4.3.4",
} as const;

export const DIGEST_NAMES: Record<string, string> = {
  [OID.sha1]: "sha1",
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};
