/**
 * Request limits, timeouts, rate limits and HSTS, over HTTP against the production server (scripts/server.ts,
 * app/utils/request-limits.ts). Each limit is checked to answer its 4xx with a sentence saying what is wrong,
 * without storing anything, and to let ordinary requests through.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BODY_LIMIT, MAX_URL_LENGTH, UPLOAD_ROUTES, bodyLimitFor } from "../../app/utils/request-limits";
import { MAX_IMPORT_BYTES } from "../../app/reports/roster-import.server";
import { MAX_UPLOAD_BYTES } from "../../app/certificates/pdf-check.server";
import { bootServer, DEMO_PASSWORD, login, tableCounts, type TestServer } from "./harness";

let srv: TestServer;
const TABLES = ["people", "users", "sessions", "roster_imports", "login_throttle", "audit_log"];

beforeAll(async () => {
  srv = await bootServer("limits", 1, { TRUST_PROXY: "loopback", HEADERS_TIMEOUT_MS: "1500", REQUEST_TIMEOUT_MS: "3000" });
});
afterAll(async () => {
  await srv?.stop();
});

/** Sends raw bytes on a socket; resolves with what came back and how long until the server closed it. */
function raw(port: number, chunks: string[], waitMs = 15_000): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    let text = "";
    const socket = net.connect(port, "127.0.0.1", () => {
      for (const c of chunks) socket.write(c);
    });
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${waitMs} ms`));
    }, waitMs);
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(guard);
      resolve({ text, closedAfterMs: Date.now() - t0 });
    });
  });
}

const port = () => Number(new URL(srv.baseUrl).port);

describe("body and URL size limits", () => {
  it("the server's limits cover the domains' own file limits", () => {
    expect(bodyLimitFor("/hr/import")).toBeGreaterThan(MAX_IMPORT_BYTES);
    expect(bodyLimitFor("/verify")).toBeGreaterThan(MAX_UPLOAD_BYTES);
    expect(bodyLimitFor("/login")).toBe(DEFAULT_BODY_LIMIT);
    expect(UPLOAD_ROUTES.map((r) => r.path).sort()).toEqual(["/hr/import", "/verify"]);
  });

  it("refuses a body above the route's limit with 413 before reading it, and stores nothing", async () => {
    const database = await srv.db();
    const before = await tableCounts(database, TABLES);
    const cases = [
      { path: "/login", bytes: DEFAULT_BODY_LIMIT + 1 },
      { path: "/exam/abc/save", bytes: 2 * DEFAULT_BODY_LIMIT },
      { path: "/verify", bytes: bodyLimitFor("/verify") + 1 },
      { path: "/hr/import", bytes: bodyLimitFor("/hr/import") + 1 },
    ];
    for (const c of cases) {
      // Only the headers and a few bytes are sent: the answer must come without the server waiting for the rest.
      const r = await raw(port(), [`POST ${c.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${c.bytes}\r\n\r\nxxxx`]);
      expect(r.text, c.path).toMatch(/^HTTP\/1\.1 413/);
      expect(r.text).toMatch(/larger than .* MB, the limit for this address/);
      expect(r.closedAfterMs).toBeLessThan(1500); // well before REQUEST_TIMEOUT_MS: not a timeout
    }
    expect(await tableCounts(database, TABLES)).toEqual(before);
  });

  it("accepts a body just under the limit (the limit is not too tight)", async () => {
    const body = new URLSearchParams({ username: "quantri", password: "x".repeat(DEFAULT_BODY_LIMIT - 100) });
    const r = await fetch(`${srv.baseUrl}/login`, { method: "POST", body, redirect: "manual" });
    expect(r.status).toBe(400); // a wrong password, not a size error
  });

  it("refuses a chunked body of unknown length with 411", async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode("username=a&password=b"));
        c.close();
      },
    });
    const r = await fetch(`${srv.baseUrl}/login`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(r.status).toBe(411);
    expect(await r.text()).toMatch(/Content-Length/);
  });

  it("refuses an overlong address with 414", async () => {
    const r = await fetch(`${srv.baseUrl}/verify?serial=${"A".repeat(MAX_URL_LENGTH)}`);
    expect(r.status).toBe(414);
    expect(await r.text()).toMatch(/longer than 4096/);
    expect((await fetch(`${srv.baseUrl}/verify?serial=${"A".repeat(200)}`)).status).toBe(200);
  });
});

describe("slow clients", () => {
  it("closes a connection whose headers never finish (408 after HEADERS_TIMEOUT_MS)", async () => {
    const r = await raw(port(), ["GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "]);
    expect(r.text).toMatch(/^HTTP\/1\.1 408/);
    expect(r.closedAfterMs).toBeLessThan(10_000);
  });

  it("closes a connection whose body never finishes (408 after REQUEST_TIMEOUT_MS)", async () => {
    const r = await raw(port(), ["POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=a"]);
    expect(r.text).toMatch(/^HTTP\/1\.1 408/);
    expect(r.closedAfterMs).toBeLessThan(12_000);
  });
});

describe("rate limits", () => {
  it("/verify answers 429 to an address after 20 look-ups in a burst, while another address is served", async () => {
    const lookUp = (ip: string) =>
      fetch(`${srv.baseUrl}/verify`, { method: "POST", headers: { "X-Forwarded-For": ip }, body: new URLSearchParams({ serial: "KNS-2025-000001-X" }) });
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await lookUp("198.51.100.20")).status);
    expect(statuses.slice(0, 20).every((s) => s !== 429)).toBe(true);
    expect(statuses[21]).toBe(429);
    expect((await lookUp("198.51.100.21")).status).not.toBe(429);
  });

  it("login locks an account after 5 failures: even the right password then gets 429, without a session", async () => {
    const database = await srv.db();
    const sessions = (await tableCounts(database, ["sessions"])).sessions;
    const attempt = (password: string, ip: string) =>
      fetch(`${srv.baseUrl}/login`, { method: "POST", headers: { "X-Forwarded-For": ip }, body: new URLSearchParams({ username: "tacgia", password }), redirect: "manual" });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt("wrong-password", `198.51.100.${30 + i}`)).status);
    expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(statuses[5]).toBe(429);
    const locked = await attempt(DEMO_PASSWORD, "198.51.100.40");
    expect(locked.status).toBe(429);
    expect(locked.headers.getSetCookie().some((c) => c.startsWith("lms_session="))).toBe(false);
    expect((await tableCounts(database, ["sessions"])).sessions).toBe(sessions);
    // another account from another address is not affected
    expect(await login(srv.baseUrl, "hocvien", DEMO_PASSWORD, "198.51.100.41")).toMatch(/^lms_session=/);
  });
});

describe("HSTS", () => {
  it("is sent only when a trusted proxy says the request came over https", async () => {
    const viaTls = await fetch(`${srv.baseUrl}/healthz`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(viaTls.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const plain = await fetch(`${srv.baseUrl}/healthz`);
    expect(plain.headers.get("strict-transport-security")).toBeNull();
  });

  it("is never sent when no proxy is trusted, whatever X-Forwarded-Proto says", async () => {
    await srv.stop();
    await srv.restart({});
    const spoofed = await fetch(`${srv.baseUrl}/healthz`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(spoofed.status).toBe(200);
    expect(spoofed.headers.get("strict-transport-security")).toBeNull();
  });
});
