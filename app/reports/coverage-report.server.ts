/**
 * Coverage reports. `coverageReport` is the one function behind the HR pages, the exports and
 * `npm run cli -- reports:coverage`: counters (counters.server.ts) → counts per unit and target →
 * `computeCoverageFromCounts` (coverage.ts). Every entry point takes the actor's scope.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { orgUnits } from "#db/schema";
import { getDatabase, type DbOrTx } from "~/db.server";
import {
  COVERAGE_STATUSES,
  computeCoverageFromCounts,
  countsAt,
  PACE_WINDOW_DAYS,
  segmentsOfPerson,
  segmentsOfRule,
  type CoverageCounts,
  type CoverageRow,
  type CoverageStatus,
  type TargetDef,
} from "./coverage";
import { breakpointCertificates, breakpointPeople, correction, countersDay, ensureCountersBuilt, loadCertLites, loadPersonStates, NEW90, populationUnder, readSnapshots, recordsHolders, subtreeCounts, todayIso, type CountsByKey } from "./counters.server";
import { addDays, isIsoDate, toDayNumber, type IsoDate } from "./dates";
import { pathUnder, unitInScope, type ReportScope, type UnitRow } from "./scope.server";
import { loadTargets, type TargetRow } from "./targets.server";

export class ReportInputError extends Error {
  override name = "ReportInputError";
}

/** `asOf` from a query string or option: blank → today (Vietnam); anything but a real date → error. */
export function parseAsOf(raw: string | null | undefined, now = Date.now()): IsoDate {
  const v = (raw ?? "").trim();
  if (v === "") return todayIso(now);
  if (!isIsoDate(v)) throw new ReportInputError(`as-of must be a date written YYYY-MM-DD, got "${v}"`);
  return v;
}

export function countsForTarget(target: Pick<TargetDef, "credentialId" | "rule">, counts: CountsByKey | undefined): CoverageCounts {
  let population = 0;
  let holders = 0;
  let certifiedLast90Days = 0;
  for (const seg of segmentsOfRule(target.rule)) {
    const base = counts?.get(`${target.credentialId}|${seg}`);
    population += base?.population ?? 0;
    holders += base?.holders ?? 0;
    certifiedLast90Days += counts?.get(`${target.credentialId}|${seg}${NEW90}`)?.holders ?? 0;
  }
  return { population, holders, certifiedLast90Days };
}

/** The counter rows the targets read (population segments and their newly certified). */
export function targetKeys(targets: readonly Pick<TargetDef, "credentialId" | "rule">[]): { credentialId: string; segment: string }[] {
  return targets.flatMap((t) => segmentsOfRule(t.rule).flatMap((seg) => [{ credentialId: t.credentialId, segment: seg }, { credentialId: t.credentialId, segment: seg + NEW90 }]));
}

/** Targets that apply to a unit: national ones, and those scoped to a subtree the unit lies in. */
export function targetsForUnit(all: readonly TargetRow[], unitPath: string, unitPathsById: Map<string, string>): TargetRow[] {
  return all.filter((t) => {
    if (t.scopeUnitId === null) return true;
    const p = unitPathsById.get(t.scopeUnitId);
    return p !== undefined && unitPath.startsWith(p);
  });
}

export interface UnitBrief {
  id: string;
  code: string;
  kind: string;
  nameVi: string;
  nameEn: string | null;
  path: string;
  depth: number;
  merged: boolean;
}

export interface ChildCoverage {
  unit: UnitBrief;
  rows: CoverageRow[];
}

export interface CoverageReport {
  unit: UnitBrief;
  asOf: IsoDate;
  targets: TargetRow[];
  /** One row per target for the unit's whole subtree. */
  rows: CoverageRow[];
  /** Each child unit's subtree; empty unless asked for. */
  children: ChildCoverage[];
  /** People attached to the unit itself (not to a child), when it has any and children were asked for. */
  own: ChildCoverage | null;
  /** The counters' day (for "figures as of"). */
  countersDay: IsoDate | null;
}

const brief = (u: UnitRow | (typeof orgUnits.$inferSelect)): UnitBrief => ({
  id: u.id,
  code: u.code,
  kind: u.kind,
  nameVi: u.nameVi,
  nameEn: u.nameEn,
  path: u.path,
  depth: u.depth,
  merged: u.mergedIntoId !== null,
});

async function childUnits(db: DbOrTx, unitId: string): Promise<UnitBrief[]> {
  const rows = await db.select().from(orgUnits).where(eq(orgUnits.parentId, unitId)).orderBy(asc(orgUnits.code));
  return rows.map(brief);
}

