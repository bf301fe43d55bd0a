/** National targets: data an administrator edits (audited); every report reads them from here. */
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { credentials, targets } from "#db/schema";
import { getDatabase, type DbOrTx } from "~/db.server";
import { audit } from "~/utils/audit.server";
import { PopulationRuleSchema, type PopulationRule, type TargetDef } from "./coverage";
import { isIsoDate } from "./dates";

export interface TargetRow extends TargetDef {
  id: string;
  titleVi: string;
  titleEn: string;
  active: boolean;
  scopeUnitId: string | null;
  credentialNameVi: string;
  credentialNameEn: string;
  updatedAt: number;
}

export async function loadTargets(db?: DbOrTx, options: { activeOnly?: boolean } = {}): Promise<TargetRow[]> {
  const reader = db ?? (await getDatabase()).read;
  const rows = await reader
    .select({
      id: targets.id,
      code: targets.code,
      credentialId: targets.credentialId,
      rule: targets.populationRuleJson,
      percent: targets.percent,
      deadline: targets.deadline,
      titleVi: targets.titleVi,
      titleEn: targets.titleEn,
      active: targets.active,
      scopeUnitId: targets.scopeUnitId,
      updatedAt: targets.updatedAt,
      credentialNameVi: credentials.nameVi,
      credentialNameEn: credentials.nameEn,
    })
    .from(targets)
    .innerJoin(credentials, eq(credentials.id, targets.credentialId))
    .orderBy(asc(targets.deadline), asc(targets.code));
  return rows
    .filter((r) => !options.activeOnly || r.active)
    .map((r) => ({ ...r, rule: PopulationRuleSchema.parse(JSON.parse(r.rule)) as PopulationRule }));
}

export const TargetEditSchema = z.object({
  code: z.string().min(1).max(40),
  percent: z.coerce.number().min(0).max(100),
  deadline: z.string().refine(isIsoDate, "deadline"),
  active: z.preprocess((v) => v === "on" || v === "true" || v === true || v === "1", z.boolean()),
});
export type TargetEdit = z.infer<typeof TargetEditSchema>;

export class TargetNotFoundError extends Error {
  override name = "TargetNotFoundError";
}

/** Changes a target's percent, deadline and active flag; records before/after in the audit log. */
export async function updateTarget(edit: TargetEdit, actor: { userId: string | null; label: string }): Promise<{ changed: boolean }> {
  const database = await getDatabase();
  return database.write(async (tx) => {
    const [before] = await tx.select().from(targets).where(eq(targets.code, edit.code));
    if (!before) throw new TargetNotFoundError(`There is no target with the code "${edit.code}".`);
    const after = { percent: edit.percent, deadline: edit.deadline, active: edit.active };
    const was = { percent: before.percent, deadline: before.deadline, active: before.active };
    if (was.percent === after.percent && was.deadline === after.deadline && was.active === after.active) return { changed: false };
    await tx
      .update(targets)
      .set({ ...after, updatedAt: Date.now(), updatedBy: actor.userId })
      .where(eq(targets.id, before.id));
    await audit(tx, { actorUserId: actor.userId, actorLabel: actor.label, action: "target.update", subjectType: "target", subjectId: before.id, before: was, after });
    return { changed: true };
  });
}
