/**
 * `npm test`: the whole suite — vitest (unit + integration on real libSQL files), a production build, then
 * Playwright end-to-end against it — and one closing line `N passed, N failed`.
 * It finds a browser by itself: Playwright's own Chromium if installed, else Debian's /usr/bin/chromium; when
 * neither exists it installs Debian's chromium (and poppler-utils, used by the certificate tests) with apt-get
 * when running as root, otherwise it prints the one command to run.
 * After the build and before Playwright it runs the server-level tests (tests/server, vitest.server.config.ts):
 * crash safety under SIGKILL, request limits and headers, bad input over HTTP; they need the production build.
 *   --unit-only   vitest only        --e2e-only   build + server tests + Playwright only
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const args = new Set(process.argv.slice(2));
const runUnit = !args.has("--e2e-only");
const runE2e = !args.has("--unit-only");
const CACHE = path.resolve(".cache");
mkdirSync(CACHE, { recursive: true });

function run(cmd: string, argv: string[], env: Record<string, string> = {}) {
  return spawnSync(cmd, argv, { stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;
}

function has(cmd: string) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

function playwrightChromium(): string | null {
  try {
    const p = spawnSync(process.execPath, ["-e", "process.stdout.write(require('playwright-core').chromium.executablePath())"], { encoding: "utf8" });
    return p.stdout && existsSync(p.stdout) ? p.stdout : null;
  } catch {
    return null;
  }
}

/** Installs what the tests need from Debian when we are root; otherwise says exactly what to run. */
function ensureSystemTools(needBrowser: boolean): string | undefined {
  const missing: string[] = [];
  if (!has("pdftotext") || !has("pdfsig") || !has("pdftoppm")) missing.push("poppler-utils");
  let browser = needBrowser ? (process.env.CHROMIUM_PATH || playwrightChromium() || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : null)) : undefined;
  if (needBrowser && !browser) missing.push("chromium");
  if (missing.length > 0) {
    const cmd = `apt-get update && apt-get install -y ${missing.join(" ")}`;
    if (process.getuid?.() === 0 && has("apt-get")) {
      console.log(`Installing test tools from Debian: ${missing.join(", ")}`);
      if (run("sh", ["-c", `${cmd} >${path.join(CACHE, "apt.log")} 2>&1`]) !== 0) {
        console.error(`Error: '${cmd}' failed; see .cache/apt.log.`);
        process.exit(1);
      }
      if (needBrowser && !browser && existsSync("/usr/bin/chromium")) browser = "/usr/bin/chromium";
    } else {
      console.error(`Error: the tests need ${missing.join(" and ")}. Install with:\n  sudo ${cmd}`);
      process.exit(1);
    }
  }
  return browser ?? undefined;
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function vitestCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const r = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numTotalTestSuites: number; numFailedTestSuites: number };
  // A file that fails to load has no tests to count: count it as a failure so it cannot hide.
  return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numFailedTests === 0 ? r.numFailedTestSuites : 0), skipped: r.numPendingTests + r.numTodoTests };
}

function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: unknown[] };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected + (r.errors?.length ? 1 : 0), skipped: r.stats.skipped };
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const add = (c: Counts) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
};

const browser = ensureSystemTools(runE2e);

if (runUnit) {
  const out = path.join(CACHE, "vitest.json");
  rmSync(out, { force: true });
  const status = run("node_modules/.bin/vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  const c = vitestCounts(out);
  if (status !== 0 && c.failed === 0) c.failed = 1;
  add(c);
}

if (runE2e) {
  let ok = run("npm", ["run", "--silent", "build"], { NODE_ENV: "production" }) === 0;
  if (!ok) {
    console.error("Error: the production build failed; end-to-end tests cannot run.");
    add({ passed: 0, failed: 1, skipped: 0 });
  } else {
    const serverOut = path.join(CACHE, "vitest-server.json");
    rmSync(serverOut, { force: true });
    const serverStatus = run("node_modules/.bin/vitest", ["run", "--config", "vitest.server.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${serverOut}`]);
    const sc = vitestCounts(serverOut);
    if (serverStatus !== 0 && sc.failed === 0) sc.failed = 1;
    add(sc);
    const out = path.join(CACHE, "playwright.json");
    rmSync(out, { force: true });
    const status = run("node_modules/.bin/playwright", ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out, CHROMIUM_PATH: browser ?? "" });
    const c = playwrightCounts(out);
    if (status !== 0 && c.failed === 0) c.failed = 1;
    ok = status === 0;
    add(c);
  }
}

console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
process.exit(total.failed > 0 ? 1 : 0);
