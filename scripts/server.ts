/**
 * The production HTTP server: Express + the Remix request handler from build/server. Started by `npm start`
 * (scripts/start.ts) after the database is prepared; one process, or one worker per core with WEB_CONCURRENCY.
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { createServer, type Server } from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import { bodyLimitFor, MAX_URL_LENGTH, serverTimeouts } from "../app/utils/request-limits";
import { precompressed } from "./precompress";

export const BUILD_DIR = path.resolve(process.env.LMS_ROOT ?? process.cwd(), "build");

export async function createApp() {
  const build = (await import(pathToFileURL(path.join(BUILD_DIR, "server/index.js")).href)) as ServerBuild;
  const entry = build.entry.module as unknown as {
    getLoadContext: Parameters<typeof createRequestHandler>[0]["getLoadContext"];
    verifyTokenPage?: (assets: ServerBuild["assets"]) => express.RequestHandler;
    autosaveAnswer?: () => express.RequestHandler;
  };
  const getLoadContext = entry.getLoadContext;
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy set TRUST_PROXY (e.g. "loopback" or a hop count) so req.ip is the client's address.
  app.set("trust proxy", process.env.TRUST_PROXY ?? false);
  // Dynamic HTML: Brotli quality 5 (the middleware's default 4 gives bigger pages than gzip on lesson HTML);
  // static files are precompressed at build (precompress.ts) and skipped by the middleware.
  app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } } }));
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
  // The QR verify page is plain server-rendered HTML, outside Remix, and ahead of the static files (no file lives
  // under /v/, and a stat per request was a visible part of its profile): docs/decisions/0015-verify-page-without-remix.md.
  if (entry.verifyTokenPage) app.get("/v/:token", entry.verifyTokenPage(build.assets));
  // Autosave, three quarters of an exam rush's requests, is JSON in and out and needs nothing of Remix; the same
  // domain function answers it in the Remix route (npm run dev): docs/decisions/0016-exam-hot-paths.md.
  if (entry.autosaveAnswer) app.post("/exam/:attemptId/save", entry.autosaveAnswer());
  // Static files: the build's precompressed .br/.gz siblings when the browser takes them (scripts/precompress.ts).
  app.use("/assets", precompressed(path.join(BUILD_DIR, "client/assets")), express.static(path.join(BUILD_DIR, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(precompressed(path.join(BUILD_DIR, "client")), express.static(path.join(BUILD_DIR, "client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production", getLoadContext }));
  return app;
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
