import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { createClient } from "@libsql/client";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { backupDatabase, restoreDatabase } from "./backup";
import { openDatabase, resolveDatabaseUrl } from "./client";
import { appMeta } from "./schema";

const dir = path.dirname(resolveDatabaseUrl().slice("file:".length));

describe("backup and restore", () => {
  it("backs up a live database and restores it, keeping the replaced one", async () => {
    const url = resolveDatabaseUrl();
    const database = await openDatabase(url);
    await database.write((tx) => tx.insert(appMeta).values({ key: "marker", value: "before-backup" }));
    const out = path.join(dir, `backup-${Date.now()}.db`);
    const r = await backupDatabase(database, out);
    expect(r.bytes).toBeGreaterThan(0);
    await expect(backupDatabase(database, out)).rejects.toThrow(/already exists/);
    // Data written after the backup must disappear on restore.
    await database.write((tx) => tx.update(appMeta).set({ value: "after-backup" }).where(eq(appMeta.key, "marker")));
    await database.writeClient.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    database.close();

    const restored = await restoreDatabase(url, out, { now: new Date("2026-11-25T00:00:00Z") });
    expect(restored.keptAs).toMatch(/before-restore-2026-11-25/);
    expect(existsSync(restored.keptAs!)).toBe(true);
    const again = await openDatabase(url);
    const [row] = await again.read.select().from(appMeta).where(eq(appMeta.key, "marker"));
    expect(row?.value).toBe("before-backup");
    again.close();
  });

  it("refuses a file that is not a backup of this system, and changes nothing", async () => {
    const junk = path.join(dir, `junk-${Date.now()}.db`);
    writeFileSync(junk, "not a database at all");
    await expect(restoreDatabase(resolveDatabaseUrl(), junk)).rejects.toThrow(/not a database backup/);
    await expect(restoreDatabase(resolveDatabaseUrl(), path.join(dir, "missing.db"))).rejects.toThrow(/does not exist/);
  });

  it("refuses to restore over a database that looks open", async () => {
    const url = resolveDatabaseUrl();
    const database = await openDatabase(url);
    const out = path.join(dir, `backup-open-${Date.now()}.db`);
    await backupDatabase(database, out);
    await database.write((tx) => tx.insert(appMeta).values({ key: "open", value: "yes" }));
    await expect(restoreDatabase(url, out)).rejects.toThrow(/looks open/);
    database.close();
  });

  it("refuses to back up or restore an embedded replica: the primary is the database to back up", async () => {
    const database = await openDatabase(resolveDatabaseUrl());
    process.env.DATABASE_SYNC_URL = "libsql://primary.internal:8080";
    try {
      await expect(backupDatabase(database, path.join(dir, `replica-${Date.now()}.db`))).rejects.toThrow(/is a replica of libsql:\/\/primary.internal:8080 \(DATABASE_SYNC_URL\)/);
      await expect(restoreDatabase(resolveDatabaseUrl(), path.join(dir, "any.db"))).rejects.toThrow(/back up and restore the primary with its own tools/);
    } finally {
      delete process.env.DATABASE_SYNC_URL;
      database.close();
    }
  });
});

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Another process writing as the server would: each transaction adds row load-<i> and sets load-counter to i.
 * A consistent snapshot therefore holds load-1..load-<counter> and nothing beyond.
 */
function startWriter(file: string) {
  const code = `
    import { createClient } from "@libsql/client";
    const c = createClient({ url: "file:${file}" });
    await c.execute("PRAGMA busy_timeout = 5000");
    for (let i = 1; ; i++) {
      await c.batch([
        { sql: "INSERT INTO app_meta (key, value) VALUES (?, ?)", args: ["load-" + i, String(i)] },
        { sql: "INSERT INTO app_meta (key, value) VALUES ('load-counter', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", args: [String(i)] },
      ], "write");
    }`;
  return spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "ignore", "pipe"] });
}