async function scopedTargetPaths(db: DbOrTx, targets: readonly TargetRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(targets.map((t) => t.scopeUnitId).filter((x): x is string => x !== null))];
  const out = new Map<string, string>();
  for (const id of ids) {
    const [u] = await db.select({ path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.id, id));
    if (u) out.set(id, u.path);
  }
  return out;
}

export interface CoverageOptions {
  unitCode: string;
  targetCode?: string;
  asOf?: IsoDate;
  withChildren?: boolean;
  /** Include inactive targets (admin views). */
  includeInactive?: boolean;
  now?: number;
}

/** The coverage of a unit (and optionally of each child unit) against every applicable target, as of a day. */
export async function coverageReport(scope: ReportScope, options: CoverageOptions): Promise<CoverageReport> {
  const now = options.now ?? Date.now();
  const asOf = options.asOf ?? todayIso(now);
  toDayNumber(asOf, "as-of");
  const unit = await unitInScope(scope, options.unitCode);
  await ensureCountersBuilt(now);
  const { read } = await getDatabase();
  let targets = await loadTargets(read, { activeOnly: !options.includeInactive });
  if (options.targetCode !== undefined) {
    targets = targets.filter((t) => t.code === options.targetCode);
    if (targets.length === 0) throw new ReportInputError(`There is no ${options.includeInactive ? "" : "active "}target with the code "${options.targetCode}".`);
  }
  const scopedPaths = await scopedTargetPaths(read, targets);
  targets = targetsForUnit(targets, unit.path, scopedPaths);
  const children = options.withChildren ? await childUnits(read, unit.id) : [];
  const counts = await subtreeCounts(read, [{ id: unit.id, path: unit.path }, ...children.map((c) => ({ id: c.id, path: c.path }))], asOf, targetKeys(targets));
  const rowsFor = (u: { code: string }, c: CountsByKey | undefined) =>
    targets.map((t) => computeCoverageFromCounts(u.code, t, countsForTarget(t, c), asOf));

  let own: ChildCoverage | null = null;
  if (options.withChildren && children.length > 0) {
    // Own people = the subtree minus the children's subtrees.
    const ownCounts: CountsByKey = new Map();
    for (const [k, v] of counts.get(unit.id) ?? []) ownCounts.set(k, { ...v });
    for (const c of children) {
      for (const [k, v] of counts.get(c.id) ?? []) {
        const cur = ownCounts.get(k);
        if (cur) {
          cur.population -= v.population;
          cur.holders -= v.holders;
        }
      }
    }
    const hasOwn = [...ownCounts.values()].some((v) => v.population > 0);
    if (hasOwn) own = { unit: brief(unit), rows: rowsFor(unit, ownCounts) };
  }
  return {
    unit: brief(unit),
    asOf,
    targets,
    rows: rowsFor(unit, counts.get(unit.id)),
    children: children.map((c) => ({ unit: c, rows: rowsFor(c, counts.get(c.id)) })),
    own,
    countersDay: await countersDay(read),
  };
}

const STATUS_RANK: Record<CoverageStatus, number> = { off_track: 0, at_risk: 1, on_track: 2, met: 3 };

/** Worst status first, then the largest gap: the order of "units most at risk". */
export function compareRisk(a: CoverageRow, b: CoverageRow): number {
  return STATUS_RANK[a.status] - STATUS_RANK[b.status] || b.gap - a.gap || a.unit_code.localeCompare(b.unit_code);
}

export type ChildSort = "gap" | "status" | "percent" | "code";

/** Sorts child units by their row for one target. */
export function sortChildren(children: readonly ChildCoverage[], targetIndex: number, sort: ChildSort): ChildCoverage[] {
  const row = (c: ChildCoverage) => c.rows[targetIndex]!;
  const list = [...children];
  switch (sort) {
    case "gap":
      return list.sort((a, b) => row(b).gap - row(a).gap || a.unit.code.localeCompare(b.unit.code));
    case "status":
      return list.sort((a, b) => compareRisk(row(a), row(b)));
    case "percent":
      return list.sort((a, b) => row(a).percent - row(b).percent || a.unit.code.localeCompare(b.unit.code));
    default:
      return list.sort((a, b) => a.unit.code.localeCompare(b.unit.code));
  }
}

export { COVERAGE_STATUSES };

// ---------------------------------------------------------------------------------------------------------------
// Certified over time (the chart)

export interface SeriesPoint {
  date: IsoDate;
  holders: number;
}

