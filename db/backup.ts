/**
 * Online backup and offline restore of the embedded database file.
 * Backup uses `VACUUM INTO`: a consistent snapshot taken while the server keeps running (WAL included; it is one
 * read transaction, so writers are not blocked and the copy holds exactly the transactions committed before it
 * started), then checked like a restore would check it.
 * Restore checks the file first (a libSQL/SQLite database that passes `PRAGMA integrity_check`, with this
 * project's migration history, none newer than this release knows), keeps a copy of the current database, then
 * swaps the file in atomically. A refused file changes nothing.
 */
import { createClient } from "@libsql/client";
import { closeSync, copyFileSync, existsSync, openSync, readSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { DatabaseConfigError, MIGRATIONS_FOLDER, checkDatabaseUrl, resolveReplicaConfig, type Database } from "./client";

export class BackupError extends Error {
  override name = "CliError";
}

function localFile(url: string): string {
  const replica = resolveReplicaConfig(url);
  if (replica) {
    throw new DatabaseConfigError(`${url} is a replica of ${replica.syncUrl} (DATABASE_SYNC_URL): back up and restore the primary with its own tools.`);
  }
  const { isLocalFile, filePath } = checkDatabaseUrl(url);
  if (!isLocalFile || !filePath) {
    throw new DatabaseConfigError(`Backup and restore work on an embedded database file; ${url} is a server (use its own backup tools).`);
  }
  return path.resolve(filePath);
}

export async function backupDatabase(database: Database, outFile: string): Promise<{ file: string; bytes: number; migrations: number; people: number; certificates: number }> {
  localFile(database.url);
  const out = path.resolve(outFile);
  if (existsSync(out)) throw new BackupError(`${out} already exists; choose a new file name (a backup never overwrites).`);
  await database.writeClient.execute({ sql: "VACUUM INTO ?", args: [out] });
  const info = await inspectBackup(out);
  return { file: out, bytes: statSync(out).size, ...info };
}

const knownMigrations = () => readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith(".sql")).length;

/** Checks that `file` is one of our databases; returns its number of applied migrations. */
export async function inspectBackup(file: string): Promise<{ migrations: number; people: number; certificates: number }> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist.`);
  const head = Buffer.alloc(16);
  const fd = openSync(file, "r");
  readSync(fd, head, 0, 16, 0);
  closeSync(fd);
  if (head.toString("latin1") !== "SQLite format 3\u0000") throw new BackupError(`${file} is not a database backup (it is not an SQLite/libSQL file).`);
  const client = createClient({ url: `file:${file}` });
  try {
    let check: string;
    try {
      const r = await client.execute("PRAGMA integrity_check(20)");
      check = r.rows.map((row) => String(row[0])).join("; ");
    } catch (e) {
      check = (e as Error).message.split("\n")[0]!;
    }
    if (check !== "ok") throw new BackupError(`${file} is damaged and cannot be restored (integrity check: ${check.slice(0, 300)}).`);
    const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    const names = new Set(tables.rows.map((r) => String(r.name)));
    if (!names.has("__drizzle_migrations") || !names.has("people")) throw new BackupError(`${file} is an SQLite file but not a backup of this system (no migration history or roster).`);
    const migrations = Number((await client.execute("SELECT count(*) AS n FROM __drizzle_migrations")).rows[0]!.n);
    if (migrations > knownMigrations()) throw new BackupError(`${file} comes from a newer release (${migrations} migrations, this release knows ${knownMigrations()}); upgrade first.`);
    const people = Number((await client.execute("SELECT count(*) AS n FROM people")).rows[0]!.n);
    const certificates = Number((await client.execute("SELECT count(*) AS n FROM certificates")).rows[0]!.n);
    return { migrations, people, certificates };
  } finally {
    client.close();
  }
}

/**
 * Replaces the database named by `url` with `backupFile`. The server must be stopped: a non-empty WAL file means a
 * process has the database open (or stopped uncleanly), and restore then needs `force`.
 */
export async function restoreDatabase(url: string, backupFile: string, opts: { force?: boolean; now?: Date } = {}) {
  const target = localFile(url);
  const info = await inspectBackup(path.resolve(backupFile));
  const wal = `${target}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0 && !opts.force) {
    throw new BackupError(`The database ${target} looks open (its -wal file is not empty): stop the server, then restore (or pass --force).`);
  }
  let keptAs: string | null = null;
  if (existsSync(target)) {
    keptAs = `${target}.before-restore-${(opts.now ?? new Date()).toISOString().replace(/[:.]/g, "-")}`;
    copyFileSync(target, keptAs);
  }
  const tmp = `${target}.restoring`;
  copyFileSync(path.resolve(backupFile), tmp);
  rmSync(wal, { force: true });
  rmSync(`${target}-shm`, { force: true });
  renameSync(tmp, target);
  return { target, keptAs, ...info };
}
