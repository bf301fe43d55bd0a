import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import compression from "compression";
import express from "express";
import { afterAll, beforeAll, expect, test } from "vitest";
import { precompressDir, precompressed } from "./precompress";

let dir: string;
let base: string;
let close: () => void;
const js = `export const text = ${JSON.stringify("Khóa học trực tuyến ".repeat(200))};\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "precompress-"));
  await mkdir(path.join(dir, "assets"));
  await writeFile(path.join(dir, "assets/app-1.js"), js);
  await writeFile(path.join(dir, "assets/tiny.js"), "export {};\n");
  await writeFile(path.join(dir, "assets/font.woff2"), Buffer.alloc(4096, 7));
  const app = express();
  app.use(compression());
  app.use("/assets", precompressed(path.join(dir, "assets")), express.static(path.join(dir, "assets")));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});

afterAll(async () => {
  close?.();
  await rm(dir, { recursive: true, force: true });
});

test("precompressDir writes .br and .gz siblings of compressible files only, decoding to the same bytes", async () => {
  expect(await precompressDir(dir)).toBe(1);
  const br = await readFile(path.join(dir, "assets/app-1.js.br"));
  const gz = await readFile(path.join(dir, "assets/app-1.js.gz"));
  expect(zlib.brotliDecompressSync(br).toString()).toBe(js);
  expect(zlib.gunzipSync(gz).toString()).toBe(js);
  expect(br.length).toBeLessThan(gz.length);
  expect(existsSync(path.join(dir, "assets/tiny.js.br"))).toBe(false); // under 1 KB
  expect(existsSync(path.join(dir, "assets/font.woff2.br"))).toBe(false); // already compressed format
});

test("the server sends the precompressed file with the original type, the encoding the browser takes", async () => {
  const brRes = await fetch(`${base}/assets/app-1.js`, { headers: { "accept-encoding": "gzip, deflate, br" } });
  expect(brRes.status).toBe(200);
  expect(brRes.headers.get("content-encoding")).toBe("br");
  expect(brRes.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
  expect(brRes.headers.get("vary")).toMatch(/Accept-Encoding/i);
  expect(Number(brRes.headers.get("content-length"))).toBe((await readFile(path.join(dir, "assets/app-1.js.br"))).length);
  expect(await brRes.text()).toBe(js); // fetch decodes it

  const gzRes = await fetch(`${base}/assets/app-1.js?v=1`, { headers: { "accept-encoding": "gzip" } });
  expect(gzRes.headers.get("content-encoding")).toBe("gzip");
  expect(Number(gzRes.headers.get("content-length"))).toBe((await readFile(path.join(dir, "assets/app-1.js.gz"))).length);
  expect(await gzRes.text()).toBe(js);

  const plain = await fetch(`${base}/assets/app-1.js`, { headers: { "accept-encoding": "identity" } });
  expect(plain.headers.get("content-encoding")).toBeNull();
  expect(await plain.text()).toBe(js);

  // A file without siblings still goes through the compression middleware or as is; unknown files are 404.
  expect((await fetch(`${base}/assets/tiny.js`, { headers: { "accept-encoding": "br" } })).status).toBe(200);
  expect((await fetch(`${base}/assets/missing.js`, { headers: { "accept-encoding": "br" } })).status).toBe(404);
  expect((await fetch(`${base}/assets/..%2f..%2fetc%2fpasswd.js`, { headers: { "accept-encoding": "br" } })).status).toBe(404);
});
