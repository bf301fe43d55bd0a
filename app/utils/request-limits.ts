/**
 * Request limits enforced by the HTTP server (scripts/server.ts) before a request reaches Remix
 * (docs/decisions/0012-crash-safety-and-input-limits.md). Pure: no imports, so the server can use it without the
 * build and tests can check it against the domains' own limits.
 */

/** Bodies of ordinary forms and JSON (login, autosave, admin forms): far above any real one. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Multipart overhead allowed above a domain's own file limit (boundaries, part headers, other fields). */
export const MULTIPART_SLACK = 256 * 1024;

/** Routes that accept an upload, with the domain's own file limit (checked again, precisely, by the domain). */
export const UPLOAD_ROUTES: { path: string; fileLimit: number }[] = [
  { path: "/hr/import", fileLimit: 20 * 1024 * 1024 }, // app/reports/roster-import.server.ts MAX_IMPORT_BYTES
  { path: "/verify", fileLimit: 5 * 1024 * 1024 }, // app/certificates/pdf-check.server.ts MAX_UPLOAD_BYTES
];

/** The largest body accepted on `pathname` (the query string is not part of it). */
export function bodyLimitFor(pathname: string): number {
  const route = UPLOAD_ROUTES.find((r) => pathname === r.path || pathname === `${r.path}/`);
  return route ? route.fileLimit + MULTIPART_SLACK : DEFAULT_BODY_LIMIT;
}

/** Longest request path (with query) accepted: longer ones are refused with 414 before routing. */
export const MAX_URL_LENGTH = 4096;

/** Server socket timeouts (ms). Env overrides exist for tests and unusual deployments. */
export function serverTimeouts(env: Record<string, string | undefined> = process.env) {
  const num = (v: string | undefined, d: number) => {
    const n = Number(v);
    return v !== undefined && Number.isFinite(n) && n > 0 ? n : d;
  };
  return {
    /** All request headers must arrive within this time (slowloris). */
    headersTimeout: num(env.HEADERS_TIMEOUT_MS, 20_000),
    /** The whole request (headers and body) must arrive within this time: a 20 MB upload at 2 Mbit/s fits. */
    requestTimeout: num(env.REQUEST_TIMEOUT_MS, 120_000),
    /** An idle keep-alive connection is closed after this time: longer than a proxy's usual 60 s idle timeout, so
     * the server never closes a socket a client (or proxy) is about to reuse (ECONNRESET in the exam stampede). */
    keepAliveTimeout: num(env.KEEP_ALIVE_TIMEOUT_MS, 65_000),
  };
}
