/**
 * Prepared-statement cache for the local libSQL driver (ADR 0016).
 *
 * @libsql/client 0.18 runs every statement as `db.prepare(sql)` on one of its native `libsql` connections, then
 * asks the fresh statement for its columns twice, and throws the statement away. Under an exam rush that was the
 * largest single item of the workers' CPU profiles (prepare + columns ≈ 8 % of all samples). The same few dozen
 * SQL texts run over and over (drizzle builds the same text for the same query shape), so each connection keeps
 * its statements by SQL text here and hands the same one back:
 *  - SQLite statements are reusable: each run resets and rebinds it, and @libsql/client consumes every result
 *    to the end synchronously (`all()` / `run()`), so no run of a cached statement is ever still open when the
 *    next one starts on the same connection (single-threaded, no await in between);
 *  - SQLite re-prepares a statement by itself when the schema changed (sqlite3_prepare_v2 semantics), so a
 *    migration never leaves a stale plan; but the driver keeps the column names it read at prepare time, so a
 *    text with `*` (whose columns a migration can change) is never cached: drizzle names every column, and a
 *    named column that a migration removed fails as it would have without the cache;
 *  - at most MAX_STATEMENTS per connection, least recently used out (drizzle's IN lists make some texts vary);
 *  - a statement's pluck mode (the driver's `pragma()` helper sets it) is cleared when it is handed out again;
 *  - what the client asks of every statement before each run is remembered too: its columns, its raw and
 *    safe-integers modes (set again only when they change) and whether it returns rows at all (`raw()` throws for
 *    a statement that does not, e.g. BEGIN, COMMIT, an INSERT without RETURNING: that error is thrown again
 *    without asking the driver, which saves building a new one for every such statement).
 *
 * Installed once per process on the driver that @libsql/client itself loads (resolved from its own location, so it
 * is the very module object it uses), by db/client.ts before the first client is created.
 */
import { createRequire } from "node:module";

export const MAX_STATEMENTS = 256;

interface NativeStatement {
  pluckMode: boolean;
  columns(): unknown[];
  raw(on?: boolean): NativeStatement;
  safeIntegers(on?: boolean): NativeStatement;
}
interface NativeDatabase {
  prepare(sql: string): NativeStatement;
}
type DatabaseClass = { prototype: NativeDatabase };

const CACHE = Symbol.for("lms.statementCache");
const INSTALLED = Symbol.for("lms.statementCacheInstalled");

/** The `libsql` driver class @libsql/client uses. */
export function libsqlDriver(): DatabaseClass {
  const here = createRequire(import.meta.url);
  const client = here.resolve("@libsql/client");
  return createRequire(client)("libsql") as DatabaseClass;
}

/** Stats for tests: statements prepared (cache misses) and handed out again (hits), per process. */
export const statementCacheStats = { prepared: 0, reused: 0 };

export function installStatementCache(Database: DatabaseClass = libsqlDriver()): void {
  const proto = Database.prototype as NativeDatabase & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) return;
  const prepare = proto.prepare;
  proto.prepare = function cachedPrepare(this: NativeDatabase & { [CACHE]?: Map<string, NativeStatement> }, sql: string) {
    let cache = this[CACHE];
    if (!cache) {
      cache = new Map();
      Object.defineProperty(this, CACHE, { value: cache });
    }
    if (sql.includes("*")) return prepare.call(this, sql);
    const hit = cache.get(sql);
    if (hit) {
      cache.delete(sql); // re-insert: the Map's order is the recency order
      cache.set(sql, hit);
      hit.pluckMode = false;
      statementCacheStats.reused++;
      return hit;
    }
    const stmt = prepare.call(this, sql);
    statementCacheStats.prepared++;
    remember(stmt);
    cache.set(sql, stmt);
    if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
    return stmt;
  };
  Object.defineProperty(proto, INSTALLED, { value: true });
}

/** Remembers a cached statement's columns, modes and whether it returns rows (see above). */
function remember(stmt: NativeStatement): void {
  let columns: unknown[] | undefined;
  const readColumns = stmt.columns.bind(stmt);
  stmt.columns = () => (columns ??= readColumns());
  let rawMode: boolean | undefined;
  let notReader: unknown;
  const setRaw = stmt.raw.bind(stmt);
  stmt.raw = (on?: boolean) => {
    const want = on ?? true;
    if (notReader !== undefined) throw notReader;
    if (want === rawMode) return stmt;
    try {
      setRaw(want);
    } catch (e) {
      notReader = e;
      throw e;
    }
    rawMode = want;
    return stmt;
  };
  let safe: boolean | undefined;
  const setSafe = stmt.safeIntegers.bind(stmt);
  stmt.safeIntegers = (on?: boolean) => {
    const want = on ?? true;
    if (want !== safe) {
      setSafe(want);
      safe = want;
    }
    return stmt;
  };
}