/** Month ends from `months` months before `asOf` up to `asOf` itself. */
export function seriesDates(asOf: IsoDate, months = 12): IsoDate[] {
  const [y, m] = asOf.split("-").map(Number) as [number, number];
  const out: IsoDate[] = [];
  for (let i = months; i >= 1; i--) {
    // Last day of the month i months back: day 0 of the following month.
    const d = new Date(Date.UTC(y, m - 1 - i + 1, 0));
    out.push(d.toISOString().slice(0, 10));
  }
  out.push(asOf);
  return out.filter((d, i, a) => a.indexOf(d) === i && d <= asOf);
}

/**
 * Holders of a target's credential in the unit's subtree on each date (population = today's roster). Month ends
 * recorded as snapshots (national unit, ministries, provinces) are read as they are; for a subtree small enough
 * the other dates are recounted from its people's certificates; for a big one they are derived from the counters
 * when few certificates changed since, and otherwise left out (only the as-of date itself is then recounted).
 */
export async function holdersSeries(scope: ReportScope, unitCode: string, target: TargetRow, dates: readonly IsoDate[], now = Date.now()): Promise<SeriesPoint[]> {
  const unit = await unitInScope(scope, unitCode);
  await ensureCountersBuilt(now);
  if (dates.length === 0) return [];
  const { read } = await getDatabase();
  const day = (await countersDay(read))!;
  const snaps = await readSnapshots(read, unit, dates.filter((d) => d < day));
  const found = new Map<IsoDate, number>();
  for (const [d, counts] of snaps) found.set(d, countsForTarget(target, counts).holders);
  if (dates.includes(day)) {
    const c = await subtreeCounts(read, [{ id: unit.id, path: unit.path }], day, targetKeys([target]));
    found.set(day, countsForTarget(target, c.get(unit.id)).holders);
  }
  const computed = dates.filter((d) => !found.has(d));
  const segs = new Set(segmentsOfRule(target.rule));
  const sumRule = (counts: Map<string, number>) => [...segs].reduce((a, seg) => a + (counts.get(`${target.credentialId}|${seg}`) ?? 0), 0);
  if (computed.length > 0) {
    const sorted = [...computed, day].sort();
    if ((await populationUnder(read, unit.path)) <= correction.recordsLimit) {
      const rec = await recordsHolders(read, unit.path, computed, [target.credentialId]);
      for (const d of computed) found.set(d, rec.get(d)!.reduce((a, r) => a + sumRule(r.counts), 0));
    } else if ((await breakpointCertificates(read, sorted[0]!, sorted[sorted.length - 1]!)) <= correction.limit) {
      const base = await subtreeCounts(read, [{ id: unit.id, path: unit.path }], day, targetKeys([target]));
      const baseHolders = countsForTarget(target, base.get(unit.id)).holders;
      const ids = new Set([...(await breakpointPeople(read, sorted[0]!, day, unit.path)), ...(await breakpointPeople(read, day, sorted[sorted.length - 1]!, unit.path))]);
      const states = await loadPersonStates(read, [...ids]);
      const certs = await loadCertLites(read, [...ids], [target.credentialId]);
      const adjust = new Map<IsoDate, number>(computed.map((d) => [d, 0]));
      for (const [id, st] of states) {
        if (!st.unitPath.startsWith(unit.path)) continue;
        if (!segmentsOfPerson(st.lite).some((x) => segs.has(x))) continue;
        const mine = certs.get(id) ?? [];
        const holds = (d: IsoDate) => mine.some((c) => countsAt(c, d));
        const atDay = holds(day) ? 1 : 0;
        for (const d of computed) adjust.set(d, adjust.get(d)! + (holds(d) ? 1 : 0) - atDay);
      }
      for (const d of computed) found.set(d, baseHolders + adjust.get(d)!);
    } else {
      const last = dates[dates.length - 1]!;
      if (!found.has(last)) {
        const c = await subtreeCounts(read, [{ id: unit.id, path: unit.path }], last, targetKeys([target]));
        found.set(last, countsForTarget(target, c.get(unit.id)).holders);
      }
    }
  }
  return dates.filter((d) => found.has(d)).map((d) => ({ date: d, holders: found.get(d)! }));
}

export { PACE_WINDOW_DAYS, addDays };

// ---------------------------------------------------------------------------------------------------------------
// Commune view

/** Every commune under a unit (a province, typically) with its coverage of the commune-officials targets. */
export async function communeCoverage(scope: ReportScope, unitCode: string, asOfRaw?: IsoDate, now = Date.now()) {
  const unit = await unitInScope(scope, unitCode);
  await ensureCountersBuilt(now);
  const asOf = asOfRaw ?? todayIso(now);
  const { read } = await getDatabase();
  const all = await loadTargets(read, { activeOnly: true });
  const targets = targetsForUnit(all, unit.path, await scopedTargetPaths(read, all)).filter(
    (t) => t.rule.kind === "category" && t.rule.categories.includes("commune_official"),
  );
  const communes = (
    await read
      .select()
      .from(orgUnits)
      .where(and(pathUnder(orgUnits.path, unit.path), eq(orgUnits.kind, "commune")))
      .orderBy(asc(orgUnits.code))
  ).map(brief);
  const counts = await subtreeCounts(read, communes.map((c) => ({ id: c.id, path: c.path })), asOf, targetKeys(targets));
  return {
    unit: brief(unit),
    asOf,
    targets,
    communes: communes.map((c) => ({ unit: c, rows: targets.map((t) => computeCoverageFromCounts(c.code, t, countsForTarget(t, counts.get(c.id)), asOf)) })),
  };
}

