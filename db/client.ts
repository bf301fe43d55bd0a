/**
 * The one place a database client is created (server, CLI, tests and benchmarks all come through here).
 *
 * Single-writer design (docs/decisions/0002-libsql-single-writer.md): libSQL runs statements synchronously on the
 * main thread, and an interactive transaction that holds the write lock across `await`s freezes the process if
 * any other write reaches another pooled connection meanwhile (stack-notes §5.2). So:
 *  - `read` is a drizzle instance over the pooled client; use it for SELECTs only;
 *  - `write(fn)` is the only way to write: calls are queued on an in-process mutex and each runs as one
 *    `BEGIN IMMEDIATE` transaction on a dedicated single-connection client (synchronous=NORMAL is set on that
 *    connection once, which the pool could not guarantee). A failing `fn` rolls back completely.
 */
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import type { ProcessWriteLock } from "./cluster-write-lock";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = LibSQLDatabase<Schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Read-only handle type accepted by query helpers: either the pooled reader or an open write transaction. */
export type DbOrTx = Db | Tx;

export const DEFAULT_DATABASE_URL = "file:data/lms.db";

/** A database configuration problem, phrased as one sentence a person can act on. */
export class DatabaseConfigError extends Error {
  override name = "DatabaseConfigError";
}

export interface Database {
  url: string;
  isLocalFile: boolean;
  read: Db;
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Raw clients, for PRAGMAs, health checks and backups. */
  readClient: Client;
  writeClient: Client;
  close(): void;
}

export function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = (env.DATABASE_URL ?? "").trim();
  return url === "" ? DEFAULT_DATABASE_URL : url;
}

const REMOTE_SCHEMES = ["libsql:", "http:", "https:", "ws:", "wss:"];

function localPath(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  return url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
}

/** Checks the URL and, for a local file, that its directory exists (created if needed) and is writable. */
export function checkDatabaseUrl(url: string): { isLocalFile: boolean; filePath: string | null } {
  if (url.includes(":memory:")) {
    throw new DatabaseConfigError(
      `DATABASE_URL "${url}" is an in-memory database; use a file (file:data/lms.db) or a libSQL server URL.`,
    );
  }
  const filePath = localPath(url);
  if (filePath !== null) {
    if (filePath === "") throw new DatabaseConfigError(`DATABASE_URL "${url}" names no file; write it like file:data/lms.db.`);
    const dir = path.dirname(path.resolve(filePath));
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new DatabaseConfigError(
        `Cannot use the data directory ${dir} for the database (${reason}): make it writable or set DATABASE_URL to another file.`,
      );
    }
    try {
      if (statSync(filePath).isDirectory()) {
        throw new DatabaseConfigError(`DATABASE_URL points at ${filePath}, which is a directory, not a database file.`);
      }
    } catch (e) {
      if (e instanceof DatabaseConfigError) throw e;
    }
    return { isLocalFile: true, filePath };
  }
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    throw new DatabaseConfigError(
      `DATABASE_URL "${url}" is not a valid URL; use file:path/to/lms.db or libsql://host (with DATABASE_AUTH_TOKEN).`,
    );
  }
  if (!REMOTE_SCHEMES.includes(scheme)) {
    throw new DatabaseConfigError(
      `DATABASE_URL "${url}" has the unsupported scheme "${scheme}"; use file:, libsql:, http(s): or ws(s):.`,
    );
  }
  return { isLocalFile: false, filePath: null };
}

/** A promise-chain mutex: each task starts when the previous one settled. */
export function createMutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return function run<T>(task: () => Promise<T>): Promise<T> {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}

function describeOpenError(url: string, e: unknown): DatabaseConfigError {
  const message = e instanceof Error ? e.message : String(e);
  if (/file is not a database|SQLITE_NOTADB/i.test(message)) {
    return new DatabaseConfigError(`The file named by DATABASE_URL (${url}) exists but is not a libSQL/SQLite database.`);
  }
  return new DatabaseConfigError(`Cannot open the database at ${url}: ${message.split("\n")[0]}`);
}

export interface OpenOptions {
  /**
   * Taken around each write transaction, after this process's own mutex: the cluster's write turn
   * (db/cluster-write-lock.ts), so worker processes queue for the file lock asynchronously instead of in SQLite's
   * busy handler, which sleeps on the main thread.
   */
  processLock?: ProcessWriteLock;
}

export async function openDatabase(url: string = resolveDatabaseUrl(), options: OpenOptions = {}): Promise<Database> {
  const { isLocalFile } = checkDatabaseUrl(url);
  const authToken = process.env.DATABASE_AUTH_TOKEN || undefined;
  let readClient: Client;
  let writeClient: Client;
  try {
    readClient = createClient({ url, authToken, timeout: 5000 });
    writeClient = isLocalFile ? createClient({ url, authToken, timeout: 5000, concurrency: 1 }) : readClient;
    if (isLocalFile) {
      await writeClient.execute("PRAGMA journal_mode = WAL");
      await writeClient.execute("PRAGMA synchronous = NORMAL");
    } else {
      await readClient.execute("SELECT 1");
    }
  } catch (e) {
    throw describeOpenError(url, e);
  }
  const read = drizzle(readClient, { schema });
  const writer = drizzle(writeClient, { schema });
  const lock = createMutex();
  const processLock = isLocalFile ? options.processLock : undefined;
  let queued = 0;
  return {
    url,
    isLocalFile,
    read,
    readClient,
    writeClient,
    write: (fn) => {
      queued++;
      return lock(async () => {
        queued--;
        await processLock?.acquire();
        try {
          return await writer.transaction(fn, { behavior: "immediate" });
        } finally {
          processLock?.done(queued > 0);
        }
      });
    },
    close() {
      readClient.close();
      if (writeClient !== readClient) writeClient.close();
    },
  };
}

export const MIGRATIONS_FOLDER = path.resolve(process.env.LMS_ROOT ?? process.cwd(), "db/migrations");

/** Applies pending migrations (idempotent; ~1 ms when there is nothing to do). */
export async function migrateDatabase(database: Database): Promise<void> {
  await migrate(drizzle(database.writeClient, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
}
