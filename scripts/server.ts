/**
 * The production HTTP server: Express + the Remix request handler from build/server. Started by `npm start`
 * (scripts/start.ts) after the database is prepared; one process, or one worker per core with WEB_CONCURRENCY.
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { createServer, type Server } from "node:http";
import { readdirSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import { bodyLimitFor, MAX_URL_LENGTH, serverTimeouts } from "../app/utils/request-limits";
import { precompressed } from "./precompress";
import { installMatchRoutesMemo } from "./route-match-cache";

export const BUILD_DIR = path.resolve(process.env.LMS_ROOT ?? process.cwd(), "build");

export async function createApp() {
  const build = (await import(pathToFileURL(path.join(BUILD_DIR, "server/index.js")).href)) as ServerBuild;
  const entry = build.entry.module as unknown as {
    getLoadContext: Parameters<typeof createRequestHandler>[0]["getLoadContext"];
    verifyTokenPage?: (assets: ServerBuild["assets"]) => express.RequestHandler;
    lessonPage?: (assets: ServerBuild["assets"], buildDir: string) => express.RequestHandler;
    autosaveAnswer?: () => express.RequestHandler;
    examStart?: () => express.RequestHandler;
    examSubmit?: () => express.RequestHandler;
  };
  const getLoadContext = entry.getLoadContext;
  // Remix matches the route tree several times per document; the answers are kept (ADR 0016).
  installMatchRoutesMemo();
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy set TRUST_PROXY (e.g. "loopback" or a hop count) so req.ip is the client's address.
  app.set("trust proxy", process.env.TRUST_PROXY ?? false);
  app.use((req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    // HSTS only when the request really came over TLS: req.secure is true for a direct TLS connection, or
    // behind a trusted proxy (TRUST_PROXY) that says X-Forwarded-Proto: https. Never on plain HTTP, where a
    // browser ignores it anyway and an intranet install without TLS must stay reachable.
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  });
  app.use(limitRequests);
  app.use(rejectCrossSiteWrites);
  if (process.env.LOG_REQUESTS === "1") {
    app.use((req, res, next) => {
      const start = process.hrtime.bigint();
      res.on("finish", () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        console.log(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)} ms`);
      });
      next();
    });
  }
  // Autosave, three quarters of an exam rush's requests, is JSON in and out and needs nothing of Remix; the same
  // domain function answers it in the Remix route (npm run dev). Its answers are a few hundred bytes, below the
  // compression threshold, so it comes before the compression middleware: docs/decisions/0016-exam-hot-paths.md.
  if (entry.autosaveAnswer) app.post("/exam/:attemptId/save", entry.autosaveAnswer());
  // Starting an exam: the redirect to the attempt is sent here; any other outcome is a page, rendered by Remix.
  if (entry.examStart) app.post("/courses/:slug/exam", entry.examStart());
  // Handing an attempt in: the redirect to the result is sent here; the no-JS save buttons and errors go to Remix.
  if (entry.examSubmit) app.post("/exam/:attemptId", entry.examSubmit());
  // Lesson pages of signed-in readers, also without Remix (docs/decisions/0017-lesson-pages-without-remix.md). They
  // send their own gzip (the lesson body compressed once), so they come before the compression middleware; anything
  // else under that path (signed out, unknown lesson, /courses/x/exam) goes on through it to Remix.
  if (entry.lessonPage) app.get("/courses/:slug/:lesson", entry.lessonPage(build.assets, BUILD_DIR));
  // Dynamic HTML: Brotli quality 5 (the middleware's default 4 gives bigger pages than gzip on lesson HTML);
  // static files are precompressed at build (precompress.ts) and skipped by the middleware. The exam's own pages
  // are made per candidate and per request, thousands at once at an exam's start: quality 3 there (a 23 kB taking
  // page: 0.16 ms instead of 0.48 ms of CPU, 8.0 kB instead of 7.1 kB), ADR 0016.
  app.use(compressionFor(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } } }), compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: EXAM_BROTLI_QUALITY } } })));
  // The QR verify page is plain server-rendered HTML, outside Remix, and ahead of the static files (no file lives
  // under /v/, and a stat per request was a visible part of its profile): docs/decisions/0015-verify-page-without-remix.md.
  if (entry.verifyTokenPage) app.get("/v/:token", entry.verifyTokenPage(build.assets));
  // Static files: the build's precompressed .br/.gz siblings when the browser takes them (scripts/precompress.ts).
  app.use("/assets", precompressed(path.join(BUILD_DIR, "client/assets")), express.static(path.join(BUILD_DIR, "client/assets"), { immutable: true, maxAge: "1y" }));
  // The build's top-level files only (favicon, sw.js…): a page's path skips the file lookups (a stat per request
  // was ~0.3 ms of every taking page, ADR 0016).
  app.use(onlyUnder(topLevelNames(path.join(BUILD_DIR, "client")), precompressed(path.join(BUILD_DIR, "client")), express.static(path.join(BUILD_DIR, "client"), { maxAge: "1h" })));
  app.all("*", coalesceWrites, createRequestHandler({ build, mode: "production", getLoadContext }));
  return app;
}

/** The names directly inside `dir` (read once: the build does not change under a running server). */
export function topLevelNames(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

/**
 * Runs `handlers` in turn only for paths whose first segment is one of `names` (percent-escapes decoded); any
 * other request goes straight on. For static files served from a directory, so no other path costs a lookup.
 */
export function onlyUnder(names: Set<string>, ...handlers: express.RequestHandler[]): express.RequestHandler {
  return (req, res, next) => {
    let first = req.path.split("/")[1] ?? "";
    try {
      first = decodeURIComponent(first);
    } catch {
      // a malformed escape: let the handlers answer it as before
    }
    if (!names.has(first)) return next();
    let i = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined || i >= handlers.length) return next(err);
      handlers[i++]!(req, res, step);
    };
    step();
  };
}

