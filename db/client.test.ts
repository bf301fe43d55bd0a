import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { appMeta } from "./schema";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { DEFAULT_SYNC_INTERVAL_SECONDS, DatabaseConfigError, checkDatabaseUrl, createMutex, openDatabase, resolveDatabaseUrl, resolveReplicaConfig } from "./client";

describe("database client", () => {
  it("runs 50 concurrent read-modify-write transactions without deadlock or lost update", async () => {
    const database = await openDatabase(resolveDatabaseUrl());
    await database.write((tx) => tx.insert(appMeta).values({ key: "counter", value: "0" }));
    const writers = Array.from({ length: 50 }, (_, i) =>
      database.write(async (tx) => {
        const [row] = await tx.select().from(appMeta).where(sql`key = 'counter'`);
        await new Promise((r) => setTimeout(r, i % 3)); // yield mid-transaction, as request code does
        await tx.update(appMeta).set({ value: String(Number(row!.value) + 1) }).where(sql`key = 'counter'`);
        return i;
      }),
    );
    // Reads keep flowing while writers queue (WAL readers never block).
    const reads = Array.from({ length: 20 }, () => database.read.select().from(appMeta));
    const results = await Promise.all([...writers, ...reads]);
    expect(results).toHaveLength(70);
    const [final] = await database.read.select().from(appMeta).where(sql`key = 'counter'`);
    expect(final!.value).toBe("50");
    database.close();
  });

  it("rolls a failed write back completely and keeps serving later writes", async () => {
    const database = await openDatabase(resolveDatabaseUrl());
    await expect(
      database.write(async (tx) => {
        await tx.insert(appMeta).values({ key: "half", value: "written" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await database.read.select().from(appMeta).where(sql`key = 'half'`)).toEqual([]);
    await database.write((tx) => tx.insert(appMeta).values({ key: "after", value: "ok" }));
    expect(await database.read.select().from(appMeta).where(sql`key = 'after'`)).toHaveLength(1);
    database.close();
  });

  it("takes the process write turn before each transaction and reports after it, failures and queued writes included", async () => {
    const log: string[] = [];
    let held = false;
    const database = await openDatabase(resolveDatabaseUrl(), {
      processLock: {
        acquire: async () => {
          expect(held).toBe(false);
          held = true;
          log.push("acquire");
        },
        done: (moreQueued) => {
          held = false;
          log.push(moreQueued ? "done, more queued" : "done");
        },
      },
    });
    await database.write(async (tx) => {
      expect(held).toBe(true);
      await tx.insert(appMeta).values({ key: "locked", value: "1" });
    });
    await expect(
      database.write(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await Promise.all([1, 2, 3].map((i) => database.write((tx) => tx.insert(appMeta).values({ key: `locked-${i}`, value: "1" }))));
    expect(held).toBe(false);
    expect(log).toEqual([
      "acquire", "done",
      "acquire", "done",
      "acquire", "done, more queued", "acquire", "done, more queued", "acquire", "done",
    ]);
    expect(await database.read.select().from(appMeta).where(sql`key like 'locked%'`)).toHaveLength(4);
    database.close();
  });

  it("uses WAL and synchronous=NORMAL on the write connection", async () => {
    const database = await openDatabase(resolveDatabaseUrl());
    const mode = await database.writeClient.execute("PRAGMA journal_mode");
    const sync = await database.writeClient.execute("PRAGMA synchronous");
    expect(String(mode.rows[0]![0])).toBe("wal");
    expect(Number(sync.rows[0]![0])).toBe(1);
    database.close();
  });

  it("mutex runs tasks one at a time, in order, even when one fails", async () => {
    const run = createMutex();
    const log: string[] = [];
    const task = (name: string, fail = false) => () =>
      new Promise<string>((resolve, reject) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          fail ? reject(new Error(name)) : resolve(name);
        }, 2);
      });
    const results = await Promise.allSettled([run(task("a")), run(task("b", true)), run(task("c"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it.each([
    ["file::memory:", /in-memory/],
    ["postgres://x/y", /unsupported scheme "postgres:"/],
    ["not a url", /not a valid URL/],
    ["file:", /names no file/],
    ["file:package.json/data/lms.db", /Cannot use the data directory .*ENOTDIR/],
  ])("rejects DATABASE_URL %s with one clear sentence", (url, message) => {
    expect(() => checkDatabaseUrl(url)).toThrow(DatabaseConfigError);
    expect(() => checkDatabaseUrl(url)).toThrow(message);
  });

  it("accepts libsql and http server URLs", () => {
    expect(checkDatabaseUrl("libsql://db.example.vn").isLocalFile).toBe(false);
    expect(checkDatabaseUrl("http://127.0.0.1:8080").isLocalFile).toBe(false);
  });
});

/** A loopback port nothing listens on (asked of the kernel, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe("embedded replica configuration (DATABASE_SYNC_URL)", () => {
  it("changes nothing without DATABASE_SYNC_URL: one local file, its own write connection, WAL", async () => {
    expect(resolveReplicaConfig("file:data/lms.db", {})).toBeNull();
    expect(resolveReplicaConfig("libsql://db.example.vn", { DATABASE_SYNC_URL: "  " })).toBeNull();
    const database = await openDatabase(resolveDatabaseUrl(), { env: { DATABASE_AUTH_TOKEN: "ignored-for-files" } });
    expect(database.replica).toBeNull();
    expect(database.isLocalFile).toBe(true);
    expect(database.writeClient).not.toBe(database.readClient);
    expect(String((await database.writeClient.execute("PRAGMA journal_mode")).rows[0]![0])).toBe("wal");
    database.close();
  });

  it("reads the primary's URL and the sync interval (2 s unless set)", () => {
    expect(resolveReplicaConfig("file:data/replica.db", { DATABASE_SYNC_URL: "libsql://primary.internal:8080" })).toEqual({
      syncUrl: "libsql://primary.internal:8080",
      syncIntervalSeconds: DEFAULT_SYNC_INTERVAL_SECONDS,
    });
    expect(resolveReplicaConfig("file:/srv/lms/replica.db", { DATABASE_SYNC_URL: "https://db.example.vn", DATABASE_SYNC_INTERVAL: "0.5" })).toEqual({
      syncUrl: "https://db.example.vn",
      syncIntervalSeconds: 0.5,
    });
  });

  it.each([
    [{ DATABASE_SYNC_INTERVAL: "5" }, "file:data/lms.db", /DATABASE_SYNC_INTERVAL is set but DATABASE_SYNC_URL is not/],
    [{ DATABASE_SYNC_URL: "libsql://primary" }, "libsql://other", /DATABASE_URL must be a file .*not "libsql:\/\/other"/],
    [{ DATABASE_SYNC_URL: "primary.internal:8080" }, "file:data/r.db", /has the scheme "primary.internal:"/],
    [{ DATABASE_SYNC_URL: "not a url" }, "file:data/r.db", /DATABASE_SYNC_URL "not a url" is not a valid URL/],
    [{ DATABASE_SYNC_URL: "file:data/primary.db" }, "file:data/r.db", /the primary is a libSQL server/],
    [{ DATABASE_SYNC_URL: "libsql://primary", DATABASE_SYNC_INTERVAL: "soon" }, "file:data/r.db", /DATABASE_SYNC_INTERVAL must be a number of seconds .* got "soon"/],
    [{ DATABASE_SYNC_URL: "libsql://primary", DATABASE_SYNC_INTERVAL: "0" }, "file:data/r.db", /above 0/],
    [{ DATABASE_SYNC_URL: "libsql://primary", DATABASE_SYNC_INTERVAL: "86400" }, "file:data/r.db", /at most 3600/],
  ])("rejects %o with DATABASE_URL %s in one clear sentence", (env, url, message) => {
    expect(() => resolveReplicaConfig(url, env)).toThrow(DatabaseConfigError);
    expect(() => resolveReplicaConfig(url, env)).toThrow(message);
  });

  it("refuses to open a replica whose primary cannot be reached, naming DATABASE_SYNC_URL, and creates no replica file", async () => {
    const port = await closedPort();
    const file = path.resolve(`.cache/test/files/${process.pid}-${Date.now()}-replica.db`);
    const opening = openDatabase(`file:${file}`, { env: { DATABASE_SYNC_URL: `http://127.0.0.1:${port}` } });
    await expect(opening).rejects.toThrow(DatabaseConfigError);
    await expect(opening).rejects.toThrow(new RegExp(`Cannot reach the primary database at http://127\\.0\\.0\\.1:${port} \\(DATABASE_SYNC_URL\\)`));
    expect(existsSync(file)).toBe(false);
  });
});
