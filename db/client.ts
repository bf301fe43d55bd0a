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
 *
 * Embedded replica (docs/decisions/0006-scale-out.md): with DATABASE_URL=file:… and DATABASE_SYNC_URL=libsql://primary
 * (+ DATABASE_AUTH_TOKEN, DATABASE_SYNC_INTERVAL seconds), `read` is a local replica file that libSQL pulls from the
 * primary every interval, and `write(fn)` runs on the primary, then syncs the replica so that this process reads
 * its own writes. Without DATABASE_SYNC_URL nothing of this applies.
 */
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import type { ProcessWriteLock } from "./cluster-write-lock";
import * as schema from "./schema";
import { installStatementCache } from "./statement-cache";

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

export interface ReplicaConfig {
  /** The primary (libsql:, http(s):, ws(s):): every write goes there. */
  syncUrl: string;
  /** Seconds between background pulls of the primary's changes into the local file. */
  syncIntervalSeconds: number;
}

export interface Database {
  url: string;
  /** True when this process owns the database file (no replica): local PRAGMAs and backups apply. */
  isLocalFile: boolean;
  /** Set when `url` is an embedded replica of a primary at `replica.syncUrl`. */
  replica: ReplicaConfig | null;
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

/** Environment variables as read here (process.env, or a plain object in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_SYNC_INTERVAL_SECONDS = 2;
const MAX_SYNC_INTERVAL_SECONDS = 3600;

/**
 * The embedded-replica settings from DATABASE_SYNC_URL and DATABASE_SYNC_INTERVAL, checked against the database
 * URL; null when DATABASE_SYNC_URL is not set (then nothing changes). Bad combinations fail in one sentence.
 */
export function resolveReplicaConfig(url: string, env: Env = process.env): ReplicaConfig | null {
  const syncUrl = (env.DATABASE_SYNC_URL ?? "").trim();
  const intervalRaw = (env.DATABASE_SYNC_INTERVAL ?? "").trim();
  if (syncUrl === "") {
    if (intervalRaw !== "") {
      throw new DatabaseConfigError("DATABASE_SYNC_INTERVAL is set but DATABASE_SYNC_URL is not: set the primary's URL too, or remove DATABASE_SYNC_INTERVAL.");
    }
    return null;
  }
  if (localPath(url) === null) {
    throw new DatabaseConfigError(
      `DATABASE_SYNC_URL makes DATABASE_URL a local replica, so DATABASE_URL must be a file (e.g. file:data/replica.db), not "${url}".`,
    );
  }
  let scheme: string;
  try {
    scheme = new URL(syncUrl).protocol;
  } catch {
    throw new DatabaseConfigError(`DATABASE_SYNC_URL "${syncUrl}" is not a valid URL; use the primary's libsql://host (or http(s)://, ws(s)://).`);
  }
  if (!REMOTE_SCHEMES.includes(scheme)) {
    throw new DatabaseConfigError(`DATABASE_SYNC_URL "${syncUrl}" has the scheme "${scheme}"; the primary is a libSQL server: use libsql:, http(s): or ws(s):.`);
  }
  let syncIntervalSeconds = DEFAULT_SYNC_INTERVAL_SECONDS;
  if (intervalRaw !== "") {
    syncIntervalSeconds = Number(intervalRaw);
    if (!Number.isFinite(syncIntervalSeconds) || syncIntervalSeconds <= 0 || syncIntervalSeconds > MAX_SYNC_INTERVAL_SECONDS) {
      throw new DatabaseConfigError(`DATABASE_SYNC_INTERVAL must be a number of seconds above 0 and at most ${MAX_SYNC_INTERVAL_SECONDS}, got "${intervalRaw}".`);
    }
  }
  return { syncUrl, syncIntervalSeconds };
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
  /** Where DATABASE_SYNC_URL, DATABASE_AUTH_TOKEN and DATABASE_SYNC_INTERVAL are read (tests pass their own). */
  env?: Env;
}

export async function openDatabase(url: string = resolveDatabaseUrl(), options: OpenOptions = {}): Promise<Database> {
  const env = options.env ?? process.env;
  const { isLocalFile } = checkDatabaseUrl(url);
  const replica = resolveReplicaConfig(url, env);
  const authToken = env.DATABASE_AUTH_TOKEN || undefined;
  if (replica) return openReplica(url, replica, authToken);
  // Each local connection keeps its prepared statements (db/statement-cache.ts, ADR 0016).
  installStatementCache();
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
    replica: null,
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

/**
 * An embedded replica: reads from the local file (one connection: libSQL keeps one sync state per replica),
 * writes as interactive transactions on the primary, each followed by a pull so this process reads its own
 * writes. libSQL pulls the first snapshot when the client is created, so an unreachable primary fails here.
 */
async function openReplica(url: string, replica: ReplicaConfig, authToken: string | undefined): Promise<Database> {
  let readClient: Client;
  let writeClient: Client | null = null;
  try {
    writeClient = createClient({ url: replica.syncUrl, authToken });
    await writeClient.execute("SELECT 1");
  } catch (e) {
    writeClient?.close();
    throw new DatabaseConfigError(`Cannot reach the primary database at ${replica.syncUrl} (DATABASE_SYNC_URL): ${firstLine(e)}`);
  }
  const primary: Client = writeClient;
  try {
    readClient = createClient({ url, syncUrl: replica.syncUrl, authToken, syncInterval: replica.syncIntervalSeconds, readYourWrites: true, timeout: 5000 });
  } catch (e) {
    primary.close();
    throw new DatabaseConfigError(`Cannot open the replica ${url} of ${replica.syncUrl}: ${firstLine(e)}`);
  }
  const read = drizzle(readClient, { schema });
  const writer = drizzle(primary, { schema });
  const lock = createMutex();
  return {
    url,
    isLocalFile: false, // the primary holds the database: no local PRAGMAs, no file backup of the replica
    replica,
    read,
    readClient,
    writeClient: primary,
    write: (fn) =>
      lock(async () => {
        const result = await writer.transaction(fn, { behavior: "immediate" });
        // Committed on the primary: a failed pull must not report the write as failed (a caller could retry it);
        // the replica catches up at the next interval.
        await readClient.sync().catch((e: unknown) => console.error(`Replica sync after a write failed (${firstLine(e)}); reads may lag until the next pull.`));
        return result;
      }),
    close() {
      readClient.close();
      primary.close();
    },
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}

export const MIGRATIONS_FOLDER = path.resolve(process.env.LMS_ROOT ?? process.cwd(), "db/migrations");

/** Applies pending migrations (idempotent; ~1 ms when there is nothing to do). */
export async function migrateDatabase(database: Database): Promise<void> {
  await migrate(drizzle(database.writeClient, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  if (database.replica) await database.readClient.sync(); // the new schema, before the first read
}