/** Brotli quality of the exam's pages (/exam/…): made per request, all candidates at once. */
export const EXAM_BROTLI_QUALITY = 3;

/** The exam's pages (/exam/…) get `exam`, everything else `general`. */
export function compressionFor(general: express.RequestHandler, exam: express.RequestHandler): express.RequestHandler {
  return (req, res, next) => (req.path.startsWith("/exam/") ? exam : general)(req, res, next);
}

/** Responses larger than this are passed on as they come once they reach it (the streaming of a big page). */
export const COALESCE_LIMIT = 1024 * 1024;

/**
 * Remix streams a document as React renders it, in many small chunks, and calls `res.flush()` after each one
 * (writeReadableStreamToWritable): with the compression middleware that is one compressor call and one socket
 * write per chunk, ~2 ms of CPU for a 23 kB exam page (ADR 0016). Our pages have no Suspense boundaries (nothing is
 * deferred), so the whole document is rendered at once anyway: this collects the chunks and hands them on as one
 * write at the end (one compression pass; a small body below the compression threshold stays uncompressed).
 * Event streams, and anything past COALESCE_LIMIT, pass through as they come, flushes included.
 */
export function coalesceWrites(_req: express.Request, res: express.Response, next: express.NextFunction) {
  const write = res.write;
  const end = res.end;
  const flush = (res as express.Response & { flush?: () => void }).flush;
  let chunks: Buffer[] | null = [];
  let size = 0;
  const passOn = () => {
    if (!chunks) return;
    const pending = chunks;
    chunks = null;
    if (pending.length > 0) (write as (chunk: Buffer) => boolean).call(res, Buffer.concat(pending, size));
  };
  const streaming = () => /text\/event-stream/i.test(String(res.getHeader("Content-Type") ?? ""));
  const toBuffer = (chunk: unknown, encoding: unknown) =>
    Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
  res.write = function (this: express.Response, chunk: unknown, encoding?: unknown, cb?: unknown) {
    if (chunks && streaming()) passOn();
    if (!chunks) return (write as (...a: unknown[]) => boolean).apply(this, [chunk, encoding, cb].filter((a) => a !== undefined));
    const buffer = toBuffer(chunk, encoding);
    chunks.push(buffer);
    size += buffer.length;
    const done = typeof encoding === "function" ? encoding : cb;
    if (typeof done === "function") process.nextTick(done as () => void);
    if (size >= COALESCE_LIMIT) passOn();
    return true;
  } as typeof res.write;
  res.end = function (this: express.Response, chunk?: unknown, encoding?: unknown, cb?: unknown) {
    if (chunks) {
      if (typeof chunk === "function") [cb, chunk] = [chunk, undefined];
      else if (typeof encoding === "function") [cb, encoding] = [encoding, undefined];
      if (chunk !== undefined && chunk !== null) {
        const buffer = toBuffer(chunk, encoding);
        chunks.push(buffer);
        size += buffer.length;
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks, size) : undefined;
      chunks = null;
      // The whole body is known: say its length (compression drops it again when it compresses).
      if (body && !this.headersSent && this.getHeader("Content-Length") === undefined) this.setHeader("Content-Length", body.length);
      return (end as (...a: unknown[]) => express.Response).apply(this, [body, cb].filter((a) => a !== undefined));
    }
    return (end as (...a: unknown[]) => express.Response).apply(this, [chunk, encoding, cb].filter((a) => a !== undefined));
  } as typeof res.end;
  if (flush) {
    (res as express.Response & { flush?: () => void }).flush = function (this: express.Response) {
      if (!chunks) flush.call(this);
    };
  }
  next();
}

