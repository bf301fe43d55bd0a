/**
 * Precompressed static assets (docs/decisions/0009-lesson-pages-static-html.md): after `remix vite:build`, every
 * compressible file of build/client gets a `.br` (Brotli, quality 11) and a `.gz` (gzip, level 9) sibling, and
 * the server sends those as they are instead of compressing the same immutable bytes again on every request
 * (the compression middleware uses Brotli quality 4 / gzip 6: bigger files, and CPU per request).
 *   tsx scripts/precompress.ts [DIR]   (default build/client)
 */
import { existsSync, statSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { NextFunction, Request, Response } from "express";

const COMPRESSIBLE = new Set([".js", ".mjs", ".css", ".svg", ".json", ".html", ".txt", ".webmanifest", ".ico", ".map"]);
/** Below this size compression does not pay (same threshold as the compression middleware). */
const MIN_BYTES = 1024;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** Writes `<file>.br` and `<file>.gz` for every compressible file of `dir` (recursively); returns how many files. */
export async function precompressDir(dir: string): Promise<number> {
  let n = 0;
  for (const file of await walk(dir)) {
    if (!COMPRESSIBLE.has(path.extname(file).toLowerCase())) continue;
    const body = await readFile(file);
    if (body.length < MIN_BYTES) continue;
    const br = await brotli(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT },
    });
    const gz = await gzip(body, { level: 9 });
    await writeFile(`${file}.br`, br);
    await writeFile(`${file}.gz`, gz);
    n++;
  }
  return n;
}

/**
 * Express middleware in front of express.static(root): when the browser accepts Brotli (or gzip) and the
 * precompressed sibling exists, the request is served from it with the original file's Content-Type and
 * `Content-Encoding`. The build is immutable while the process runs, so existence checks are remembered.
 */
export function precompressed(root: string) {
  const base = path.resolve(root);
  const known = new Map<string, boolean>();
  const has = (file: string) => {
    let v = known.get(file);
    if (v === undefined) {
      v = existsSync(file) && statSync(file).isFile();
      known.set(file, v);
    }
    return v;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const ext = path.extname(req.path).toLowerCase();
    if (!COMPRESSIBLE.has(ext)) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(req.path);
    } catch {
      return next(); // express.static answers the malformed path
    }
    const file = path.join(base, rel);
    if (!file.startsWith(base + path.sep)) return next();
    res.vary("Accept-Encoding");
    // Brotli whenever it is accepted at all (browsers list it after gzip, with the same weight).
    const encoding = req.acceptsEncodings("br") === "br" ? "br" : req.acceptsEncodings("gzip") === "gzip" ? "gzip" : null;
    const suffix = encoding === "br" ? ".br" : encoding === "gzip" ? ".gz" : null;
    if (!suffix || !has(file + suffix)) return next();
    res.setHeader("Content-Encoding", encoding!);
    res.type(ext);
    req.url = req.url.replace(/^[^?]*/, (p) => p + suffix);
    next();
  };
}

// Run as a script only: this module is also bundled into build/server/worker.js, where argv[1] is the bundle.
if (process.argv[1] && /[\\/]precompress\.ts$/.test(process.argv[1]) && path.resolve(process.argv[1]) === import.meta.filename) {
  const dir = path.resolve(process.argv[2] ?? "build/client");
  const t0 = Date.now();
  const n = await precompressDir(dir);
  console.log(`${n} files precompressed (br, gz) in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${path.relative(process.cwd(), dir) || "."}`);
}
