/**
 * The people in scope who still lack a target's credential (to send reminders): active people of the unit's
 * subtree in the target's population with no certificate that counts on the as-of day. Paged for the page,
 * streamed (keyset by id) for exports of any size.
 */
import { and, asc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { orgUnits, people, PERSON_CATEGORIES, type PersonCategory } from "#db/schema";
import { getDatabase } from "~/db.server";
import type { PopulationRule } from "./coverage";
import { dayStartMs, ensureCountersBuilt, subtreeCounts, todayIso } from "./counters.server";
import { countsForTarget, ReportInputError, targetKeys } from "./coverage-report.server";
import { addDays, type IsoDate } from "./dates";
import { pathUnder, scopeCovers, unitInScope, type ReportScope } from "./scope.server";
import { loadTargets, type TargetRow } from "./targets.server";

export const MISSING_PAGE_SIZE = 50;

export interface MissingFilters {
  unitCode: string;
  targetCode: string;
  /** A unit below `unitCode` to narrow to. */
  subUnitCode?: string;
  /** Part of the name or staff code. */
  q?: string;
  category?: PersonCategory;
  asOf?: IsoDate;
}

export interface MissingPerson {
  id: string;
  staffCode: string;
  fullName: string;
  category: PersonCategory;
  isItDx: boolean;
  isLeader: boolean;
  unitCode: string;
  unitNameVi: string;
  unitNameEn: string | null;
}

function ruleWhere(rule: PopulationRule): SQL | undefined {
  switch (rule.kind) {
    case "all":
      return undefined;
    case "it_dx":
      return eq(people.isItDx, true);
    case "leader":
      return eq(people.isLeader, true);
    case "category":
      return inArray(people.category, [...rule.categories]);
  }
}

/**
 * No certificate of the credential that counts on the day ending at `endMs` (same rule as `countsAt`). The unary
 * "+" keeps SQLite on the (person, credential) index: without statistics it would otherwise walk the
 * (credential, issued_at) index — every certificate of the credential — once per person.
 */
function lacksCredential(credentialId: string, endMs: number): SQL {
  return sql`not exists (
    select 1 from certificates c
    where c.person_id = ${people.id} and c.credential_id = ${credentialId} and +c.issued_at < ${endMs}
      and (c.expires_at is null or c.expires_at >= ${endMs})
      and not exists (
        select 1 from certificate_status_events e
        where e.certificate_id = c.id and e.status in ('revoked', 'suspended') and e.effective_at < ${endMs}
          and not exists (
            select 1 from certificate_status_events r
            where r.certificate_id = c.id and r.status = 'reinstated'
              and (r.effective_at > e.effective_at or (r.effective_at = e.effective_at and r.created_at > e.created_at))
          )
      )
  )`;
}

interface Resolved {
  unit: { id: string; code: string; path: string; nameVi: string; nameEn: string | null };
  base: { id: string; code: string; path: string; nameVi: string; nameEn: string | null };
  target: TargetRow;
  asOf: IsoDate;
  where: SQL;
  /** The same conditions on people alone (without the unit's path). */
  personWhere: SQL;
  simple: boolean;
}

async function resolve(scope: ReportScope, f: MissingFilters, now: number): Promise<Resolved> {
  const unit = await unitInScope(scope, f.unitCode);
  const targets = await loadTargets(undefined, { activeOnly: false });
  const target = targets.find((t) => t.code === f.targetCode);
  if (!target) throw new ReportInputError(`There is no target with the code "${f.targetCode}".`);
  let base = unit;
  if (f.subUnitCode && f.subUnitCode !== unit.code) {
    const sub = await unitInScope(scope, f.subUnitCode);
    if (!sub.path.startsWith(unit.path)) throw new ReportInputError(`Unit ${f.subUnitCode} is not under ${unit.code}.`);
    base = sub;
  }
  if (!scopeCovers(scope, base.path)) throw new Response("Forbidden", { status: 403 });
  const asOf = f.asOf ?? todayIso(now);
  const endMs = dayStartMs(addDays(asOf, 1));
  const q = (f.q ?? "").normalize("NFC").trim();
  const conditions: (SQL | undefined)[] = [
    eq(people.employmentStatus, "active"),
    ruleWhere(target.rule),
    lacksCredential(target.credentialId, endMs),
  ];
  if (q !== "") {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(${people.fullName} like ${pattern} escape '\\' or ${people.staffCode} like ${pattern} escape '\\')`);
  }
  if (f.category) {
    if (!(PERSON_CATEGORIES as readonly string[]).includes(f.category)) throw new ReportInputError(`Unknown category "${f.category}".`);
    conditions.push(eq(people.category, f.category));
  }
  const personWhere = and(...conditions)!;
  return { unit, base, target, asOf, where: and(pathUnder(orgUnits.path, base.path), personWhere)!, personWhere, simple: q === "" && !f.category };
}

const columns = {
  id: people.id,
  staffCode: people.staffCode,
  fullName: people.fullName,
  category: people.category,
  isItDx: people.isItDx,
  isLeader: people.isLeader,
  unitCode: orgUnits.code,
  unitNameVi: orgUnits.nameVi,
  unitNameEn: orgUnits.nameEn,
};

/** Where a page of the list starts: after this person (the list is ordered by unit path, name, id). */
export interface MissingCursor {
  path: string;
  name: string;
  id: string;
}

export function encodeCursor(c: MissingCursor): string {
  return Buffer.from(JSON.stringify([c.path, c.name, c.id]), "utf8").toString("base64url");
}

export function decodeCursor(raw: string | undefined): MissingCursor | null {
  if (!raw) return null;
  try {
    const [path, name, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    if (typeof path === "string" && typeof name === "string" && typeof id === "string") return { path, name, id };
  } catch {
    // fall through
  }
  throw new ReportInputError("Invalid page cursor.");
}

/**
 * One page of the list, walking the subtree's units in tree order (a few at a time, each query on the
 * people-by-unit index) from the cursor: a page deep in a national list costs the same as the first.
 */
export async function missingPeople(scope: ReportScope, f: MissingFilters & { after?: string }, now = Date.now()) {
  const r = await resolve(scope, f, now);
  const { read } = await getDatabase();
  const cursor = decodeCursor(f.after);
  const units = await read
    .select({ id: orgUnits.id, path: orgUnits.path })
    .from(orgUnits)
    .where(pathUnder(orgUnits.path, r.base.path))
    .orderBy(asc(orgUnits.path));
  let i = 0;
  if (cursor) while (i < units.length && units[i]!.path < cursor.path) i++;
  const rows: (MissingPerson & { path: string })[] = [];
  for (let step = 5; i < units.length && rows.length <= MISSING_PAGE_SIZE; i += step, step = Math.min(step * 2, 200)) {
    const group = units.slice(i, i + step).map((u) => u.id);
    const after = cursor
      ? sql`(${orgUnits.path} > ${cursor.path} or (${orgUnits.path} = ${cursor.path} and (${people.fullName} > ${cursor.name} or (${people.fullName} = ${cursor.name} and ${people.id} > ${cursor.id}))))`
      : undefined;
    rows.push(
      ...(await read
        .select({ ...columns, path: orgUnits.path })
        .from(people)
        .innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId))
        .where(and(inArray(people.orgUnitId, group), r.where, after))
        .orderBy(asc(orgUnits.path), asc(people.fullName), asc(people.id))
        .limit(MISSING_PAGE_SIZE + 1 - rows.length)),
    );
  }
  const more = rows.length > MISSING_PAGE_SIZE;
  const page = rows.slice(0, MISSING_PAGE_SIZE);
  const last = page[page.length - 1];
  let total: number;
  if (r.simple) {
    // Without name or category filters the count is population − holders, which the counters know.
    await ensureCountersBuilt(now);
    const counts = await subtreeCounts(read, [{ id: r.base.id, path: r.base.path }], r.asOf, targetKeys([r.target]));
    const c = countsForTarget(r.target, counts.get(r.base.id));
    total = c.population - Math.min(c.holders, c.population);
  } else {
    const [row] = await read
      .select({ n: sql<number>`count(*)` })
      .from(people)
      .innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId))
      .where(r.where);
    total = Number(row?.n ?? 0);
  }
  return {
    unit: r.unit,
    base: r.base,
    target: r.target,
    asOf: r.asOf,
    rows: page.map(({ path: _path, ...p }) => p),
    total,
    pageSize: MISSING_PAGE_SIZE,
    next: more && last ? encodeCursor({ path: last.path, name: last.fullName, id: last.id }) : null,
    isFirstPage: cursor === null,
  };
}

/**
 * Every missing person, unit by unit in tree order and in storage (rowid) order within a unit, `batch` rows per
 * query: constant memory however many there are, and every query walks the people-by-unit index in its own order
 * (no sort). The query is built with drizzle but run on the raw client, and units are looked up from a map: an
 * export of millions of rows spends its time in SQLite, not in mapping rows to objects.
 */
export async function* missingPeopleStream(scope: ReportScope, f: MissingFilters, now = Date.now(), batch = 10_000): AsyncGenerator<MissingPerson> {
  const r = await resolve(scope, f, now);
  const { read, readClient } = await getDatabase();
  const units = await read
    .select({ id: orgUnits.id, code: orgUnits.code, nameVi: orgUnits.nameVi, nameEn: orgUnits.nameEn })
    .from(orgUnits)
    .where(pathUnder(orgUnits.path, r.base.path))
    .orderBy(asc(orgUnits.path));
  for (const unit of units) {
    let after = 0;
    for (;;) {
      // One text column per row (fields joined by U+001F): the client builds one value per row instead of seven,
      // which halves the time of a national export.
      const query = read
        .select({
          line: sql<string>`"people"."rowid" || char(31) || ${people.id} || char(31) || ${people.staffCode} || char(31) || ${people.category} || char(31) || ${people.isItDx} || char(31) || ${people.isLeader} || char(31) || ${people.fullName}`,
        })
        .from(people)
        .where(and(eq(people.orgUnitId, unit.id), r.personWhere, sql`"people"."rowid" > ${after}`))
        .orderBy(sql`"people"."rowid"`)
        .limit(batch)
        .toSQL();
      const { rows } = await readClient.execute({ sql: query.sql, args: query.params as never[] });
      let last = "";
      for (const row of rows) {
        const f = (row[0] as string).split("\u001f");
        last = f[0]!;
        yield {
          id: f[1]!,
          staffCode: f[2]!,
          category: f[3] as PersonCategory,
          isItDx: f[4] === "1",
          isLeader: f[5] === "1",
          // The name comes last, so a separator inside it (import refuses control characters) cannot shift fields.
          fullName: f.length === 7 ? f[6]! : f.slice(6).join("\u001f"),
          unitCode: unit.code,
          unitNameVi: unit.nameVi,
          unitNameEn: unit.nameEn,
        };
      }
      if (rows.length < batch) break;
      after = Number(last);
    }
  }
}

export async function missingExportInfo(scope: ReportScope, f: MissingFilters, now = Date.now()) {
  const r = await resolve(scope, f, now);
  return { unit: r.unit, base: r.base, target: r.target, asOf: r.asOf };
}

/** The missing-people page: the list, plus what its filters offer (targets, the unit's children). */
export async function missingPage(scope: ReportScope, f: Omit<MissingFilters, "targetCode"> & { targetCode?: string; after?: string }, now = Date.now()) {
  const unit = await unitInScope(scope, f.unitCode);
  const targets = await loadTargets(undefined, { activeOnly: true });
  const targetCode = f.targetCode && targets.some((t) => t.code === f.targetCode) ? f.targetCode : targets[0]?.code;
  if (!targetCode) throw new ReportInputError("There is no active target.");
  const { read } = await getDatabase();
  const children = await read
    .select({ code: orgUnits.code, nameVi: orgUnits.nameVi, nameEn: orgUnits.nameEn })
    .from(orgUnits)
    .where(eq(orgUnits.parentId, unit.id))
    .orderBy(asc(orgUnits.code));
  const list = await missingPeople(scope, { ...f, targetCode }, now);
  return { ...list, targets, children };
}
