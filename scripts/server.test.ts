/**
 * Connection handling of the production server: idle keep-alive sockets are kept long enough that a client
 * reusing one (an exam candidate's next autosave) never meets a socket the server has just closed, while the
 * headers timeout (slowloris) still applies to each request — and not to the idle time between requests.
 */
import { Agent, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import compression from "compression";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { coalesceWrites, COALESCE_LIMIT, compressionFor, createHttpServer, EXAM_BROTLI_QUALITY, onlyUnder, topLevelNames } from "./server";

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

function get(port: number, agent: Agent): Promise<{ keepAlive: string | undefined; socket: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ keepAlive: res.headers["keep-alive"] as string | undefined, socket: req.socket }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("server connection limits", () => {
  it("keeps idle connections for 65 s and tells the client so", async () => {
    server = createHttpServer((_req, res) => res.end("ok"), {});
    await new Promise<void>((r) => server!.listen({ port: 0, host: "127.0.0.1" }, r));
    expect(server.keepAliveTimeout).toBe(65_000); // longer than a proxy's usual 60 s idle timeout
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { keepAlive } = await get((server.address() as AddressInfo).port, agent);
    agent.destroy();
    expect(keepAlive).toBe("timeout=65");
  });

  it("serves a second request on a socket that sat idle longer than the headers timeout", async () => {
    server = createHttpServer((_req, res) => res.end("ok"), { HEADERS_TIMEOUT_MS: "300", REQUEST_TIMEOUT_MS: "600" });
    await new Promise<void>((r) => server!.listen({ port: 0, host: "127.0.0.1" }, r));
    const port = (server.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(port, agent);
    await new Promise((r) => setTimeout(r, 1_500)); // idle: over the 300 ms headers timeout, twice the check interval
    const second = await get(port, agent);
    agent.destroy();
    expect(second.socket).toBe(first.socket);
  });
});

describe("coalesceWrites (Remix's streamed chunks as one write)", () => {
  /** An app like the production one: compression, a counter of what reaches it, coalescing, then `send`. */
  async function serve(send: (res: express.Response & { flush?: () => void }) => void) {
    const seen = { writes: 0, flushes: 0, ends: 0 };
    const app = express();
    app.use(compression());
    app.use((_req, res, next) => {
      const r = res as express.Response & { flush: () => void };
      const [write, end, flush] = [r.write, r.end, r.flush];
      r.write = function (this: unknown, ...a: unknown[]) {
        seen.writes++;
        return (write as (...x: unknown[]) => boolean).apply(this, a);
      } as typeof r.write;
      r.end = function (this: unknown, ...a: unknown[]) {
        seen.ends++;
        return (end as (...x: unknown[]) => express.Response).apply(this, a);
      } as typeof r.end;
      r.flush = function () {
        seen.flushes++;
        flush.call(this);
      };
      next();
    });
    app.get("/", coalesceWrites, (_req, res) => send(res));
    server = createHttpServer(app, {});
    await new Promise<void>((r) => server!.listen({ port: 0, host: "127.0.0.1" }, r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
  }
  const page = Array.from({ length: 200 }, (_, i) => `<p>Câu ${i}: đáp án &amp; giải thích</p>`);

  it("hands a streamed HTML page on as one write at the end, compressed once, byte for byte", async () => {
    const { url, seen } = await serve((res) => {
      res.type("html");
      for (const part of page) {
        res.write(part);
        res.flush?.();
      }
      res.end();
    });
    const res = await fetch(url, { headers: { "Accept-Encoding": "br" } });
    expect(res.headers.get("content-encoding")).toBe("br");
    expect(await res.text()).toBe(page.join("")); // fetch decompresses
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const req = request(url, { headers: { "Accept-Encoding": "br" } }, (r) => {
        const parts: Buffer[] = [];
        r.on("data", (d: Buffer) => parts.push(d));
        r.on("end", () => resolve(Buffer.concat(parts)));
      });
      req.on("error", reject);
      req.end();
    });
    expect(zlib.brotliDecompressSync(raw).toString("utf8")).toBe(page.join(""));
    expect(seen).toEqual({ writes: 0, flushes: 0, ends: 2 }); // one end per request
  });

  it("a small body stays below the compression threshold: sent as is, with its length", async () => {
    const { url, seen } = await serve((res) => {
      res.type("json");
      res.write('{"ok":');
      res.write(Buffer.from("true"));
      res.end("}");
    });
    const res = await fetch(url, { headers: { "Accept-Encoding": "gzip, br" } });
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("content-length")).toBe("11");
    expect(await res.text()).toBe('{"ok":true}');
    expect(seen.writes).toBe(0);
  });

  it("an event stream passes through chunk by chunk, flushes included", async () => {
    const { url, seen } = await serve((res) => {
      res.type("text/event-stream");
      for (let i = 0; i < 3; i++) {
        res.write(`data: ${i}\n\n`);
        res.flush?.();
      }
      res.end();
    });
    expect(await (await fetch(url)).text()).toBe("data: 0\n\ndata: 1\n\ndata: 2\n\n");
    expect(seen).toMatchObject({ writes: 3, flushes: 3 });
  });

  it("a body past COALESCE_LIMIT is passed on from there, intact", async () => {
    const block = "x".repeat(64 * 1024);
    const count = Math.ceil(COALESCE_LIMIT / block.length) + 3;
    const { url, seen } = await serve((res) => {
      res.type("html");
      for (let i = 0; i < count; i++) res.write(block);
      res.end("end");
    });
    const text = await (await fetch(url, { headers: { "Accept-Encoding": "identity" } })).text();
    expect(text.length).toBe(count * block.length + 3);
    expect(seen.writes).toBe(4); // the first MB at once, then the three blocks after it
  });
});

describe("compressionFor", () => {
  it("compresses the exam's pages at the exam's quality and everything else at the general one", async () => {
    const page = Array.from({ length: 400 }, (_, i) => `<li class="exam-option">Phương án ${i % 7}: nội dung ${i}</li>`).join("");
    const app = express();
    const quality = (q: number) => compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q } } });
    app.use(compressionFor(quality(5), quality(EXAM_BROTLI_QUALITY)));
    app.get(["/exam/abc", "/courses/x"], (_req, res) => res.type("html").send(page));
    server = createHttpServer(app, {});
    await new Promise<void>((r) => server!.listen({ port: 0, host: "127.0.0.1" }, r));
    const port = (server.address() as AddressInfo).port;
    const raw = (path: string) =>
      new Promise<Buffer>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path, headers: { "Accept-Encoding": "br" } }, (r) => {
          const parts: Buffer[] = [];
          r.on("data", (d: Buffer) => parts.push(d));
          r.on("end", () => resolve(Buffer.concat(parts)));
        });
        req.on("error", reject);
        req.end();
      });
    const exam = await raw("/exam/abc");
    const other = await raw("/courses/x");
    expect(zlib.brotliDecompressSync(exam).toString()).toBe(page);
    expect(zlib.brotliDecompressSync(other).toString()).toBe(page);
    const at = (q: number) => zlib.brotliCompressSync(page, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q } }).length;
    expect(exam.length).toBe(at(EXAM_BROTLI_QUALITY));
    expect(other.length).toBe(at(5));
  });
});

