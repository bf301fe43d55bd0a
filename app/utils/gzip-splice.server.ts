/**
 * One gzip response from parts deflated separately (ADR 0017). Each part is raw DEFLATE ending in a full flush
 * (byte-aligned, no final block, no reference to earlier bytes), so parts concatenate into one valid DEFLATE
 * stream: a big part that is the same on every request (a lesson's body) is compressed once and kept, and only the
 * small personal parts around it (header, progress) are compressed per request. The gzip trailer's CRC-32 and size
 * are those of all the parts' bytes together (RFC 1952).
 */
import zlib from "node:zlib";

export interface DeflatedPart {
  /** The part's bytes (UTF-8). */
  raw: Buffer;
  /** raw, as raw DEFLATE ending with Z_FULL_FLUSH. */
  deflated: Buffer;
}

/** gzip header: magic, CM=8 (deflate), no flags, no mtime, XFL 0, OS 255 (unknown). */
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block (BFINAL=1, fixed Huffman, end of block). */
const FINAL = zlib.deflateRawSync(Buffer.alloc(0));

export function deflatePart(text: string | Buffer, level = 6): DeflatedPart {
  const raw = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  return { raw, deflated: zlib.deflateRawSync(raw, { level, finishFlush: zlib.constants.Z_FULL_FLUSH }) };
}

/** The gzip member of the parts' bytes in order. */
export function gzipParts(parts: readonly DeflatedPart[]): Buffer {
  let crc = 0;
  let size = 0;
  for (const p of parts) {
    // Node's zlib.crc32 answers 0 for an empty buffer whatever the starting value: skip those.
    if (p.raw.length > 0) crc = zlib.crc32(p.raw, crc);
    size += p.raw.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([HEADER, ...parts.map((p) => p.deflated), FINAL, trailer]);
}

/** Whether an Accept-Encoding header takes gzip (a `q=0` refuses it). */
export function acceptsGzip(header: string | undefined | null): boolean {
  if (!header) return false;
  for (const item of header.split(",")) {
    const [name, ...params] = item.trim().toLowerCase().split(";");
    if (name !== "gzip" && name !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (!q || Number(q.slice(2)) > 0) return true;
  }
  return false;
}
