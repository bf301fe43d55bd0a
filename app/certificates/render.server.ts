/**
 * From a certificate row to its files: the PAdES-signed PDF (rendered on every download: the row is the
 * certificate, the PDF a view of it), the signed Open Badge JSON, and the streamed ZIP of a unit's PDFs.
 */
import { Zip, ZipPassThrough } from "fflate";
import { getDatabase, type Database } from "~/db.server";
import { csvCell } from "~/reports/export.server"; // neutralises cells a spreadsheet would run as formulas
import { buildCertificateArtifacts, buildOpenBadgeFor } from "./artifacts.server";
import { getPadesSigner, privateKeyForKid } from "./keys.server";
import { vietnamDate } from "./lifecycle";
import type { JsonObject } from "./openbadge";
import { loadRecordsByIds, statusOf, viewOf, type CertificateRecord } from "./records.server";

/**
 * The public base URL printed in QR codes and Open Badges: LMS_PUBLIC_URL (e.g. https://hoctap.noivu.gov.vn), else
 * the origin of the request, else http://127.0.0.1:<PORT>. Set LMS_PUBLIC_URL in production so that a PDF
 * rendered from any worker or the CLI carries the same address.
 */
export function publicBaseUrl(request?: Request, env: NodeJS.ProcessEnv = process.env): string {
  if (env.LMS_PUBLIC_URL) return env.LMS_PUBLIC_URL.replace(/\/+$/, "");
  if (request) return new URL(request.url).origin;
  return `http://127.0.0.1:${env.PORT || 3000}`;
}

export interface RenderRecordOptions {
  /** Sign with PAdES (default true: every certificate PDF is signed). */
  pades?: boolean;
  now?: Date;
  database?: Database;
}

/** Renders (and PAdES-signs) the PDF of a certificate row. ~6 ms warm. */
export async function renderRecordPdf(record: CertificateRecord, baseUrl: string, options: RenderRecordOptions = {}) {
  const db = options.database ?? (await getDatabase());
  const signingKey = await privateKeyForKid(db.read, record.keyId);
  const pades = options.pades === false ? undefined : await getPadesSigner();
  const art = await buildCertificateArtifacts(viewOf(record), {
    baseUrl,
    signingKey,
    pades,
    isDemoSigner: record.keyIsDemo || (pades?.isDemo ?? false),
    now: options.now,
  });
  return art;
}

/** The signed OpenBadgeCredential of a row (deterministic: the proof is dated at issue). */
export async function openBadgeForRecord(record: CertificateRecord, baseUrl: string, database?: Database): Promise<JsonObject> {
  const db = database ?? (await getDatabase());
  const signingKey = await privateKeyForKid(db.read, record.keyId);
  return buildOpenBadgeFor(viewOf(record), baseUrl, signingKey);
}

export const pdfFileName = (serial: string) => `${serial}.pdf`;


export interface ZipProgress {
  rendered: number;
  failed: number;
}

/**
 * A streamed ZIP of the PDFs of the certificates named by `idBatches` (stored, not deflated: PDFs are already
 * compressed), followed by `danh-sach.csv` listing every file (and any certificate that could not be rendered).
 * Pull-based: one PDF is rendered only when the client has taken the previous bytes, so memory stays flat for
 * 10,000 certificates.
 */
export function certificatesZipStream(
  idBatches: AsyncIterable<string[]>,
  baseUrl: string,
  options: { database?: Database; now?: number; onProgress?: (p: ZipProgress) => void } = {},
): ReadableStream<Uint8Array> {
  const iterator = idBatches[Symbol.asyncIterator]();
  let queue: CertificateRecord[] = [];
  let zip: Zip;
  let finished = false;
  const progress: ZipProgress = { rendered: 0, failed: 0 };
  const csv: string[] = ["serial,ho_ten,chung_nhan,ngay_cap,het_han,trang_thai,tep"];
  const now = options.now ?? Date.now();
  const add = (name: string, bytes: Uint8Array, mtime: Date) => {
    const file = new ZipPassThrough(name);
    file.mtime = mtime;
    zip.add(file);
    file.push(bytes, true);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        zip = new Zip((err, chunk, final) => {
          if (err) controller.error(err);
          else {
            controller.enqueue(chunk);
            if (final) controller.close();
          }
        });
      },
      async pull() {
        if (finished) return;
        if (queue.length === 0) {
          const next = await iterator.next();
          if (next.done) {
            finished = true;
            add("danh-sach.csv", new TextEncoder().encode("\uFEFF" + csv.join("\r\n") + "\r\n"), new Date(now));
            zip.end();
            return;
          }
          queue = await loadRecordsByIds((options.database ?? (await getDatabase())).read, next.value);
          if (queue.length === 0) return;
        }
        const record = queue.shift()!;
        const status = statusOf(record, now).status;
        let file = "";
        try {
          const { pdf } = await renderRecordPdf(record, baseUrl, { database: options.database });
          file = pdfFileName(record.serial);
          add(file, pdf, new Date(record.issuedAt));
          progress.rendered++;
        } catch (e) {
          file = `(${(e as Error).message})`;
          progress.failed++;
        }
        csv.push([record.serial, record.holderName, record.credentialNameVi, vietnamDate(record.issuedAt), record.expiresAt === null ? "" : vietnamDate(record.expiresAt), status, file].map(csvCell).join(","));
        options.onProgress?.(progress);
      },
      async cancel() {
        finished = true;
        zip?.terminate();
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}
