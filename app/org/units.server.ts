import { and, eq, like, sql } from "drizzle-orm";
import { orgUnits, people } from "#db/schema";
import { NATIONAL_ROOT_CODE, unitId } from "#db/reference";

export const NATIONAL_UNIT_ID = unitId(NATIONAL_ROOT_CODE);
import { getDatabase } from "~/db.server";
import type { RoleGrant } from "~/auth/session.server";

export async function getUnitById(id: string) {
  const { read } = await getDatabase();
  const [unit] = await read.select().from(orgUnits).where(eq(orgUnits.id, id));
  return unit ?? null;
}

export async function getUnitByCode(code: string) {
  const { read } = await getDatabase();
  const [unit] = await read.select().from(orgUnits).where(eq(orgUnits.code, code));
  return unit ?? null;
}

export interface UnitSummary {
  id: string;
  code: string;
  kind: string;
  nameVi: string;
  nameEn: string | null;
  depth: number;
  activePeople: number;
  itDx: number;
  leaders: number;
  communeOfficials: number;
}

/**
 * The units an officer is responsible for (each granted unit and its direct children) with head counts over
 * each unit's whole subtree. Scoped by construction: only subtrees named in `grants` are ever queried.
 */
export async function unitsInScope(grants: RoleGrant[]): Promise<UnitSummary[]> {
  const { read } = await getDatabase();
  const out: UnitSummary[] = [];
  const seen = new Set<string>();
  for (const g of grants) {
    const units = await read
      .select()
      .from(orgUnits)
      .where(and(like(orgUnits.path, `${g.unitPath}%`), sql`${orgUnits.depth} <= (select depth from org_units where id = ${g.unitId}) + 1`))
      .orderBy(orgUnits.depth, orgUnits.code);
    for (const u of units) {
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      const [counts] = await read
        .select({
          active: sql<number>`count(*)`,
          itDx: sql<number>`coalesce(sum(${people.isItDx}), 0)`,
          leaders: sql<number>`coalesce(sum(${people.isLeader}), 0)`,
          communeOfficials: sql<number>`coalesce(sum(${people.category} = 'commune_official'), 0)`,
        })
        .from(people)
        .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
        .where(and(like(orgUnits.path, `${u.path}%`), eq(people.employmentStatus, "active")));
      out.push({
        id: u.id,
        code: u.code,
        kind: u.kind,
        nameVi: u.nameVi,
        nameEn: u.nameEn,
        depth: u.depth,
        activePeople: Number(counts?.active ?? 0),
        itDx: Number(counts?.itDx ?? 0),
        leaders: Number(counts?.leaders ?? 0),
        communeOfficials: Number(counts?.communeOfficials ?? 0),
      });
    }
  }
  return out;
}
