/**
 * The production HTTP server: Express + the Remix request handler from build/server. Started by `npm start`
 * (scripts/start.ts) after the database is prepared; one process, or one worker per core with WEB_CONCURRENCY.
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { Server } from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import { precompressed } from "./precompress";

export const BUILD_DIR = path.resolve(process.env.LMS_ROOT ?? process.cwd(), "build");

export async function createApp() {
  const build = (await import(pathToFileURL(path.join(BUILD_DIR, "server/index.js")).href)) as ServerBuild;
  const getLoadContext = (build.entry.module as unknown as { getLoadContext: Parameters<typeof createRequestHandler>[0]["getLoadContext"] }).getLoadContext;
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy set TRUST_PROXY (e.g. "loopback" or a hop count) so req.ip is the client's address.
  app.set("trust proxy", process.env.TRUST_PROXY ?? false);
  // Dynamic HTML: Brotli quality 5 (the middleware's default 4 gives bigger pages than gzip on lesson HTML);
  // static files are precompressed at build (precompress.ts) and skipped by the middleware.
  app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } } }));
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    next();
  });
  app.use(rejectCrossSiteWrites);
  // Static files: the build's precompressed .br/.gz siblings when the browser takes them (scripts/precompress.ts).
  app.use("/assets", precompressed(path.join(BUILD_DIR, "client/assets")), express.static(path.join(BUILD_DIR, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(precompressed(path.join(BUILD_DIR, "client")), express.static(path.join(BUILD_DIR, "client"), { maxAge: "1h" }));
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

export async function listen(port: number, host: string): Promise<Server> {
  const app = await createApp();
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.on("error", reject);
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
