import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
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
