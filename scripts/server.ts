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
import { pathToFileURL } from "node:url";

export const BUILD_DIR = path.resolve(process.env.LMS_ROOT ?? process.cwd(), "build");

export async function createApp() {
  const build = (await import(pathToFileURL(path.join(BUILD_DIR, "server/index.js")).href)) as ServerBuild;
  const getLoadContext = (build.entry.module as unknown as { getLoadContext: Parameters<typeof createRequestHandler>[0]["getLoadContext"] }).getLoadContext;
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy set TRUST_PROXY (e.g. "loopback" or a hop count) so req.ip is the client's address.
  app.set("trust proxy", process.env.TRUST_PROXY ?? false);
  app.use(compression());
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    next();
  });
  app.use(rejectCrossSiteWrites);
  app.use("/assets", express.static(path.join(BUILD_DIR, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(BUILD_DIR, "client"), { maxAge: "1h" }));
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
  app.all("*", createRequestHandler({ build, mode: "production", getLoadContext }));
  return app;
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

/**
 * Idle keep-alive connections stay open this long. Node's default (5 s) is shorter than the gap between an exam
 * candidate's autosaves on a slow phone or a busy server, so the server closed sockets the browser was about to
 * reuse; a request sent on such a socket fails with ECONNRESET (1,010 errors at the 2,000-candidate stampede).
 * 65 s outlives the idle timeouts of common reverse proxies and load balancers (60 s), which must be the side that
 * closes an idle connection, never the app (docs/decisions/0010-exam-stampede.md).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Must exceed the keep-alive timeout (Node docs), or a slow request on a reused socket is cut off. */
export const HEADERS_TIMEOUT_MS = 66_000;
/** Pending connections the kernel queues while the server is busy (Node's default 511; capped by somaxconn). */
export const LISTEN_BACKLOG = 4096;

export function applyConnectionLimits(server: Server): Server {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  return server;
}

export async function listen(port: number, host: string): Promise<Server> {
  const app = await createApp();
  return new Promise((resolve, reject) => {
    const server = applyConnectionLimits(createServer(app));
    server.on("error", reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => resolve(server));
  });
}
