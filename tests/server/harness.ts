/**
 * Shared by the server-level tests (tests/server/*.test.ts, run by vitest.server.config.ts after the production
 * build): starts scripts/start.ts exactly as `npm start` does, on a fresh database of its own, on one of the
 * ports reserved for these tests (SERVER_TEST_PORT, default 3600, up to +9), and gives the test a reader on
 * that database and logged-in cookies.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { openDatabase, type Database } from "../../db/client";
import { startServer, type RunningServer } from "../../scripts/bench/server";

export const DEMO_PASSWORD = "hoc-tap-so-2026";
const ROOT = path.resolve(".cache/server-tests");
const BASE_PORT = Number(process.env.SERVER_TEST_PORT ?? 3600);

export interface TestServer {
  name: string;
  dbUrl: string;
  dataDir: string;
  baseUrl: string;
  server: RunningServer;
  /** Starts the server again on the same database (after kill or stop). */
  restart(env?: Record<string, string>): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  db(): Promise<Database>;
}

/**
 * A server on a fresh database. `slot` (0..9) picks the port: each test file uses its own. (VITEST is blanked
 * so that start.ts can rebuild a stale build/ with the Remix plugin, which vite.config.ts leaves out under vitest.)
 */
export async function bootServer(name: string, slot: number, env: Record<string, string> = {}): Promise<TestServer> {
  const dir = path.join(ROOT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbUrl = `file:${path.join(dir, "lms.db")}`;
  const dataDir = path.join(dir, "data");
  const port = BASE_PORT + slot;
  const start = (extra: Record<string, string>) =>
    startServer({ dbUrl, dataDir, workers: 1, logFile: path.join(dir, "server.log"), port, env: { VITEST: "", ...extra } });
  let server = await start(env);
  let reader: Database | null = null;
  const t: TestServer = {
    name,
    dbUrl,
    dataDir,
    baseUrl: server.baseUrl,
    server,
    async restart(next = env) {
      server = await start(next);
      t.server = server;
    },
    kill: () => server.kill(),
    async stop() {
      reader?.close();
      reader = null;
      await server.stop();
    },
    async db() {
      reader ??= await openDatabase(dbUrl);
      return reader;
    },
  };
  return t;
}

export function cookieFrom(setCookies: string[], name = "lms_session"): string | null {
  for (const c of setCookies) {
    const m = new RegExp(`^${name}=([^;]+)`).exec(c);
    if (m && m[1]) return `${name}=${m[1]}`;
  }
  return null;
}

export async function login(baseUrl: string, username: string, password = DEMO_PASSWORD, ip?: string): Promise<string> {
  const r = await fetch(`${baseUrl}/login`, {
    method: "POST",
    body: new URLSearchParams({ username, password }),
    redirect: "manual",
    headers: ip ? { "X-Forwarded-For": ip } : {},
    signal: AbortSignal.timeout(30_000),
  });
  const cookie = cookieFrom(r.headers.getSetCookie());
  if (!cookie) throw new Error(`login as ${username} failed: HTTP ${r.status}`);
  return cookie;
}

/** Row count of each table, to prove that refused input stored nothing. */
export async function tableCounts(database: Database, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await database.readClient.execute(`SELECT count(*) AS n FROM "${t}"`)).rows[0]!.n);
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
