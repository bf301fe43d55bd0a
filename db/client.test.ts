import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { appMeta } from "./schema";
import { DatabaseConfigError, checkDatabaseUrl, createMutex, openDatabase, resolveDatabaseUrl } from "./client";

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
