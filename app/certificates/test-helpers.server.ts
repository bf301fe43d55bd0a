/** Helpers for the certificate tests: poppler tools on temporary files. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

let dir: string | undefined;
export function tmpFile(name: string, bytes?: Uint8Array): string {
  dir ??= mkdtempSync(path.join(tmpdir(), "cert-test-"));
  const file = path.join(dir, name);
  if (bytes) writeFileSync(file, bytes);
  return file;
}

/** Runs a poppler tool; returns stdout+stderr and the exit code (pdfsig exits non-zero for bad signatures). */
export function poppler(tool: "pdftotext" | "pdfinfo" | "pdfsig" | "pdfdetach" | "pdftoppm" | "pdffonts", args: string[]): { out: string; code: number } {
  try {
    const out = execFileSync(tool, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { out, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; status?: number };
    return { out: `${err.stdout ?? ""}${err.stderr ?? ""}`, code: err.status ?? 1 };
  }
}

export function pdfText(pdf: Uint8Array, name = "t.pdf"): string {
  return poppler("pdftotext", ["-raw", "-enc", "UTF-8", tmpFile(name, pdf), "-"]).out;
}

export function pdfInfo(pdf: Uint8Array, name = "i.pdf"): Record<string, string> {
  const out = poppler("pdfinfo", ["-enc", "UTF-8", tmpFile(name, pdf)]).out;
  return Object.fromEntries(
    out.split("\n").flatMap((l) => {
      const m = /^([^:]+):\s*(.*)$/.exec(l);
      return m ? [[m[1]!, m[2]!]] : [];
    }),
  );
}

/** Grey 8-bit pixels of a page region (pdftoppm -gray, PGM). */
export function pageGrey(pdf: Uint8Array, name: string, crop: { dpi: number; x: number; y: number; w: number; h: number }): Buffer {
  const base = tmpFile(name, pdf).replace(/\.pdf$/, "");
  poppler("pdftoppm", ["-gray", "-r", String(crop.dpi), "-x", String(crop.x), "-y", String(crop.y), "-W", String(crop.w), "-H", String(crop.h), "-singlefile", `${base}.pdf`, base]);
  const pgm = readFileSync(`${base}.pgm`);
  // P5\n<w> <h>\n255\n then pixels
  let nl = 0;
  let i = 0;
  while (nl < 3) if (pgm[i++] === 0x0a) nl++;
  return pgm.subarray(i);
}
