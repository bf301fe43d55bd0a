/**
 * The server under test: a fresh database in .cache/bench/, the production build, and scripts/start.ts started
 * exactly as `npm start` does (NODE_ENV=production, HOST=127.0.0.1, WEB_CONCURRENCY workers), in its own process
 * group so that stopping it ends the primary and every worker and nothing else.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { buildIsStale } from "../build-state";

export const ROOT = path.resolve(process.env.LMS_ROOT ?? process.cwd());

export function ensureBuild(log: (m: string) => void): void {
  const stale = buildIsStale(ROOT);
  if (!stale) return;
  log(`Building (${stale}): npm run build…`);
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", process.stderr, process.stderr], env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) throw new Error("npm run build failed (see above)");
}

/** A free TCP port on 127.0.0.1 (asks the kernel for one, then releases it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface RunningServer {
  baseUrl: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
  /** SIGKILL to the whole process group (crash tests): no shutdown code runs; resolves once it has exited. */
  kill(): Promise<void>;
}

export async function startServer(opts: {
  dbUrl: string;
  dataDir: string;
  workers: number;
  logFile: string;
  port?: number;
  /** Extra environment, applied last (crash tests: NODE_ENV=test and the LMS_TEST_PAUSE_* hooks). */
  env?: Record<string, string>;
}): Promise<RunningServer> {
  const port = opts.port ?? (await freePort());
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const out = createWriteStream(opts.logFile);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/start.ts")], {
    cwd: ROOT,
    detached: true, // its own process group: kill(-pid) reaches the primary and its workers only
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      WEB_CONCURRENCY: String(opts.workers),
      DATABASE_URL: opts.dbUrl,
      LMS_DATA_DIR: opts.dataDir,
      DEMO_SEED: "1",
      LOG_REQUESTS: "0",
      ...opts.env,
    },
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? -1));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const deadline = Date.now() + 5000;
    while (exited === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (exited === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  const kill = async () => {
    if (exited !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      return;
    }
    const deadline = Date.now() + 10_000;
    while (exited === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };
  // Wait for /healthz (bounded: 120 s, enough for a first build-less start on a busy machine).
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null) throw new Error(`the server exited with code ${exited} before it was ready; log: ${opts.logFile}\n${tail(opts.logFile)}`);
    try {
      const r = await fetch(`${baseUrl}/healthz`, { headers: { connection: "close" }, signal: AbortSignal.timeout(2000) }); // no idle socket left behind (see CLOSE in harness.ts)
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /healthz within 120 s; log: ${opts.logFile}\n${tail(opts.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, pid: child.pid!, logFile: opts.logFile, stop, kill };
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