describe("onlyUnder (static files without a lookup for every page)", () => {
  it("serves the directory's files, and sends every other path on without touching the disk", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "lms-static-"));
    writeFileSync(path.join(dir, "favicon.svg"), "<svg/>");
    writeFileSync(path.join(dir, "tệp.txt"), "vi");
    mkdirSync(path.join(dir, "assets"));
    writeFileSync(path.join(dir, "assets", "a.css"), "a{}");
    const names = topLevelNames(dir);
    expect([...names].sort()).toEqual(["assets", "favicon.svg", "tệp.txt"]);
    let looked = 0;
    const app = express();
    app.use(
      onlyUnder(
        names,
        (_req, _res, next) => {
          looked++;
          next();
        },
        express.static(dir),
      ),
    );
    app.use((req, res) => res.status(404).send(`app: ${req.path}`));
    server = createHttpServer(app, {});
    await new Promise<void>((r) => server!.listen({ port: 0, host: "127.0.0.1" }, r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await (await fetch(`${base}/favicon.svg`)).text()).toBe("<svg/>");
    expect(await (await fetch(`${base}/assets/a.css`)).text()).toBe("a{}");
    expect(await (await fetch(`${base}/t%E1%BB%87p.txt`)).text()).toBe("vi");
    expect(looked).toBe(3);
    expect(await (await fetch(`${base}/exam/01abc`)).text()).toBe("app: /exam/01abc");
    expect(await (await fetch(`${base}/assets/missing.css`)).text()).toBe("app: /assets/missing.css");
    expect(looked).toBe(4); // the page never reached the static handlers; the missing asset did, and fell through
    expect(topLevelNames(path.join(dir, "no-such-dir")).size).toBe(0);
  });
});
