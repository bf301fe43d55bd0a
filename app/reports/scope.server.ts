/**
 * Who may see which figures. Every report, list, export and import takes a `ReportScope` built from the actor's
 * grants (hr, or admin, each over an org subtree) and never reads outside it: a unit is resolved through
 * `unitInScope`, which answers 404 for an unknown code and 403 for a unit outside every granted subtree.
 */
import { and, eq, gte, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { orgUnits } from "#db/schema";
import type { RoleGrant } from "~/auth/session.server";
import { getDatabase } from "~/db.server";
import { inSubtree } from "./rollup";

export interface ScopeRoot {
  unitId: string;
  unitCode: string;
  unitPath: string;
}

export interface ReportScope {
  /** Granted subtree roots (nested grants folded into their ancestor). */
  roots: ScopeRoot[];
  actorUserId: string | null;
  /** For the audit log: "user:<username>" or "cli". */
  actorLabel: string;
}

export interface UnitRow {
  id: string;
  parentId: string | null;
  code: string;
  kind: string;
  nameVi: string;
  nameEn: string | null;
  path: string;
  depth: number;
  activeTo: string | null;
  mergedIntoId: string | null;
}

/** The scope of hr/admin grants. Grants inside another granted subtree add nothing and are dropped. */
export function scopeFromGrants(grants: readonly Pick<RoleGrant, "role" | "unitId" | "unitCode" | "unitPath">[], actor: { id: string | null; label: string }): ReportScope {
  const candidates = grants
    .filter((g) => g.role === "hr" || g.role === "admin")
    .map((g) => ({ unitId: g.unitId, unitCode: g.unitCode, unitPath: g.unitPath }))
    .sort((a, b) => a.unitPath.length - b.unitPath.length || a.unitCode.localeCompare(b.unitCode));
  const roots: ScopeRoot[] = [];
  for (const c of candidates) {
    if (!roots.some((r) => inSubtree(c.unitPath, r.unitPath))) roots.push(c);
  }
  return { roots, actorUserId: actor.id, actorLabel: actor.label };
}

/** Everything (the CLI, which runs with the database owner's rights). */
export function nationalScope(actorLabel = "cli"): ReportScope {
  return { roots: [{ unitId: "ou-VN", unitCode: "VN", unitPath: "/VN/" }], actorUserId: null, actorLabel };
}

export function scopeCovers(scope: ReportScope, unitPath: string): boolean {
  return scope.roots.some((r) => inSubtree(unitPath, r.unitPath));
}

export function isNationalScope(scope: ReportScope): boolean {
  return scope.roots.some((r) => r.unitPath === "/VN/");
}

export function forbiddenResponse(): Response {
  return new Response("Forbidden", { status: 403 });
}

export function notFoundResponse(): Response {
  return new Response("Not found", { status: 404 });
}

const unitColumns = {
  id: orgUnits.id,
  parentId: orgUnits.parentId,
  code: orgUnits.code,
  kind: orgUnits.kind,
  nameVi: orgUnits.nameVi,
  nameEn: orgUnits.nameEn,
  path: orgUnits.path,
  depth: orgUnits.depth,
  activeTo: orgUnits.activeTo,
  mergedIntoId: orgUnits.mergedIntoId,
};

export async function findUnitByCode(code: string): Promise<UnitRow | null> {
  const { read } = await getDatabase();
  const [unit] = await read.select(unitColumns).from(orgUnits).where(eq(orgUnits.code, code));
  return unit ?? null;
}

/**
 * The unit with this code when it lies in the scope. Unknown → 404; outside the scope → 403. (Unit codes are
 * public reference data, so a 403 reveals nothing that the published org tree does not.)
 */
export async function unitInScope(scope: ReportScope, code: string): Promise<UnitRow> {
  const unit = await findUnitByCode(code);
  if (!unit) throw notFoundResponse();
  if (!scopeCovers(scope, unit.path)) throw forbiddenResponse();
  return unit;
}

export function unitName(unit: { nameVi: string; nameEn: string | null }, locale: "vi" | "en"): string {
  return locale === "en" && unit.nameEn ? unit.nameEn : unit.nameVi;
}

/**
 * `column` (a materialised path) lies in the subtree whose path is `prefix`, as an index-friendly range:
 * every path under "/VN/01/" sorts in ["/VN/01/", "/VN/010"), because "0" is the character after "/". (LIKE would
 * neither use the index nor be exact: "_" in a code is a LIKE wildcard.)
 */
export function pathUnder(column: SQLiteColumn, prefix: string): SQL {
  if (!prefix.endsWith("/")) throw new Error(`pathUnder: a path must end with "/", got ${prefix}`);
  return and(gte(column, prefix), lt(column, prefix.slice(0, -1) + "0"))!;
}
