/**
 * Runs before each test file (each file has its own module registry): gives it a private copy of the migrated
 * base database and points DATABASE_URL at it, so tests share nothing and never use :memory:.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, vi } from "vitest";

const dir = path.resolve(".cache/test/files");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.db`);
copyFileSync(path.resolve(".cache/test/base.db"), file);
process.env.DATABASE_URL = `file:${file}`;
process.env.LMS_DATA_DIR = path.join(dir, path.basename(file, ".db") + "-data");

// console.error fails a test unless the test expects it (STYLE.md habit 8).
const original = console.error;
let errors: unknown[][] = [];
console.error = (...args: unknown[]) => {
  errors.push(args);
  original(...args);
};
afterEach(() => {
  const seen = errors;
  errors = [];
  vi.restoreAllMocks();
  if (seen.length > 0) throw new Error(`console.error was called: ${String(seen[0]?.[0])}`);
});
