/** Opens the database named by DATABASE_URL, migrates it and loads reference data (shared by start and CLI). */
import { migrateDatabase, openDatabase, resolveDatabaseUrl, type Database } from "../db/client";
import { loadReferenceData } from "../db/reference";

export async function prepareDatabase(): Promise<Database> {
  const database = await openDatabase(resolveDatabaseUrl());
  await migrateDatabase(database);
  await loadReferenceData(database);
  return database;
}

/** Prints a configuration error as the one sentence it is, without a stack trace, and exits. */
export function exitOnConfigError(e: unknown): never {
  if (e instanceof Error && (e.name === "DatabaseConfigError" || e.name === "AccountError" || e.name === "CliError")) {
    console.error(`Error: ${e.message}`);
    process.exit(1);
  }
  throw e;
}

/** A command-line input problem: printed as its one sentence, exit code 1. */
export class CliError extends Error {
  override name = "CliError";
}

/** Prints rows as JSON (for scripts) or as an aligned table (for people). */
export function printRows(rows: Record<string, unknown>[], format: "json" | "table" | "csv" = "table"): void {
  if (format === "json") {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    if (format === "table") console.log("(no rows)");
    return;
  }
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  if (format === "csv") {
    const q = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    console.log(cols.join(","));
    for (const r of rows) console.log(cols.map((c) => q(cell(r[c]))).join(","));
    return;
  }
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  console.log(cols.map((c, i) => c.padEnd(widths[i]!)).join("  "));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(cols.map((c, i) => cell(r[c]).padEnd(widths[i]!)).join("  "));
}
