/**
 * Login throttling per account and per client address, stored in the database so that every server process
 * sees the same counts. A lock is reported as "try again in N minutes" without saying whether the account exists.
 */
import { eq, inArray } from "drizzle-orm";
import { loginThrottle } from "#db/schema";
import type { Database } from "~/db.server";

export const THROTTLE = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxPerAccount: 5,
  maxPerIp: 30,
};

export const accountKey = (username: string) => `acct:${username.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** Milliseconds until the later of the two locks ends, or 0 when neither is locked. */
export async function lockedFor(database: Database, keys: string[], now = Date.now()): Promise<number> {
  const rows = await database.read.select().from(loginThrottle).where(inArray(loginThrottle.key, keys));
  return Math.max(0, ...rows.map((r) => (r.lockedUntil ?? 0) - now));
}

export async function recordFailure(database: Database, keys: { key: string; max: number }[], now = Date.now()) {
  await database.write(async (tx) => {
    for (const { key, max } of keys) {
      const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.key, key));
      const fresh = !row || now - row.windowStartedAt > THROTTLE.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const lockedUntil = failures >= max ? now + THROTTLE.lockMs : (fresh ? null : row.lockedUntil);
      const windowStartedAt = fresh ? now : row.windowStartedAt;
      await tx
        .insert(loginThrottle)
        .values({ key, failures, windowStartedAt, lockedUntil })
        .onConflictDoUpdate({ target: loginThrottle.key, set: { failures, windowStartedAt, lockedUntil } });
    }
  });
}

export async function clearFailures(database: Database, key: string) {
  await database.write((tx) => tx.delete(loginThrottle).where(eq(loginThrottle.key, key)));
}
