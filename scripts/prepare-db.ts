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
