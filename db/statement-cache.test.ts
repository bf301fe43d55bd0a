/**
 * The prepared-statement cache (statement-cache.ts): statements are reused, and reuse never changes an answer —
 * reads see other connections' later writes, a schema change shows, a failed statement can run again, the cache
 * stays bounded and a plucked statement is handed out unplucked.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./client";
import { installStatementCache, libsqlDriver, MAX_STATEMENTS, statementCacheStats } from "./statement-cache";

const dir = mkdtempSync(path.join(os.tmpdir(), "lms-stmt-cache-"));
const opened: Database[] = [];
afterAll(() => opened.forEach((d) => d.close()));

async function fresh(name: string) {
  const database = await openDatabase(`file:${path.join(dir, name)}`);
  opened.push(database);
  await database.write((tx) => tx.run(sql`create table t (id integer primary key, v text not null unique)`));
  return database;
}

describe("prepared-statement cache", () => {
  it("runs the same SQL text again on the prepared statement, with the current data each time", async () => {
    const database = await fresh("reuse.db");
    const before = { ...statementCacheStats };
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      await database.write((tx) => tx.run(sql`insert into t (id, v) values (${i}, ${`v${i}`})`));
      const rows = await database.read.all<{ n: number; last: string }>(sql`select count(id) as n, max(v) as last from t`);
      seen.push(`${rows[0]!.n}:${rows[0]!.last}`);
    }
    expect(seen).toEqual(["1:v0", "2:v1", "3:v2", "4:v3", "5:v4"]);
    expect(statementCacheStats.reused - before.reused).toBeGreaterThanOrEqual(8);
  });

  it("a read on one connection sees a write committed on another right after (no snapshot kept open)", async () => {
    const database = await fresh("snapshot.db");
    expect(database.readClient).not.toBe(database.writeClient);
    for (let i = 0; i < 20; i++) {
      await database.write((tx) => tx.run(sql`insert into t (id, v) values (${i}, ${`w${i}`})`));
      const [row] = await database.read.all<{ n: number }>(sql`select count(id) as n from t`);
      expect(row!.n).toBe(i + 1);
    }
  });

  it("a cached named-column query follows a schema change: a new column changes nothing, a renamed one fails", async () => {
    const database = await fresh("schema.db");
    await database.write((tx) => tx.run(sql`insert into t (id, v) values (1, 'a')`));
    expect(await database.read.all(sql`select id, v from t`)).toEqual([{ id: 1, v: "a" }]);
    await database.write((tx) => tx.run(sql`alter table t add column extra text default 'x'`));
    expect(await database.read.all(sql`select id, v, extra from t`)).toEqual([{ id: 1, v: "a", extra: "x" }]);
    expect(await database.read.all(sql`select id, v from t`)).toEqual([{ id: 1, v: "a" }]);
    await database.write((tx) => tx.run(sql`alter table t rename column v to w`));
    await expect(database.read.all(sql`select id, v from t`)).rejects.toThrow();
    expect(await database.read.all(sql`select id, w from t`)).toEqual([{ id: 1, w: "a" }]);
  });

  it("a statement that failed (constraint) rolls its write back and runs again afterwards", async () => {
    const database = await fresh("failure.db");
    const insert = (id: number, v: string) => database.write((tx) => tx.run(sql`insert into t (id, v) values (${id}, ${v})`));
    await insert(1, "same");
    await expect(insert(2, "same")).rejects.toSatisfy((e: Error & { cause?: Error }) => /UNIQUE/.test(String(e.cause?.message ?? e.message)));
    await insert(3, "other");
    expect(await database.read.all(sql`select id, v from t order by id`)).toEqual([{ id: 1, v: "same" }, { id: 3, v: "other" }]);
  });

  it("a statement that returns no rows is still refused raw mode from the cache, and a reader keeps its mode", () => {
    const Database = libsqlDriver() as unknown as new (file: string) => {
      prepare(sql: string): { raw(on?: boolean): unknown; all(...a: unknown[]): unknown[]; run(...a: unknown[]): unknown };
      exec(sql: string): void;
      close(): void;
    };
    installStatementCache();
    const db = new Database(path.join(dir, "modes.db"));
    db.exec("create table m (x integer)");
    const insert = db.prepare("insert into m (x) values (?)");
    expect(() => insert.raw(true)).toThrow();
    expect(() => db.prepare("insert into m (x) values (?)").raw(true)).toThrow(); // remembered
    insert.run([1]);
    const select = db.prepare("select x from m");
    select.raw(true);
    expect(db.prepare("select x from m").all()).toEqual([[1]]);
    select.raw(false);
    expect(db.prepare("select x from m").all()).toEqual([{ x: 1 }]);
    db.close();
  });

  it("keeps at most MAX_STATEMENTS per connection and hands out a plucked statement unplucked", () => {
    const Database = libsqlDriver() as unknown as new (file: string) => {
      prepare(sql: string): { pluck(on?: boolean): unknown; pluckMode: boolean; all(...a: unknown[]): unknown[] };
      pragma(source: string, options?: { simple?: boolean }): unknown;
      close(): void;
    };
    installStatementCache();
    const db = new Database(path.join(dir, "bound.db"));
    const first = db.prepare("select 1 as one");
    expect(db.prepare("select 1 as one")).toBe(first);
    for (let i = 0; i < MAX_STATEMENTS; i++) db.prepare(`select ${i + 2} as n`);
    expect(db.prepare("select 1 as one")).not.toBe(first); // evicted, prepared anew
    const cache = (db as unknown as Record<symbol, Map<string, unknown>>)[Symbol.for("lms.statementCache")]!;
    expect(cache.size).toBeLessThanOrEqual(MAX_STATEMENTS);
    db.pragma("user_version", { simple: true }); // sets pluck mode on the cached statement
    const plucked = db.prepare("PRAGMA user_version");
    expect(plucked.pluckMode).toBe(false);
    expect(plucked.all()).toEqual([{ user_version: 0 }]);
    db.close();
  });
});
