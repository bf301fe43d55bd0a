/**
 * Runs once per `vitest run`: migrates a base database (schema + reference org tree) that every test file then
 * copies (tests/setup/per-file.ts). Copying a migrated file takes milliseconds; migrating 3,400 units does not.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { migrateDatabase, openDatabase } from "../../db/client";
import { loadReferenceData } from "../../db/reference";

export const TEST_DIR = path.resolve(".cache/test");
export const BASE_DB = path.join(TEST_DIR, "base.db");

export default async function setup() {
  rmSync(TEST_DIR, { recursive: true, force: true });
  mkdirSync(TEST_DIR, { recursive: true });
  const database = await openDatabase(`file:${BASE_DB}`);
  await migrateDatabase(database);
  await loadReferenceData(database);
  // Fold the WAL into the main file so that a plain copy of base.db is complete.
  await database.writeClient.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  database.close();
}
