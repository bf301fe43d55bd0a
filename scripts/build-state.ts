/**
 * Whether build/ must be (re)made: missing, or older than any source it is made from. `npm start` and
 * `npm run bench` use it so that a `git pull` never serves yesterday's build.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

// scripts/server.ts, worker.ts and precompress.ts are bundled into build/server/worker.js (ADR 0009).
const SOURCES = ["app", "db", "courses", "certificates", "public", "package-lock.json", "vite.config.ts", "remix.config.js", "scripts/server.ts", "scripts/worker.ts", "scripts/precompress.ts"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry.name)));
  }
  return newest;
}

export function buildIsStale(root: string): false | string {
  const server = path.join(root, "build/server/index.js");
  const content = path.join(root, "build/content/index.json");
  if (!existsSync(server) || !existsSync(content)) return "no production build";
  const built = Math.min(statSync(server).mtimeMs, statSync(content).mtimeMs);
  const changed = SOURCES.find((s) => newestMtime(path.join(root, s)) > built);
  return changed ? `${changed} changed since the last build` : false;
}
