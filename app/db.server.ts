/**
 * The app's database handle: opened, migrated and given its reference data on first use, once per process
 * (kept on globalThis so Vite's dev reloads do not open a new pool per edit).
 */
import { migrateDatabase, openDatabase, resolveDatabaseUrl, type Database } from "#db/client";
import { clusterWriteLock } from "#db/cluster-write-lock";
import { loadReferenceData } from "#db/reference";
import { onDatabaseReady } from "./startup.server";

export type { Database, Db, DbOrTx, Tx } from "#db/client";

const g = globalThis as typeof globalThis & { __lmsDb?: Promise<Database>; __lmsDbUrl?: string };

export function getDatabase(): Promise<Database> {
  const url = resolveDatabaseUrl();
  if (!g.__lmsDb || g.__lmsDbUrl !== url) {
    g.__lmsDbUrl = url;
    g.__lmsDb = (async () => {
      // In a cluster worker, writes take the primary's write turn first (docs/decisions/0010-exam-stampede.md).
      const database = await openDatabase(url, { processLock: clusterWriteLock() });
      await migrateDatabase(database);
      await loadReferenceData(database);
      await onDatabaseReady(database);
      return database;
    })();
    g.__lmsDb.catch(() => {
      g.__lmsDb = undefined; // let the next request try again (e.g. after the disk was fixed)
    });
  }
  return g.__lmsDb;
}
