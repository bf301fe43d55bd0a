/**
 * The audit log is append-only: the database refuses UPDATE and DELETE of its rows (migration
 * 0001_audit_append_only), whoever asks, and no code in the repository even tries.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "#db/schema";
import { getDatabase } from "~/db.server";
import { audit } from "./audit.server";

/** The database's own message (drizzle wraps it as the cause of "Failed query: …"). */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return `${String((e as Error).message)} ${String(((e as Error).cause as Error | undefined)?.message ?? "")}`;
  }
  return "no error";
}

describe("audit log is append-only", () => {
  it("refuses UPDATE and DELETE at the database, and the refused write leaves the row as it was", async () => {
    const database = await getDatabase();
    await database.write((tx) => audit(tx, { actorLabel: "test", action: "test.event", subjectType: "test", subjectId: "s-1", before: { a: 1 }, after: { a: 2 } }));
    const [row] = await database.read.select().from(auditLog).where(eq(auditLog.subjectId, "s-1"));
    expect(row).toBeDefined();
    expect(await refusal(database.write((tx) => tx.update(auditLog).set({ action: "tampered" }).where(eq(auditLog.id, row!.id))))).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(database.write((tx) => tx.delete(auditLog).where(eq(auditLog.id, row!.id))))).toMatch(/append-only: DELETE refused/);
    expect(await refusal(database.writeClient.execute("DELETE FROM audit_log"))).toMatch(/append-only: DELETE refused/);
    const [after] = await database.read.select().from(auditLog).where(eq(auditLog.id, row!.id));
    expect(after).toEqual(row);
    // Inserting still works (the triggers guard only UPDATE and DELETE).
    await database.write((tx) => audit(tx, { actorLabel: "test", action: "test.event", subjectType: "test", subjectId: "s-1" }));
    const rows = await database.read.select({ n: sql<number>`count(*)` }).from(auditLog).where(eq(auditLog.subjectId, "s-1"));
    expect(rows[0]!.n).toBe(2);
  });

  it("no source file updates or deletes audit rows", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
          const text = readFileSync(full, "utf8");
          if (/\.(update|delete)\(\s*auditLog\b/.test(text) || /(UPDATE|DELETE\s+FROM)\s+[`"']?audit_log\b/i.test(text)) offenders.push(full);
        }
      }
    };
    for (const dir of ["app", "db", "scripts"]) walk(path.resolve(dir));
    expect(offenders).toEqual([]);
  });
});
