/**
 * Logs never carry passwords, password hashes, session ids, cookies or signing secrets. The app has no logger
 * library: it logs with console.* (request log in scripts/server.ts when LOG_REQUESTS=1, errors in
 * app/entry.server.tsx with the path only, never the query or body). This test reads every console.* call in
 * the server code and fails on one that mentions a secret-bearing value.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SECRET = /password|passwordHash|cookie|session|token|secret|private|signature|authorization/i;
/** Lines allowed to mention one of the words, with the reason. */
const ALLOWED: { file: string; contains: string; why: string }[] = [
  { file: "scripts/start.ts", contains: "a.password", why: "prints the public demo logins (README), only for demo accounts created on a brand-new database" },
  { file: "scripts/cli.ts", contains: "a.password", why: "db:seed-demo prints the same public demo logins" },
  { file: "app/certificates/render-golden.ts", contains: "token.length", why: "a developer tool printing the token's length, not the token" },
];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

describe("logs carry no secrets", () => {
  it("no console.* call in app/ or scripts/ logs a password, hash, cookie, session id, token or key", () => {
    const offenders: string[] = [];
    for (const file of [...sources(path.resolve("app")), ...sources(path.resolve("scripts"))]) {
      const rel = path.relative(process.cwd(), file);
      const text = readFileSync(file, "utf8");
      // The whole call, up to its closing parenthesis on a later line when it spans several.
      for (const m of text.matchAll(/console\.(log|info|warn|error|debug)\(([^;]*?)\);/gs)) {
        const call = m[0];
        if (!SECRET.test(m[2]!)) continue;
        if (ALLOWED.some((a) => a.file === rel && call.includes(a.contains))) continue;
        offenders.push(`${rel}: ${call.slice(0, 120)}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("the request log line is method, path and status: no headers, no body", () => {
    const server = readFileSync("scripts/server.ts", "utf8");
    const line = /console\.log\(`\$\{req\.method\} \$\{req\.originalUrl\} \$\{res\.statusCode\} \$\{ms\.toFixed\(1\)\} ms`\)/;
    expect(server).toMatch(line);
    expect(readFileSync("app/entry.server.tsx", "utf8")).toMatch(/console\.error\(`\[\$\{new Date\(\)\.toISOString\(\)\}\] \$\{request\.method\} \$\{new URL\(request\.url\)\.pathname\}`, error\)/);
  });
});
