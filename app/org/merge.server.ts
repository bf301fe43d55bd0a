/**
 * Merging an org unit into another (the 2025 province and commune mergers): its people move to the unit it is
 * merged into, its child units are re-attached there (paths rewritten), and the unit itself is kept, closed
 * (`active_to`) and pointing at its successor (`merged_into_id`). Nobody and nothing is deleted: certificates
 * keep citing the unit they were issued in. One write, with the coverage counters moved along.
 */
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { orgUnits, people } from "#db/schema";
import { getDatabase } from "~/db.server";
import { isoDateAt } from "~/reports/dates";
import { advanceCounters, loadCertLites, loadPersonStates, mergeDelta, peopleDelta, snapshotDays, todayIso, withTreeRows, writeCounterRows } from "~/reports/counters.server";
import { audit } from "~/utils/audit.server";

export class UnitMergeError extends Error {
  override name = "UnitMergeError";
}

export interface MergeResult {
  from: string;
  into: string;
  peopleMoved: number;
  unitsReattached: number;
}

export async function mergeUnit(fromCode: string, intoCode: string, actor: { userId: string | null; label: string }, now = Date.now()): Promise<MergeResult> {
  if (fromCode === intoCode) throw new UnitMergeError("A unit cannot be merged into itself.");
  const database = await getDatabase();
  return database.write(async (tx) => {
    const [from] = await tx.select().from(orgUnits).where(eq(orgUnits.code, fromCode));
    const [into] = await tx.select().from(orgUnits).where(eq(orgUnits.code, intoCode));
    if (!from) throw new UnitMergeError(`There is no unit with the code "${fromCode}".`);
    if (!into) throw new UnitMergeError(`There is no unit with the code "${intoCode}".`);
    if (from.parentId === null) throw new UnitMergeError("The national unit cannot be merged.");
    if (from.mergedIntoId !== null) throw new UnitMergeError(`Unit ${fromCode} was already merged.`);
    if (into.path.startsWith(from.path)) throw new UnitMergeError(`Unit ${intoCode} lies inside ${fromCode}; merge it the other way round.`);
    if (into.mergedIntoId !== null) throw new UnitMergeError(`Unit ${intoCode} was itself merged; merge into its successor.`);

    // Everyone in the merged unit's subtree: their own rows move (own people) or their ancestors change (people of
    // re-attached child units). Their contribution is taken with the tree as it is, and put back with the new one.
    const subtree = and(gte(orgUnits.path, from.path), lt(orgUnits.path, from.path.slice(0, -1) + "0"));
    const inSubtree = await tx.select({ id: people.id }).from(people).innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId)).where(subtree);
    const ids = inSubtree.map((p) => p.id);
    const day = todayIso(now);
    const counted = (await advanceCounters(tx, day, now)) !== null;
    const snaps = counted ? await snapshotDays(tx) : [];
    const before = counted ? await withTreeRows(tx, peopleDelta(await loadPersonStates(tx, ids), await loadCertLites(tx, ids), day, -1, snaps)) : null;

    const own = await tx.select({ id: people.id }).from(people).where(eq(people.orgUnitId, from.id));
    for (let i = 0; i < own.length; i += 400) {
      await tx
        .update(people)
        .set({ orgUnitId: into.id, updatedAt: now })
        .where(inArray(people.id, own.slice(i, i + 400).map((p) => p.id)));
    }
    const children = await tx.select().from(orgUnits).where(eq(orgUnits.parentId, from.id));
    const depthShift = into.depth - from.depth;
    for (const child of children) {
      const oldPrefix = child.path;
      const newPrefix = `${into.path}${child.code}/`;
      await tx.update(orgUnits).set({ parentId: into.id }).where(eq(orgUnits.id, child.id));
      await tx
        .update(orgUnits)
        .set({
          path: sql`${newPrefix} || substr(${orgUnits.path}, ${oldPrefix.length + 1})`,
          depth: sql`${orgUnits.depth} + ${depthShift}`,
        })
        .where(and(gte(orgUnits.path, oldPrefix), lt(orgUnits.path, oldPrefix.slice(0, -1) + "0")));
    }
    await tx.update(orgUnits).set({ activeTo: isoDateAt(now), mergedIntoId: into.id }).where(eq(orgUnits.id, from.id));

    if (before) {
      const after = await withTreeRows(tx, peopleDelta(await loadPersonStates(tx, ids), await loadCertLites(tx, ids), day, 1, snaps));
      await writeCounterRows(tx, mergeDelta(before, after), now);
    }
    const result = { from: from.code, into: into.code, peopleMoved: own.length, unitsReattached: children.length };
    await audit(tx, { actorUserId: actor.userId, actorLabel: actor.label, action: "org.merge", subjectType: "org_unit", subjectId: from.id, unitId: into.id, after: result });
    return result;
  });
}