async function counter(database: { readClient: { execute(sql: string): Promise<{ rows: unknown[] }> } }): Promise<number> {
  const r = await database.readClient.execute("SELECT value FROM app_meta WHERE key = 'load-counter'");
  return r.rows.length ? Number((r.rows[0] as Record<string, unknown>).value) : 0;
}

describe("backup under write load", () => {
  it("takes a checked backup while another process keeps writing: it holds a consistent prefix of the writes", async () => {
    const url = resolveDatabaseUrl();
    const file = url.slice("file:".length);
    const database = await openDatabase(url);
    const writer = startWriter(file);
    try {
      while ((await counter(database)) < 200) await sleep(20);
      const before = await counter(database);
      const out = path.join(dir, `backup-load-${Date.now()}.db`);
      const r = await backupDatabase(database, out);
      await sleep(300);
      const after = await counter(database);
      expect(after).toBeGreaterThan(before); // the writer kept going around the backup

      const copy = createClient({ url: `file:${out}` });
      try {
        expect((await copy.execute("PRAGMA integrity_check")).rows[0]![0]).toBe("ok");
        const c = Number((await copy.execute("SELECT value FROM app_meta WHERE key = 'load-counter'")).rows[0]!.value);
        expect(c).toBeGreaterThanOrEqual(before);
        expect(c).toBeLessThan(after);
        const rows = (await copy.execute("SELECT key FROM app_meta WHERE key LIKE 'load-%' AND key <> 'load-counter'")).rows.map((row) => Number(String(row.key).slice(5)));
        expect(rows.length).toBe(c); // load-1..load-c, no gap and nothing after c
        expect(Math.max(...rows)).toBe(c);
      } finally {
        copy.close();
      }
      expect(r.people).toBeGreaterThanOrEqual(0);
    } finally {
      writer.kill("SIGKILL");
      await new Promise((res) => writer.once("exit", res));
      database.close();
    }
  });

  it("refuses a damaged backup with a clear error and leaves the current database untouched", async () => {
    const url = resolveDatabaseUrl();
    const target = path.resolve(url.slice("file:".length));
    const database = await openDatabase(url);
    const good = path.join(dir, `backup-good-${Date.now()}.db`);
    await backupDatabase(database, good);
    await database.writeClient.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    database.close();
    // Same header, pages overwritten in the middle: opens as SQLite, fails the integrity check.
    const damaged = path.join(dir, `backup-damaged-${Date.now()}.db`);
    copyFileSync(good, damaged);
    const fd = openSync(damaged, "r+");
    const size = readFileSync(damaged).length;
    writeSync(fd, Buffer.alloc(Math.min(64 * 1024, size / 2), 0xa5), 0, Math.min(64 * 1024, size / 2), Math.floor(size / 3));
    closeSync(fd);
    const hash = sha(target);
    const kept = () => readdirSync(path.dirname(target)).filter((f) => f.startsWith(path.basename(target) + ".before-restore")).length;
    const keptBefore = kept();
    await expect(restoreDatabase(url, damaged)).rejects.toThrow(/is damaged and cannot be restored \(integrity check/);
    expect(sha(target)).toBe(hash);
    expect(kept()).toBe(keptBefore);
  });

  it("`npm run cli -- backup FILE` and `restore FILE` are the command names, with db:backup/db:restore kept", () => {
    const url = resolveDatabaseUrl();
    const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { encoding: "utf8", env: { ...process.env, DATABASE_URL: url } });
    const out = path.join(dir, `backup-cli-${Date.now()}.db`);
    const b = cli("backup", out);
    expect(b.stderr).toBe("");
    expect(b.stdout).toMatch(/Backup written to .* integrity check ok/);
    expect(existsSync(out)).toBe(true);
    const junk = path.join(dir, `junk-cli-${Date.now()}.db`);
    writeFileSync(junk, "SQLite format 3\u0000" + "x".repeat(8192));
    const r = cli("restore", junk);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/damaged|not a database/);
    const help = cli("--help").stdout;
    for (const name of ["backup", "restore", "db:backup", "db:restore"]) expect(help).toContain(name);
  });
});