/** The depth of the tree below a unit that has communes (provinces), for showing the commune view link. */
export async function hasCommunes(unitPath: string): Promise<boolean> {
  const { read } = await getDatabase();
  const [row] = await read
    .select({ n: sql<number>`1` })
    .from(orgUnits)
    .where(and(pathUnder(orgUnits.path, unitPath), eq(orgUnits.kind, "commune")))
    .limit(1);
  return Boolean(row);
}

// ---------------------------------------------------------------------------------------------------------------
// The HR home: every granted unit at a glance

export interface AtRisk {
  unit: UnitBrief;
  row: CoverageRow;
  targetIndex: number;
}

/** What the HR home shows of a granted subtree: its own rows, not every child's (those only feed `atRisk`). */
export type OverviewReport = Pick<CoverageReport, "unit" | "asOf" | "targets" | "rows" | "countersDay">;

/**
 * Each granted subtree's coverage, and its child units most at risk (worst status, then largest gap). The
 * children's rows are left out of the result: the page does not show them, and serialising them into every
 * page was a tenth of its cost.
 */
export async function hrOverview(scope: ReportScope, asOf: IsoDate, now = Date.now(), limit = 5) {
  const out: { report: OverviewReport; atRisk: AtRisk[] }[] = [];
  for (const root of scope.roots) {
    const report = await coverageReport(scope, { unitCode: root.unitCode, asOf, withChildren: true, now });
    const atRisk: AtRisk[] = [];
    for (const c of report.children) {
      let worst: AtRisk | null = null;
      c.rows.forEach((row, targetIndex) => {
        if (row.population === 0 || row.status === "met") return;
        if (worst === null || compareRisk(row, worst.row) < 0) worst = { unit: c.unit, row, targetIndex };
      });
      if (worst) atRisk.push(worst);
    }
    atRisk.sort((a, b) => compareRisk(a.row, b.row));
    out.push({ report: { unit: report.unit, asOf: report.asOf, targets: report.targets, rows: report.rows, countersDay: report.countersDay }, atRisk: atRisk.slice(0, limit) });
  }
  return out;
}

/** The unit and its ancestors that lie in the scope, root first (for breadcrumbs). */
export async function scopedAncestors(scope: ReportScope, unit: { path: string }): Promise<UnitBrief[]> {
  const { read } = await getDatabase();
  const codes = unit.path.split("/").filter(Boolean);
  const rows = await read.select().from(orgUnits).where(inArray(orgUnits.code, codes));
  const byCode = new Map(rows.map((r) => [r.code, brief(r)]));
  return codes
    .map((c) => byCode.get(c))
    .filter((u): u is UnitBrief => u !== undefined && scope.roots.some((r) => u.path.startsWith(r.unitPath)));
}

// ---------------------------------------------------------------------------------------------------------------
// The unit page

export interface UnitDashboardOptions {
  unitCode: string;
  asOf: IsoDate;
  targetCode?: string;
  sort?: ChildSort;
  now?: number;
}

/** Everything the unit page shows: per-target rows, the chart series of one target, children sorted. */
export async function unitDashboard(scope: ReportScope, o: UnitDashboardOptions) {
  const now = o.now ?? Date.now();
  const report = await coverageReport(scope, { unitCode: o.unitCode, asOf: o.asOf, withChildren: true, now });
  let targetIndex = report.targets.findIndex((t) => t.code === o.targetCode);
  // Default: the first target that concerns somebody here.
  if (targetIndex < 0) targetIndex = Math.max(0, report.rows.findIndex((r) => r.population > 0));
  const target = report.targets[targetIndex];
  const series = target ? await holdersSeries(scope, o.unitCode, target, seriesDates(o.asOf, 12), now) : [];
  const children = target ? sortChildren(report.children, targetIndex, o.sort ?? "status") : [];
  return {
    report,
    targetIndex,
    series,
    children,
    ancestors: await scopedAncestors(scope, report.unit),
    hasCommunes: report.unit.kind !== "commune" && (await hasCommunes(report.unit.path)),
  };
}