function refuse(res: express.Response, status: number, en: string, vi: string) {
  res.status(status).set("Connection", "close").type("text/plain").send(`${vi} / ${en}`);
}

/**
 * Checks made before anything reads the request (app/utils/request-limits.ts): an overlong URL is 414, a path
 * whose %-escapes are not UTF-8 is 400 (Express would log a stack trace for each), a declared body above the route's limit is 413 (the body is never read), and a body without a length
 * (chunked) is 411, because its size could only be known by reading it all.
 */
export function limitRequests(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (req.originalUrl.length > MAX_URL_LENGTH) {
    return refuse(res, 414, `The address is longer than ${MAX_URL_LENGTH} characters.`, `Địa chỉ dài quá ${MAX_URL_LENGTH} ký tự.`);
  }
  try {
    decodeURIComponent(req.path);
  } catch {
    return refuse(res, 400, "The address is not valid: it has a %-escape that is not UTF-8.", "Địa chỉ không hợp lệ: có mã %-escape không phải UTF-8.");
  }
  const declared = req.headers["content-length"];
  if (declared === undefined) {
    if (req.headers["transfer-encoding"] !== undefined) {
      return refuse(res, 411, "A request body must state its length (Content-Length).", "Nội dung yêu cầu phải ghi rõ độ dài (Content-Length).");
    }
    return next();
  }
  const length = Number(declared);
  const limit = bodyLimitFor(req.path);
  if (!Number.isSafeInteger(length) || length < 0) {
    return refuse(res, 400, "The Content-Length header is not a number.", "Tiêu đề Content-Length không phải là số.");
  }
  if (length > limit) {
    const mb = (limit / 1024 / 1024).toFixed(limit < 1024 * 1024 ? 2 : 0);
    return refuse(res, 413, `The request body is larger than ${mb} MB, the limit for this address.`, `Nội dung yêu cầu lớn hơn ${mb} MB, giới hạn của địa chỉ này.`);
  }
  next();
}

/**
 * CSRF defence in depth (besides SameSite=Lax cookies): a state-changing request whose Origin (or, failing
 * that, Referer) names another site is refused. Requests with neither header (curl, scripts) carry no
 * browser cookies by accident and pass.
 */
export function rejectCrossSiteWrites(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const source = req.headers.origin ?? req.headers.referer;
  if (source && source !== "null") {
    let host: string | null = null;
    try {
      host = new URL(source).host;
    } catch {
      host = null;
    }
    if (host === req.headers.host) return next();
  } else if (!source) {
    return next();
  }
  res.status(403).type("text/plain").send("Cross-site request refused / Yêu cầu từ trang khác bị từ chối.");
}

/** Pending connections the kernel queues while the server is busy (Node's default 511; capped by somaxconn). */
export const LISTEN_BACKLOG = 4096;

/**
 * The HTTP server with its socket timeouts (app/utils/request-limits.ts): headers must arrive within
 * headersTimeout and the whole request within requestTimeout (slowloris; Node answers 408 and closes, checking
 * every second), while an idle keep-alive socket stays open keepAliveTimeout (65 s), so a client reusing one (an
 * exam candidate's next autosave) never meets a socket the server has just closed. Node applies the headers
 * timeout from the first byte of each request, not to idle time between requests (tested in server.test.ts).
 */
export function createHttpServer(handler: Parameters<typeof createServer>[1], env: Record<string, string | undefined> = process.env): Server {
  const t = serverTimeouts(env);
  const server = createServer({ headersTimeout: t.headersTimeout, requestTimeout: t.requestTimeout, connectionsCheckingInterval: Math.min(1000, t.headersTimeout) }, handler);
  server.keepAliveTimeout = t.keepAliveTimeout;
  return server;
}

export async function listen(port: number, host: string): Promise<Server> {
  const app = await createApp();
  return new Promise((resolve, reject) => {
    const server = createHttpServer(app);
    server.on("error", reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => resolve(server));
  });
}

/** Serves on host:port, or explains in one sentence why it cannot and exits (used by start.ts and worker.ts). */
export async function listenOrExit(port: number, host: string): Promise<Server> {
  try {
    return await listen(port, host);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") console.error(`Error: port ${port} on ${host} is already in use; stop the other server or set PORT.`);
    else console.error(`Error: cannot listen on ${host}:${port}: ${e.message}`);
    process.exit(1);
  }
}
