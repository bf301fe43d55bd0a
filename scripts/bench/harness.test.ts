import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContext, loadScenarios, main, orderScenarios } from "./harness";
import { isLoopbackUrl } from "./server";
import type { BenchOptions, Scenario } from "./types";

const options: BenchOptions = { people: 1000, roster: 0, duration: 1, connections: 2, workers: 2 };

describe("bench harness", () => {
  let server: Server;
  let baseUrl: string;
  const seen: { method: string; url: string; body: string; connection?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, body, connection: req.headers.connection });
        if (req.url === "/login" && body.includes("password=right")) {
          res.writeHead(302, { location: "/", "set-cookie": ["lms_lang=vi; Path=/", "lms_session=abc123; Path=/; HttpOnly; Secure"] });
          return res.end();
        }
        if (req.url === "/login") {
          res.writeHead(400);
          return res.end("bad");
        }
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("loads every scenario module with the contract and orders the basics first", async () => {
    const all = await loadScenarios();
    const names = all.map((s) => s.name);
    // Every scenario issue 8 asks for: lesson page, exam stampede, certificate render and verify, national roll-up
    // and ministry drill-down and the 2.5 M CSV export (reports), roster import of 100 k rows.
    for (const n of ["healthz", "landing", "login", "hr-home", "writes", "national-seed", "lesson-pages", "exam-stampede", "certificates", "reports", "roster-import"]) expect(names).toContain(n);
    expect(names.slice(0, 4)).toEqual(["healthz", "landing", "login", "hr-home"]);
    expect(names.slice(-2)).toEqual(["writes", "national-seed"]);
    for (const s of all) {
      expect(typeof s.description).toBe("string");
      expect(typeof s.run).toBe("function");
    }
    const fake = (name: string) => ({ name, description: "", run: async () => [] }) satisfies Scenario;
    expect(orderScenarios([fake("national-seed"), fake("zeta"), fake("alpha"), fake("healthz")]).map((s) => s.name)).toEqual(["healthz", "alpha", "zeta", "national-seed"]);
  });

  it.each([
    ["http://127.0.0.1:3000/", true],
    ["http://127.9.0.1/", true],
    ["http://localhost:1/x", true],
    ["http://[::1]:8080/", true],
    ["http://10.0.0.5/", false],
    ["http://192.168.1.1/", false],
    ["https://example.vn/", false],
    ["http://127.0.0.1.example.vn/", false],
    ["not a url", false],
  ])("isLoopbackUrl(%s) is %s", (url, ok) => {
    expect(isLoopbackUrl(url)).toBe(ok);
  });

  it("refuses to send load anywhere but loopback", async () => {
    const ctx = createContext({ baseUrl, pid: process.pid }, "file:x.db", options);
    await expect(ctx.autocannon({ url: "http://192.168.1.10/" })).rejects.toThrow(/loopback only/);
  });

  it("runs a bounded autocannon load against a path on the server", async () => {
    const ctx = createContext({ baseUrl, pid: process.pid }, "file:x.db", options);
    const before = seen.length;
    const r = await ctx.autocannon({ url: "/ping", amount: 50, connections: 2 });
    expect(r.statusCodeStats["200"]?.count).toBe(50);
    expect(seen.length - before).toBe(50);
    expect(seen.at(-1)!.url).toBe("/ping");
  });

  it("logs in through POST /login and returns only the session cookie", async () => {
    const ctx = createContext({ baseUrl, pid: process.pid }, "file:x.db", options);
    expect(await ctx.login("hocvien", "right")).toBe("lms_session=abc123");
    // The connection is closed, not left idle in fetch's pool for a scenario to trip over once the server drops it.
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/login", body: "username=hocvien&password=right", connection: "close" });
    await expect(ctx.login("hocvien", "wrong")).rejects.toThrow(/login as hocvien failed: HTTP 400/);
  });

  it("times a function and reports the server's memory", async () => {
    const ctx = createContext({ baseUrl, pid: process.pid }, "file:x.db", options);
    const ms = await ctx.timeIt("sleep", () => new Promise((r) => setTimeout(r, 20)));
    expect(ms).toBeGreaterThan(0);
    expect(ctx.serverRss()).toBeGreaterThan(10);
    expect(ctx.serverMaxProcessRss()).toBeGreaterThan(10);
  });

  it("refuses HTTP helpers when the bench runs without a server", async () => {
    const ctx = createContext(null, "file:x.db", options);
    await expect(ctx.login("x")).rejects.toThrow(/without one/);
    expect(ctx.serverRss()).toBe(0);
  });

  it("takes the server's port from --port (or BENCH_PORT) and refuses one it cannot use", async () => {
    await expect(main(["--list", "--port", "80"])).rejects.toThrow(/--port must be a whole number from 1024 to 65535, got 80/);
    await expect(main(["--list", "--port", "x"])).rejects.toThrow(/--port/);
  });
});
