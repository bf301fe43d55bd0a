import { like } from "drizzle-orm";
import { expect, it } from "vitest";
import { appMeta } from "#db/schema";
import { getDatabase, type Database } from "~/db.server";
import { createGroupCommit } from "./group-commit.server";

/** The app database with its `write` calls counted. */
async function counted() {
  const real = await getDatabase();
  const stats = { writes: 0 };
  const database: Database = { ...real, write: (fn) => (stats.writes++, real.write(fn)) };
  return { database, stats };
}

it("answers every caller after one shared commit, with fewer writes than callers", async () => {
  const { database, stats } = await counted();
  const submit = createGroupCommit(async () => database, async (tx, n: number) => {
    await tx.insert(appMeta).values({ key: `gc-a-${n}`, value: String(n) });
    return n * 2;
  });
  const results = await Promise.all(Array.from({ length: 200 }, (_, n) => submit(n)));
  expect(results).toEqual(Array.from({ length: 200 }, (_, n) => n * 2));
  expect(stats.writes).toBeLessThan(20);
  expect(await database.read.select().from(appMeta).where(like(appMeta.key, "gc-a-%"))).toHaveLength(200);
});

it("an unexpected error fails its whole batch (nothing of it is committed) and later batches still work", async () => {
  const { database } = await counted();
  const submit = createGroupCommit(async () => database, async (tx, n: number) => {
    await tx.insert(appMeta).values({ key: `gc-b-${n}`, value: String(n) });
    if (n === 13) throw new Error("disk full");
    return n;
  });
  const settled = await Promise.allSettled(Array.from({ length: 30 }, (_, n) => submit(n)));
  const failed = settled.filter((s) => s.status === "rejected");
  expect(failed.length).toBeGreaterThan(0);
  const committed = await database.read.select().from(appMeta).where(like(appMeta.key, "gc-b-%"));
  // Exactly the callers told "ok" have their row: a rejected caller's row was rolled back with its batch.
  const ok = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  expect(committed.map((r) => Number(r.value)).sort((a, b) => a - b)).toEqual(ok.sort((a, b) => a - b));
  expect(await submit(100)).toBe(100);
});

it("fails waiting callers instead of hanging when the database cannot be opened", async () => {
  const submit = createGroupCommit(async () => {
    throw new Error("cannot open");
  }, async () => 1);
  await expect(Promise.all([submit(1), submit(2)])).rejects.toThrow("cannot open");
});
