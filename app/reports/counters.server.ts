/**
 * Per-unit coverage counters (table coverage_counters), kept exact in the same write as every roster change,
 * certificate issue and status change, so that a national roll-up reads a few dozen rows instead of 2.5 M people.
 *
 * Rows, per unit × credential × segment (segment = a population-rule key: all, it_dx, leader, category:<x>):
 *  - `<seg>`            the unit's OWN active people in the segment (population) and those of them who hold a
 *                       counting certificate of the credential on the counters' day C (holders);
 *  - `<seg>|new90`      holders on C who did not hold on C − 90 days (population column unused, 0);
 *  - `tree:<seg>`, `tree:<seg>|new90`   the same over the unit's whole subtree (own rows rolled up), so that a
 *                       unit page reads its own row and its children's rows, whatever the size of the subtree.
 * Zero rows are deleted.
 *
 * Time. "Counts on day D" changes with nothing written (a certificate expires, the 90-day window slides), so the
 * counters are exact for one day C, kept in app_meta (`reports.counters_day`). Every counter write first
 * advances C to today; readers asking for another day D add a correction computed for the few people whose
 * certificates have a breakpoint (issue, expiry, revocation) between C and D or between C − 90 and D − 90. The
 * expiry breakpoints are found through the (credential_id, issued_at) index with the range of validity spans
 * seen (`reports.expiry_spans`): certificates has no index on expires_at (schema gap, reported).
 *
 * Certificate issuing calls `applyCertificateIssued` / `applyCertificateRevoked` inside its own write. Until the
 * counters are built once (`reports:rebuild`, or the first report on a database), they are not maintained.
 */
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import {
  appMeta,
  certificates,
  certificateStatusEvents,
  coverageCounters,
  CREDENTIAL_IDS,
  orgUnits,
  people,
} from "#db/schema";
import type { Database, DbOrTx, Tx } from "~/db.server";
import { getDatabase } from "~/db.server";
import { countsAt, PACE_WINDOW_DAYS, segmentsOfPerson, type CertLite, type PersonCategory, type PersonLite } from "./coverage";
import { addDays, isoDateAt, toDayNumber, VIETNAM_UTC_OFFSET_MINUTES, type IsoDate } from "./dates";

export const META_COUNTERS_DAY = "reports.counters_day";
export const META_EXPIRY_SPANS = "reports.expiry_spans";
export const NEW90 = "|new90";
export const TREE = "tree:";
const DAY_MS = 86_400_000;
const CHUNK = 400;

export const ALL_CREDENTIALS: readonly string[] = CREDENTIAL_IDS;

/** First instant (ms) of a Vietnamese calendar day. */
export function dayStartMs(day: IsoDate): number {
  return toDayNumber(day) * DAY_MS - VIETNAM_UTC_OFFSET_MINUTES * 60_000;
}

export function todayIso(now = Date.now()): IsoDate {
  return isoDateAt(now);
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// People and certificates reduced to what counting needs

export interface PersonState {
  id: string;
  unitId: string;
  unitPath: string;
  lite: PersonLite;
}

export interface StatusEventLite {
  status: "revoked" | "suspended" | "reinstated";
  effectiveAt: number;
  createdAt: number;
  id?: string;
}

/**
 * When the revocation now in force took effect (ms), or null. A revocation or suspension counts unless a
 * reinstatement comes after it (by effective time, then by recording time); the date is that of the first
 * revocation or suspension of the run still in force.
 */
export function revokedAtOf(events: readonly StatusEventLite[]): number | null {
  const after = (a: StatusEventLite, b: StatusEventLite) => a.effectiveAt > b.effectiveAt || (a.effectiveAt === b.effectiveAt && a.createdAt > b.createdAt);
  let at: number | null = null;
  for (const e of events) {
    if (e.status === "reinstated") continue;
    if (events.some((r) => r.status === "reinstated" && after(r, e))) continue;
    if (at === null || e.effectiveAt < at) at = e.effectiveAt;
  }
  return at;
}

export interface CertRow {
  id: string;
  personId: string;
  credentialId: string;
  issuedAt: number;
  expiresAt: number | null;
}

export function certLite(c: CertRow, events: readonly StatusEventLite[]): CertLite {
  const revokedAt = revokedAtOf(events);
  return {
    personId: c.personId,
    credentialId: c.credentialId,
    issuedOn: isoDateAt(c.issuedAt),
    revokedOn: revokedAt === null ? null : isoDateAt(revokedAt),
    expiresOn: c.expiresAt === null ? null : isoDateAt(c.expiresAt),
  };
}

export async function loadPersonStates(db: DbOrTx, personIds: readonly string[]): Promise<Map<string, PersonState>> {
  const out = new Map<string, PersonState>();
  for (const ids of chunks([...new Set(personIds)])) {
    const rows = await db
      .select({
        id: people.id,
        unitId: people.orgUnitId,
        unitPath: orgUnits.path,
        category: people.category,
        isItDx: people.isItDx,
        isLeader: people.isLeader,
        status: people.employmentStatus,
      })
      .from(people)
      .innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId))
      .where(inArray(people.id, ids));
    for (const r of rows) {
      out.set(r.id, {
        id: r.id,
        unitId: r.unitId,
        unitPath: r.unitPath,
        lite: { id: r.id, category: r.category, isItDx: r.isItDx, isLeader: r.isLeader, active: r.status === "active" },
      });
    }
  }
  return out;
}

/** Every certificate of these people (optionally of some credentials), with its status events. */
export async function loadCertRows(
  db: DbOrTx,
  personIds: readonly string[],
  credentialIds?: readonly string[],
): Promise<{ cert: CertRow; events: StatusEventLite[] }[]> {
  const out: { cert: CertRow; events: StatusEventLite[] }[] = [];
  for (const ids of chunks([...new Set(personIds)])) {
    const where = credentialIds
      ? and(inArray(certificates.personId, ids), inArray(certificates.credentialId, [...credentialIds]))
      : inArray(certificates.personId, ids);
    const certs = await db
      .select({
        id: certificates.id,
        personId: certificates.personId,
        credentialId: certificates.credentialId,
        issuedAt: certificates.issuedAt,
        expiresAt: certificates.expiresAt,
      })
      .from(certificates)
      .where(where);
    if (certs.length === 0) continue;
    const events = new Map<string, StatusEventLite[]>();
    for (const certIds of chunks(certs.map((c) => c.id))) {
      const rows = await db
        .select({
          id: certificateStatusEvents.id,
          certificateId: certificateStatusEvents.certificateId,
          status: certificateStatusEvents.status,
          effectiveAt: certificateStatusEvents.effectiveAt,
          createdAt: certificateStatusEvents.createdAt,
        })
        .from(certificateStatusEvents)
        .where(inArray(certificateStatusEvents.certificateId, certIds));
      for (const r of rows) {
        let list = events.get(r.certificateId);
        if (!list) events.set(r.certificateId, (list = []));
        list.push({ id: r.id, status: r.status, effectiveAt: r.effectiveAt, createdAt: r.createdAt });
      }
    }
    for (const c of certs) out.push({ cert: c, events: events.get(c.id) ?? [] });
  }
  return out;
}

export async function loadCertLites(db: DbOrTx, personIds: readonly string[], credentialIds?: readonly string[]): Promise<Map<string, CertLite[]>> {
  const out = new Map<string, CertLite[]>();
  for (const { cert, events } of await loadCertRows(db, personIds, credentialIds)) {
    let list = out.get(cert.personId);
    if (!list) out.set(cert.personId, (list = []));
    list.push(certLite(cert, events));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Contributions and deltas

/** Own-row deltas keyed `unitId \t credentialId \t segment`. */
export type Delta = Map<string, { population: number; holders: number }>;

const keyOf = (unitId: string, credentialId: string, segment: string) => `${unitId}\t${credentialId}\t${segment}`;

function bump(delta: Delta, key: string, population: number, holders: number): void {
  if (population === 0 && holders === 0) return;
  const cur = delta.get(key);
  if (cur) {
    cur.population += population;
    cur.holders += holders;
  } else delta.set(key, { population, holders });
}

/** Adds `sign` × what one person contributes to their unit's own rows on `day`. */
export function addContribution(
  delta: Delta,
  person: Pick<PersonState, "unitId" | "lite">,
  certs: readonly CertLite[],
  day: IsoDate,
  sign: 1 | -1,
  credentialIds: readonly string[] = ALL_CREDENTIALS,
  snapshotDays: readonly IsoDate[] = [],
): void {
  const segments = segmentsOfPerson(person.lite);
  if (segments.length === 0) return;
  const before = addDays(day, -PACE_WINDOW_DAYS);
  for (const credentialId of credentialIds) {
    let now = false;
    let then = false;
    for (const c of certs) {
      if (c.credentialId !== credentialId) continue;
      if (!now && countsAt(c, day)) now = true;
      if (!then && countsAt(c, before)) then = true;
    }
    for (const seg of segments) {
      bump(delta, keyOf(person.unitId, credentialId, seg), sign, now ? sign : 0);
      if (now && !then) bump(delta, keyOf(person.unitId, credentialId, seg + NEW90), 0, sign);
    }
    for (const d of snapshotDays) {
      if (!certs.some((c) => c.credentialId === credentialId && countsAt(c, d))) continue;
      for (const seg of segments) bump(delta, keyOf(person.unitId, credentialId, `${SNAP}${d}:${seg}`), 0, sign);
    }
  }
}

/** The ancestors (root first, the unit itself last) of each unit: ids from the materialised code paths. */
async function ancestorChains(db: DbOrTx, unitIds: readonly string[]): Promise<Map<string, string[]>> {
  const paths = new Map<string, string>();
  for (const ids of chunks([...new Set(unitIds)])) {
    for (const r of await db.select({ id: orgUnits.id, path: orgUnits.path }).from(orgUnits).where(inArray(orgUnits.id, ids))) paths.set(r.id, r.path);
  }
  const codes = new Set<string>();
  for (const p of paths.values()) for (const c of p.split("/")) if (c) codes.add(c);
  const idOfCode = new Map<string, string>();
  for (const cs of chunks([...codes])) {
    for (const r of await db.select({ id: orgUnits.id, code: orgUnits.code }).from(orgUnits).where(inArray(orgUnits.code, cs))) idOfCode.set(r.code, r.id);
  }
  const out = new Map<string, string[]>();
  for (const [id, p] of paths) {
    out.set(
      id,
      p
        .split("/")
        .filter(Boolean)
        .map((c) => {
          const a = idOfCode.get(c);
          if (!a) throw new Error(`counters: unit ${id} has the path ${p}, whose unit ${c} does not exist`);
          return a;
        }),
    );
  }
  return out;
}

/** Own deltas plus their roll-up into the `tree:` rows of every ancestor (and the unit itself). */
export async function withTreeRows(db: DbOrTx, own: Delta): Promise<Delta> {
  const out: Delta = new Map();
  const units = new Set<string>();
  for (const key of own.keys()) units.add(key.slice(0, key.indexOf("\t")));
  const chains = await ancestorChains(db, [...units]);
  for (const [key, v] of own) {
    if (v.population === 0 && v.holders === 0) continue;
    const [unitId, credentialId, segment] = key.split("\t") as [string, string, string];
    const chain = chains.get(unitId);
    if (!chain) throw new Error(`counters: unknown unit ${unitId}`);
    if (segment.startsWith(SNAP)) {
      // Snapshots exist for the national unit and depth-1 units only, and have no own rows.
      for (const a of chain.slice(0, SNAPSHOT_MAX_DEPTH + 1)) bump(out, keyOf(a, credentialId, segment), v.population, v.holders);
      continue;
    }
    bump(out, key, v.population, v.holders);
    for (const a of chain) bump(out, keyOf(a, credentialId, TREE + segment), v.population, v.holders);
  }
  return out;
}

/** Adds the deltas (own and tree rows) to coverage_counters and deletes rows that became zero. */
export async function applyDelta(tx: Tx, own: Delta, now = Date.now()): Promise<number> {
  return writeCounterRows(tx, await withTreeRows(tx, own), now);
}

function mergeInto(cur: { population: number; holders: number } | undefined, v: { population: number; holders: number }) {
  return cur ? { population: cur.population + v.population, holders: cur.holders + v.holders } : { ...v };
}

/** Sums two expanded deltas (own, tree and snapshot rows) into the first. */
export function mergeDelta(into: Delta, more: Delta): Delta {
  for (const [k, v] of more) bump(into, k, v.population, v.holders);
  return into;
}

/** Adds already expanded rows (see `withTreeRows`) to coverage_counters and deletes rows that became zero. */
export async function writeCounterRows(tx: Tx, full: Delta, now = Date.now()): Promise<number> {
  const rows = [...full]
    .filter(([, v]) => v.population !== 0 || v.holders !== 0)
    .map(([key, v]) => {
      const [orgUnitId, credentialId, segment] = key.split("\t") as [string, string, string];
      return { orgUnitId, credentialId: credentialId as (typeof CREDENTIAL_IDS)[number], segment, population: v.population, holders: v.holders, updatedAt: now };
    });
  for (const part of chunks(rows, 200)) {
    await tx
      .insert(coverageCounters)
      .values(part)
      .onConflictDoUpdate({
        target: [coverageCounters.orgUnitId, coverageCounters.credentialId, coverageCounters.segment],
        set: {
          population: sql.raw(`population + excluded.population`),
          holders: sql.raw(`holders + excluded.holders`),
          updatedAt: sql.raw(`excluded.updated_at`),
        },
      });
  }
  const touched = [...new Set(rows.map((r) => r.orgUnitId))];
  for (const ids of chunks(touched)) {
    await tx.delete(coverageCounters).where(and(inArray(coverageCounters.orgUnitId, ids), eq(coverageCounters.population, 0), eq(coverageCounters.holders, 0)));
  }
  return rows.length;
}

/** What a set of people contribute (own rows, all credentials, snapshot days included), times `sign`. */
export function peopleDelta(states: Map<string, PersonState>, certs: Map<string, CertLite[]>, day: IsoDate, sign: 1 | -1, snaps: readonly IsoDate[]): Delta {
  const delta: Delta = new Map();
  for (const [id, state] of states) addContribution(delta, state, certs.get(id) ?? [], day, sign, ALL_CREDENTIALS, snaps);
  return delta;
}

// ---------------------------------------------------------------------------------------------------------------
// The counters' day and the expiry spans

async function getMeta(db: DbOrTx, key: string): Promise<string | null> {
  const [row] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, key));
  return row?.value ?? null;
}

async function setMeta(tx: Tx, key: string, value: string): Promise<void> {
  await tx.insert(appMeta).values({ key, value }).onConflictDoUpdate({ target: appMeta.key, set: { value } });
}

/** The day the counters are exact for; null while they have never been built. */
export async function countersDay(db: DbOrTx): Promise<IsoDate | null> {
  return getMeta(db, META_COUNTERS_DAY);
}

/** Per credential, the shortest and longest expires_at − issued_at seen (ms). */
export type ExpirySpans = Record<string, [number, number]>;

export async function expirySpans(db: DbOrTx): Promise<ExpirySpans> {
  const raw = await getMeta(db, META_EXPIRY_SPANS);
  return raw ? (JSON.parse(raw) as ExpirySpans) : {};
}

async function widenExpirySpan(tx: Tx, credentialId: string, span: number): Promise<void> {
  const spans = await expirySpans(tx);
  const cur = spans[credentialId];
  if (cur && cur[0] <= span && span <= cur[1]) return;
  spans[credentialId] = cur ? [Math.min(cur[0], span), Math.max(cur[1], span)] : [span, span];
  await setMeta(tx, META_EXPIRY_SPANS, JSON.stringify(spans));
}

// ---------------------------------------------------------------------------------------------------------------
// Breakpoints: who may count differently on two days

/**
 * People whose counting may differ between day `a` and day `b` (either order), or between a − 90 and b − 90:
 * a certificate issued, expiring or revoked in between. `scopePath` limits the search to a subtree.
 */
export async function breakpointPeople(db: DbOrTx, a: IsoDate, b: IsoDate, scopePath?: string): Promise<string[]> {
  if (a === b) return [];
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const ranges: [number, number][] = [
    [dayStartMs(addDays(lo, 1)), dayStartMs(addDays(hi, 1))],
    [dayStartMs(addDays(lo, 1 - PACE_WINDOW_DAYS)), dayStartMs(addDays(hi, 1 - PACE_WINDOW_DAYS))],
  ];
  // Merge overlapping ranges (a gap of more than 90 days makes them overlap).
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  const spans = await expirySpans(db);
  const found = new Set<string>();
  const scoped = (rows: { personId: string; path: string | null }[]) => {
    for (const r of rows) if (!scopePath || (r.path !== null && r.path.startsWith(scopePath))) found.add(r.personId);
  };
  const certPeople = (where: ReturnType<typeof and>) =>
    db
      .selectDistinct({ personId: certificates.personId, path: orgUnits.path })
      .from(certificates)
      .innerJoin(people, eq(people.id, certificates.personId))
      .innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId))
      .where(where);
  for (const [from, to] of merged) {
    for (const credentialId of ALL_CREDENTIALS) {
      const cred = credentialId as (typeof CREDENTIAL_IDS)[number];
      scoped(await certPeople(and(eq(certificates.credentialId, cred), gte(certificates.issuedAt, from), lt(certificates.issuedAt, to))));
      const span = spans[credentialId];
      if (span) {
        scoped(
          await certPeople(
            and(
              eq(certificates.credentialId, cred),
              gte(certificates.issuedAt, from - span[1]),
              lt(certificates.issuedAt, to - span[0] + 1),
              gte(certificates.expiresAt, from),
              lt(certificates.expiresAt, to),
            ),
          ),
        );
      }
    }
    scoped(
      await db
        .selectDistinct({ personId: certificates.personId, path: orgUnits.path })
        .from(certificateStatusEvents)
        .innerJoin(certificates, eq(certificates.id, certificateStatusEvents.certificateId))
        .innerJoin(people, eq(people.id, certificates.personId))
        .innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId))
        .where(and(gte(certificateStatusEvents.effectiveAt, from), lt(certificateStatusEvents.effectiveAt, to))),
    );
  }
  return [...found];
}

/** Own-row deltas that turn counters exact on day `from` into counters exact on day `to`. */
export async function driftDelta(
  db: DbOrTx,
  from: IsoDate,
  to: IsoDate,
  scopePath?: string,
  exclude: ReadonlySet<string> = new Set(),
): Promise<{ delta: Delta; states: Map<string, PersonState> }> {
  const delta: Delta = new Map();
  const ids = (await breakpointPeople(db, from, to, scopePath)).filter((id) => !exclude.has(id));
  const states = await loadPersonStates(db, ids);
  const certs = await loadCertLites(db, ids);
  for (const id of ids) {
    const state = states.get(id);
    if (!state) continue;
    const mine = certs.get(id) ?? [];
    addContribution(delta, state, mine, from, -1);
    addContribution(delta, state, mine, to, 1);
  }
  return { delta, states };
}

/**
 * Makes the counters exact for `today` (inside a counter write), except for the `exclude`d people, whose
 * contribution stays the one of the previous day: the caller moves them itself (a hook whose certificate row may
 * already be inserted). Returns the previous day, or null when the counters have never been built (then nothing
 * is maintained: the first build counts everything).
 */
export async function advanceCounters(tx: Tx, today: IsoDate, now = Date.now(), exclude?: ReadonlySet<string>): Promise<IsoDate | null> {
  const day = await countersDay(tx);
  if (day === null) return null;
  let cur = day;
  // Stop at every month end on the way to record its snapshot, then go on.
  const stops = day < today ? [...monthEndsBetween(day, today), today] : [today];
  for (const stop of stops) {
    if (stop !== cur) {
      const { delta } = await driftDelta(tx, cur, stop, undefined, exclude);
      await applyDelta(tx, delta, now);
      await setMeta(tx, META_COUNTERS_DAY, stop);
      cur = stop;
    }
    if (stop !== today) await writeSnapshot(tx, stop, now);
  }
  return day;
}

// ---------------------------------------------------------------------------------------------------------------
// Month-end snapshots of the big subtrees (the chart's history)

/**
 * For the national unit and each ministry or province (depth ≤ 1), the holders of every month end are kept as
 * rows `snap:<YYYY-MM-DD>:<segment>` (population column 0), recorded when the counters pass that day (and
 * recomputed for the last 12 month ends by a rebuild). Every person-level change (roster, issue, revocation)
 * adjusts them like the other rows, so they stay "today's roster, holding on that day" — the same definition as
 * the reports — and the chart of a big subtree reads them instead of re-deriving a year of history from hundreds
 * of thousands of certificates.
 */
export const SNAP = "snap:";
export const SNAPSHOT_MAX_DEPTH = 1;
export const SNAPSHOT_MONTHS = 12;

/** Last days of months M with from ≤ M < to. */
export function monthEndsBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  let [y, m] = from.split("-").map(Number) as [number, number];
  for (;;) {
    const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    if (end >= to) break;
    if (end >= from) out.push(end);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The last `n` month ends strictly before `day`, oldest first. */
export function monthEndsBefore(day: IsoDate, n: number): IsoDate[] {
  const [y, m] = day.split("-").map(Number) as [number, number];
  const out: IsoDate[] = [];
  for (let i = n; i >= 1; i--) {
    const end = new Date(Date.UTC(y, m - i, 0)).toISOString().slice(0, 10);
    if (end < day) out.push(end);
  }
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  if (last < day) out.push(last);
  return out.slice(-n);
}

async function snapshotUnits(db: DbOrTx): Promise<string[]> {
  return (await db.select({ id: orgUnits.id }).from(orgUnits).where(sql`${orgUnits.depth} <= ${SNAPSHOT_MAX_DEPTH}`)).map((r) => r.id);
}

/** Copies the current `tree:` rows of the snapshot units as the snapshot of `day` (counters must be at `day`). */
async function writeSnapshot(tx: Tx, day: IsoDate, now: number): Promise<void> {
  const units = await snapshotUnits(tx);
  const rows: (typeof coverageCounters.$inferInsert)[] = [];
  for (const ids of chunks(units)) {
    const tree = await tx
      .select()
      .from(coverageCounters)
      .where(and(inArray(coverageCounters.orgUnitId, ids), sql`${coverageCounters.segment} like 'tree:%'`, sql`${coverageCounters.segment} not like '%|new90'`));
    for (const r of tree) if (r.holders !== 0) rows.push({ ...r, population: 0, segment: `${SNAP}${day}:${r.segment.slice(TREE.length)}`, updatedAt: now });
    await tx.delete(coverageCounters).where(and(inArray(coverageCounters.orgUnitId, ids), sql`${coverageCounters.segment} like ${`${SNAP}${day}:%`}`));
  }
  for (const part of chunks(rows, 200)) await tx.insert(coverageCounters).values(part);
  const days = new Set(await snapshotDays(tx));
  days.add(day);
  await setMeta(tx, META_SNAPSHOT_DAYS, JSON.stringify([...days].sort()));
}

export const META_SNAPSHOT_DAYS = "reports.snapshot_days";

/** The month ends that have snapshots (kept in step by every person-level change). */
export async function snapshotDays(db: DbOrTx): Promise<IsoDate[]> {
  const raw = await getMeta(db, META_SNAPSHOT_DAYS);
  return raw ? (JSON.parse(raw) as IsoDate[]) : [];
}

/**
 * Snapshot holders of a unit (depth ≤ 1) for those of `days` that have snapshots: Map day → counts keyed
 * `credentialId|segment` (empty when nobody held anything that day).
 */
export async function readSnapshots(db: DbOrTx, unit: { id: string; depth: number }, days: readonly IsoDate[]): Promise<Map<IsoDate, CountsByKey>> {
  const out = new Map<IsoDate, CountsByKey>();
  if (days.length === 0 || unit.depth > SNAPSHOT_MAX_DEPTH) return out;
  const recorded = new Set(await snapshotDays(db));
  for (const d of days) if (recorded.has(d)) out.set(d, new Map());
  const unitId = unit.id;
  const rows = await db
    .select({ credentialId: coverageCounters.credentialId, segment: coverageCounters.segment, population: coverageCounters.population, holders: coverageCounters.holders })
    .from(coverageCounters)
    .where(and(eq(coverageCounters.orgUnitId, unitId), sql`${coverageCounters.segment} like 'snap:%'`));
  const wanted = new Set(days);
  for (const r of rows) {
    const day = r.segment.slice(SNAP.length, SNAP.length + 10);
    const m = out.get(day);
    if (!wanted.has(day) || !m) continue;
    m.set(`${r.credentialId}|${r.segment.slice(SNAP.length + 11)}`, { population: r.population, holders: r.holders });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Hooks for writers

export interface PersonSnapshot {
  day: IsoDate;
  states: Map<string, PersonState>;
  certs: Map<string, CertLite[]>;
}

/**
 * Before changing people (unit, flags, category, status) in a write: their contribution now. Pass it to
 * `applyPeopleChanged` after the change. Returns null when counters are not maintained yet.
 */
export async function snapshotPeople(tx: Tx, personIds: readonly string[], now = Date.now()): Promise<PersonSnapshot | null> {
  const day = todayIso(now);
  if ((await advanceCounters(tx, day, now)) === null) return null;
  return { day, states: await loadPersonStates(tx, personIds), certs: await loadCertLites(tx, personIds) };
}

/**
 * After the change: replaces the snapshot's contribution by the people's current one (`personIds` are read back
 * from the database). `created` are people inserted by this same write, given as inserted: a new person holds no
 * certificate yet, so nothing needs reading back (a 100,000-row import saves 500 queries).
 */
export async function applyPeopleChanged(
  tx: Tx,
  snapshot: PersonSnapshot | null,
  personIds: readonly string[],
  now = Date.now(),
  created: readonly Pick<PersonState, "unitId" | "lite">[] = [],
): Promise<void> {
  if (snapshot === null) return;
  const delta: Delta = new Map();
  const snaps = await snapshotDays(tx);
  for (const [id, state] of snapshot.states) addContribution(delta, state, snapshot.certs.get(id) ?? [], snapshot.day, -1, ALL_CREDENTIALS, snaps);
  const after = await loadPersonStates(tx, personIds);
  const certs = await loadCertLites(tx, personIds);
  for (const [id, state] of after) addContribution(delta, state, certs.get(id) ?? [], snapshot.day, 1, ALL_CREDENTIALS, snaps);
  for (const person of created) addContribution(delta, person, [], snapshot.day, 1, ALL_CREDENTIALS, snaps);
  await applyDelta(tx, delta, now);
}

/** The certificate row as inserted (extra columns are ignored). */
export interface IssuedCertificate {
  id: string;
  personId: string;
  credentialId: string;
  issuedAt: number;
  expiresAt?: number | null;
}

/**
 * Call in the write that inserts a certificate, before or after the insert. Counts the certificate for its
 * holder's unit (and every ancestor) when it counts today.
 */
export async function applyCertificateIssued(tx: Tx, cert: IssuedCertificate, now = Date.now()): Promise<void> {
  const today = todayIso(now);
  if (cert.expiresAt != null) await widenExpirySpan(tx, cert.credentialId, cert.expiresAt - cert.issuedAt);
  const day = await advanceCounters(tx, today, now, new Set([cert.personId]));
  if (day === null) return;
  const state = (await loadPersonStates(tx, [cert.personId])).get(cert.personId);
  if (!state) throw new Error(`applyCertificateIssued: person ${cert.personId} does not exist`);
  const others = (await loadCertRows(tx, [cert.personId])).filter((r) => r.cert.id !== cert.id);
  const before = others.map((r) => certLite(r.cert, r.events));
  const row: CertRow = { id: cert.id, personId: cert.personId, credentialId: cert.credentialId, issuedAt: cert.issuedAt, expiresAt: cert.expiresAt ?? null };
  const after = [...before, certLite(row, [])];
  // From what the counters hold for this person (the day before, without the certificate) to today with it.
  const delta: Delta = new Map();
  const snaps = await snapshotDays(tx);
  addContribution(delta, state, before, day, -1, ALL_CREDENTIALS, snaps);
  addContribution(delta, state, after, today, 1, ALL_CREDENTIALS, snaps);
  await applyDelta(tx, delta, now);
}

/** The certificate_status_events row as inserted (revoked, suspended or reinstated). */
export interface CertificateStatusChange {
  id: string;
  certificateId: string;
  status: "revoked" | "suspended" | "reinstated";
  effectiveAt: number;
  createdAt?: number;
}

/**
 * Call in the write that records a revocation, suspension or reinstatement, before or after inserting the
 * event row. (One hook for the three: a reinstatement is the same recount.)
 */
export async function applyCertificateRevoked(tx: Tx, change: CertificateStatusChange, now = Date.now()): Promise<void> {
  const today = todayIso(now);
  const [cert] = await tx
    .select({ id: certificates.id, personId: certificates.personId, credentialId: certificates.credentialId, issuedAt: certificates.issuedAt, expiresAt: certificates.expiresAt })
    .from(certificates)
    .where(eq(certificates.id, change.certificateId));
  if (!cert) throw new Error(`applyCertificateRevoked: certificate ${change.certificateId} does not exist`);
  const day = await advanceCounters(tx, today, now, new Set([cert.personId]));
  if (day === null) return;
  const state = (await loadPersonStates(tx, [cert.personId])).get(cert.personId);
  if (!state) throw new Error(`applyCertificateRevoked: person ${cert.personId} does not exist`);
  const rows = await loadCertRows(tx, [cert.personId]);
  const lites = (withEvent: boolean) =>
    rows.map((r) => {
      const events = r.events.filter((e) => e.id !== change.id);
      if (withEvent && r.cert.id === change.certificateId) {
        events.push({ id: change.id, status: change.status, effectiveAt: change.effectiveAt, createdAt: change.createdAt ?? now });
      }
      return certLite(r.cert, events);
    });
  const delta: Delta = new Map();
  const snaps = await snapshotDays(tx);
  addContribution(delta, state, lites(false), day, -1, ALL_CREDENTIALS, snaps);
  addContribution(delta, state, lites(true), today, 1, ALL_CREDENTIALS, snaps);
  await applyDelta(tx, delta, now);
}

// ---------------------------------------------------------------------------------------------------------------
// Full recomputation

/**
 * Own-row counts from scratch for `day`, person by person with the same `addContribution` the incremental
 * updates use (the reference `reports:rebuild --check` and the tests compare the stored counters with). With
 * `snapshotDays`, also the snapshot holders of those days (rolled up to depth ≤ 1 by `withTreeRows`).
 */
export async function recomputeOwnCounts(db: DbOrTx, day: IsoDate, snapshotDays: readonly IsoDate[] = []): Promise<Delta> {
  const delta: Delta = new Map();
  const unitIds = (await db.selectDistinct({ id: people.orgUnitId }).from(people).where(eq(people.employmentStatus, "active"))).map((r) => r.id);
  for (const units of chunks(unitIds, 50)) {
    const rows = await db
      .select({ id: people.id, unitId: people.orgUnitId, category: people.category, isItDx: people.isItDx, isLeader: people.isLeader })
      .from(people)
      .where(and(inArray(people.orgUnitId, units), eq(people.employmentStatus, "active")));
    for (const batch of chunks(rows, 2000)) {
      const certs = await loadCertLites(db, batch.map((r) => r.id));
      for (const r of batch) {
        const lite: PersonLite = { id: r.id, category: r.category, isItDx: r.isItDx, isLeader: r.isLeader, active: true };
        addContribution(delta, { unitId: r.unitId, lite }, certs.get(r.id) ?? [], day, 1, ALL_CREDENTIALS, snapshotDays);
      }
    }
  }
  return delta;
}

async function recomputeExpirySpans(db: DbOrTx): Promise<ExpirySpans> {
  const rows = await db
    .select({
      credentialId: certificates.credentialId,
      min: sql<number>`min(${certificates.expiresAt} - ${certificates.issuedAt})`,
      max: sql<number>`max(${certificates.expiresAt} - ${certificates.issuedAt})`,
    })
    .from(certificates)
    .where(sql`${certificates.expiresAt} is not null`)
    .groupBy(certificates.credentialId);
  const spans: ExpirySpans = {};
  for (const r of rows) spans[r.credentialId] = [Number(r.min), Number(r.max)];
  return spans;
}

/**
 * Recomputes every counter from people and certificates, for today, in one write (readers keep seeing the old
 * counters until it commits). Returns the number of rows written.
 */
export async function rebuildCounters(options: { now?: number } = {}): Promise<{ day: IsoDate; rows: number }> {
  return rebuildCountersIn(await getDatabase(), options.now);
}

/**
 * `rebuildCounters` on a database handle other than the app's (an offline bulk load such as seed:national, which
 * must leave the counters exact for today so that the first report does not rebuild them inside a request).
 */
export async function rebuildCountersIn(database: Pick<Database, "write">, now = Date.now()): Promise<{ day: IsoDate; rows: number }> {
  const day = todayIso(now);
  return database.write(async (tx) => ({ day, rows: await buildCounters(tx, day, now) }));
}

/** A SQL string literal (SQLite: quotes doubled, no other escapes). */
const literal = (v: string) => `'${v.replaceAll("'", "''")}'`;

/**
 * Inserts expanded rows into an EMPTY coverage_counters (the rebuild deleted them all): plain multi-row INSERTs of
 * literal values, 500 rows a statement. The upsert path (`writeCounterRows`) builds a bound parameter per value
 * through drizzle, which made it two thirds of a rebuild (40 s of 72 s for 170,000 rows at 100,000 people).
 */
async function insertFreshCounterRows(tx: Tx, full: Delta, now: number): Promise<number> {
  const values: string[] = [];
  for (const [key, v] of full) {
    if (v.population === 0 && v.holders === 0) continue;
    const [orgUnitId, credentialId, segment] = key.split("\t") as [string, string, string];
    values.push(`(${literal(orgUnitId)},${literal(credentialId)},${literal(segment)},${Math.trunc(v.population)},${Math.trunc(v.holders)},${Math.trunc(now)})`);
  }
  for (let i = 0; i < values.length; i += 500) {
    await tx.run(sql.raw(`insert into coverage_counters (org_unit_id, credential_id, segment, population, holders, updated_at) values ${values.slice(i, i + 500).join(",")}`));
  }
  return values.length;
}

/** The full recomputation in SQL, written in one go (readers see the old counters until the write commits). */
async function buildCounters(tx: Tx, day: IsoDate, now: number): Promise<number> {
  await tx.delete(coverageCounters);
  const days = monthEndsBefore(day, SNAPSHOT_MONTHS);
  const rows = await insertFreshCounterRows(tx, await withTreeRows(tx, await sqlOwnCounts(tx, day, days)), now);
  await setMeta(tx, META_SNAPSHOT_DAYS, JSON.stringify(days));
  await setMeta(tx, META_EXPIRY_SPANS, JSON.stringify(await recomputeExpirySpans(tx)));
  await setMeta(tx, META_COUNTERS_DAY, day);
  return rows;
}

/**
 * Before a report: builds the counters once when they never were (first report on a database), and moves them to
 * today when no write has done it yet today and the drift is small (a day or so), so that every later report of
 * the day reads them as they are. A long drift is left to the next counter write or `reports:rebuild`; reports
 * stay exact meanwhile (see `subtreeCounts`).
 */
export async function ensureCountersBuilt(now = Date.now()): Promise<void> {
  const database = await getDatabase();
  const day = await countersDay(database.read);
  const today = todayIso(now);
  if (day === today) return;
  if (day !== null && (day > today || (await breakpointCertificates(database.read, day, today)) > correction.limit)) return;
  await database.write(async (tx) => {
    // Another request or process may have done it meanwhile.
    const current = await countersDay(tx);
    if (current === null) await buildCounters(tx, today, now);
    else if (current < today) await advanceCounters(tx, today, now);
  });
}

/** The counter rows as stored (snapshots, which are history, left out), as a sorted list (for checks). */
export async function storedCounterRows(db: DbOrTx): Promise<string[]> {
  const rows = (await db.select().from(coverageCounters)).filter((r) => !r.segment.startsWith(SNAP));
  return rows.map((r) => `${r.orgUnitId}\t${r.credentialId}\t${r.segment}\t${r.population}\t${r.holders}`).sort();
}

/** What the stored rows should be for `day` (recomputed from scratch), in the same form. */
export async function expectedCounterRows(db: DbOrTx, day: IsoDate): Promise<string[]> {
  const full = await withTreeRows(db, await recomputeOwnCounts(db, day));
  return [...full]
    .filter(([, v]) => v.population !== 0 || v.holders !== 0)
    .map(([k, v]) => `${k}\t${v.population}\t${v.holders}`)
    .sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** Counts keyed `credentialId|segment` (segment may end in |new90). */
export type CountsByKey = Map<string, { population: number; holders: number }>;

/**
 * Subtree counts on day `asOf` for each of `units` (a unit and its children, typically): the `tree:` rows plus
 * the correction from the counters' day to `asOf`.
 */
export interface CounterKey {
  credentialId: string;
  /** Without the tree: prefix; may end in |new90. */
  segment: string;
}

/**
 * How a report on another day than the counters' is answered: a subtree of at most `recordsLimit` people is
 * recounted from its people and certificates; a bigger one person by person from the counters when at most
 * `limit` certificates changed state in between, else recounted in SQL (`sqlSubtreeHolders`).
 */
export const correction = { limit: 20_000, recordsLimit: 50_000 };

/**
 * Subtree counts on day `asOf` for each of `units` (a unit and its children, typically): the `tree:` rows (only
 * `keys` when given), plus the change from the counters' day to `asOf` — person by person when few
 * certificates changed in between, else recounted in SQL from the certificates of the subtree.
 */
export async function subtreeCounts(
  db: DbOrTx,
  units: readonly { id: string; path: string }[],
  asOf: IsoDate,
  keys?: readonly CounterKey[],
): Promise<Map<string, CountsByKey>> {
  const out = new Map<string, CountsByKey>(units.map((u) => [u.id, new Map()]));
  const add = (unitId: string, key: string, population: number, holders: number) => {
    const m = out.get(unitId)!;
    const cur = m.get(key);
    if (cur) {
      cur.population += population;
      cur.holders += holders;
    } else m.set(key, { population, holders });
  };
  const wanted = keys ? [...new Map(keys.map((k) => [`${k.credentialId}|${k.segment}`, k])).values()] : null;
  if (wanted && wanted.length === 0) return out;
  const keyFilter = wanted
    ? sql`(${coverageCounters.credentialId}, ${coverageCounters.segment}) in (values ${sql.join(
        wanted.map((k) => sql`(${k.credentialId}, ${TREE + k.segment})`),
        sql`, `,
      )})`
    : sql`${coverageCounters.segment} like 'tree:%'`;
  for (const ids of chunks(units.map((u) => u.id), 200)) {
    const rows = await db
      .select({ unitId: coverageCounters.orgUnitId, credentialId: coverageCounters.credentialId, segment: coverageCounters.segment, population: coverageCounters.population, holders: coverageCounters.holders })
      .from(coverageCounters)
      .where(and(inArray(coverageCounters.orgUnitId, ids), keyFilter));
    for (const r of rows) add(r.unitId, `${r.credentialId}|${r.segment.slice(TREE.length)}`, r.population, r.holders);
  }
  const day = await countersDay(db);
  if (day === null || day === asOf || units.length === 0) return out;
  // One search over the smallest subtree containing all the units asked for.
  const common = commonPrefix(units.map((u) => u.path));
  const credentials = wanted ? [...new Set(wanted.map((k) => k.credentialId))] : ALL_CREDENTIALS;
  const small = (await populationUnder(db, common)) <= correction.recordsLimit;
  if (small || (await breakpointCertificates(db, day, asOf)) > correction.limit) {
    for (const m of out.values()) for (const [k, v] of m) if (credentials.includes(k.slice(0, k.indexOf("|")))) v.holders = 0;
    const recount = small ? (await recordsHolders(db, common, [asOf], credentials)).get(asOf)! : await sqlSubtreeHolders(db, common, asOf, credentials);
    for (const r of recount) {
      for (const u of units) {
        if (!r.path.startsWith(u.path)) continue;
        for (const [k, v] of r.counts) add(u.id, k, 0, v);
      }
    }
    return out;
  }
  const { delta, states } = await driftDelta(db, day, asOf, common);
  const pathOfUnit = new Map<string, string>();
  for (const st of states.values()) pathOfUnit.set(st.unitId, st.unitPath);
  for (const [key, v] of delta) {
    const [unitId, credentialId, segment] = key.split("\t") as [string, string, string];
    const path = pathOfUnit.get(unitId);
    if (!path) continue;
    for (const u of units) if (path.startsWith(u.path)) add(u.id, `${credentialId}|${segment}`, v.population, v.holders);
  }
  return out;
}

/** Active people under a path, from the counters (0 when the path's unit has none or is unknown). */
export async function populationUnder(db: DbOrTx, path: string): Promise<number> {
  const [row] = await db
    .select({ population: coverageCounters.population })
    .from(coverageCounters)
    .innerJoin(orgUnits, eq(orgUnits.id, coverageCounters.orgUnitId))
    .where(and(eq(orgUnits.path, path), eq(coverageCounters.credentialId, "basic_digital_skills"), eq(coverageCounters.segment, `${TREE}all`)));
  return row?.population ?? 0;
}

/**
 * Holders on each day (and the newly certified of the 90 days before it) of the active people under a path,
 * from their certificates: per own unit, keyed `credentialId|segment` (and `…|new90`). For subtrees small
 * enough to load (see `correction.recordsLimit`).
 */
export async function recordsHolders(db: DbOrTx, scopePath: string, days: readonly IsoDate[], credentialIds: readonly string[]): Promise<Map<IsoDate, { path: string; counts: Map<string, number> }[]>> {
  const rows = await db
    .select({ id: people.id, path: orgUnits.path, category: people.category, isItDx: people.isItDx, isLeader: people.isLeader })
    .from(people)
    .innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId))
    .where(and(gte(orgUnits.path, scopePath), lt(orgUnits.path, scopePath.slice(0, -1) + "0"), eq(people.employmentStatus, "active")));
  const certs = await loadCertLites(db, rows.map((r) => r.id), credentialIds);
  const out = new Map<IsoDate, Map<string, Map<string, number>>>(days.map((d) => [d, new Map()]));
  for (const r of rows) {
    const mine = certs.get(r.id);
    if (!mine) continue;
    const segs = segmentsOfPerson({ id: r.id, category: r.category, isItDx: r.isItDx, isLeader: r.isLeader, active: true });
    for (const d of days) {
      const before = addDays(d, -PACE_WINDOW_DAYS);
      const byPath = out.get(d)!;
      let m = byPath.get(r.path);
      if (!m) byPath.set(r.path, (m = new Map()));
      for (const credentialId of credentialIds) {
        const own = mine.filter((c) => c.credentialId === credentialId);
        const now = own.some((c) => countsAt(c, d));
        if (!now) continue;
        const fresh = !own.some((c) => countsAt(c, before));
        for (const seg of segs) {
          m.set(`${credentialId}|${seg}`, (m.get(`${credentialId}|${seg}`) ?? 0) + 1);
          if (fresh) m.set(`${credentialId}|${seg}${NEW90}`, (m.get(`${credentialId}|${seg}${NEW90}`) ?? 0) + 1);
        }
      }
    }
  }
  return new Map([...out].map(([d, byPath]) => [d, [...byPath].map(([path, counts]) => ({ path, counts }))]));
}

/** How many certificates were issued between the two days or 90 days before them (an index range count). */
export async function breakpointCertificates(db: DbOrTx, a: IsoDate, b: IsoDate): Promise<number> {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  let n = 0;
  for (const [from, to] of [
    [dayStartMs(addDays(lo, 1)), dayStartMs(addDays(hi, 1))],
    [dayStartMs(addDays(lo, 1 - PACE_WINDOW_DAYS)), dayStartMs(addDays(hi, 1 - PACE_WINDOW_DAYS))],
  ] as const) {
    for (const credentialId of ALL_CREDENTIALS) {
      const [row] = await db
        .select({ n: sql<number>`count(*)` })
        .from(certificates)
        .where(and(eq(certificates.credentialId, credentialId as (typeof CREDENTIAL_IDS)[number]), gte(certificates.issuedAt, from), lt(certificates.issuedAt, to)));
      n += Number(row?.n ?? 0);
    }
  }
  return n;
}

/** Per certificate, when the revocation in force took effect (the rule of `revokedAtOf`), as a joinable subquery. */
const REVOKED_AT = sql.raw(`(
  select ev.certificate_id as certificate_id, min(ev.effective_at) as revoked_at
  from certificate_status_events ev
  where ev.status in ('revoked', 'suspended')
    and not exists (
      select 1 from certificate_status_events r
      where r.certificate_id = ev.certificate_id and r.status = 'reinstated'
        and (r.effective_at > ev.effective_at or (r.effective_at = ev.effective_at and r.created_at > ev.created_at))
    )
  group by ev.certificate_id
)`);

/** 1 when the certificate `c` (joined with `rv`) counts on the day ending at `end` ms, else 0 (`countsAt`). */
const countsSql = (end: number) =>
  sql`max(case when c.issued_at < ${end} and (c.expires_at is null or c.expires_at >= ${end}) and (rv.revoked_at is null or rv.revoked_at >= ${end}) then 1 else 0 end)`;

interface ProfileRow {
  unit: string;
  category: PersonCategory;
  it: number;
  leader: number;
  /** Holders on each of the days asked for, in order. */
  held: number[];
  /** Holders on the first day who did not hold 90 days before it. */
  fresh: number;
}

/**
 * For one credential, per own unit and person profile (category, flags), how many active people hold a counting
 * certificate on each of `days` (and, for the first day, how many of them did not 90 days before). One pass over
 * the credential's certificates in SQL, optionally limited to a subtree.
 */
async function holdersByProfile(db: DbOrTx, credentialId: string, days: readonly IsoDate[], scopePath?: string): Promise<ProfileRow[]> {
  const ends = days.map((d) => dayStartMs(addDays(d, 1)));
  const end90 = dayStartMs(addDays(days[0]!, 1 - PACE_WINDOW_DAYS));
  const maxEnd = Math.max(...ends);
  const scope = scopePath
    ? sql`and pu.path >= ${scopePath} and pu.path < ${scopePath.slice(0, -1) + "0"}`
    : sql``;
  const flags = sql.join(
    ends.map((e, i) => sql`${countsSql(e)} as ${sql.raw(`h${i}`)}`),
    sql`, `,
  );
  const sums = sql.join(
    ends.map((_, i) => sql.raw(`sum(x.h${i}) as s${i}`)),
    sql`, `,
  );
  const rows = await db.all<Record<string, number | string>>(sql`
    select x.unit as unit, x.category as category, x.it as it, x.leader as leader, ${sums}, sum(x.h0 * (1 - x.then_)) as fresh
    from (
      select p.org_unit_id as unit, p.category as category, p.is_it_dx as it, p.is_leader as leader, ${flags}, ${countsSql(end90)} as then_
      from certificates c
        join people p on p.id = c.person_id
        ${scopePath ? sql`join org_units pu on pu.id = p.org_unit_id` : sql``}
        left join ${REVOKED_AT} rv on rv.certificate_id = c.id
      where c.credential_id = ${credentialId} and c.issued_at < ${maxEnd} and p.employment_status = 'active' ${scope}
      group by p.id
    ) x
    group by x.unit, x.category, x.it, x.leader`);
  return rows.map((r) => ({
    unit: String(r.unit),
    category: r.category as PersonCategory,
    it: Number(r.it),
    leader: Number(r.leader),
    held: ends.map((_, i) => Number(r[`s${i}`] ?? 0)),
    fresh: Number(r.fresh ?? 0),
  }));
}

/**
 * Holders on `asOf` (and the newly certified of the 90 days before) of active people under `scopePath`, counted
 * in SQL, keyed `credentialId|segment` (and `…|new90`) per own unit path. Exact; used when too many certificates
 * changed state since the counters' day to go person by person (a national report as of months ago).
 */
export async function sqlSubtreeHolders(db: DbOrTx, scopePath: string, asOf: IsoDate, credentialIds: readonly string[]): Promise<{ path: string; counts: Map<string, number> }[]> {
  const byUnit = new Map<string, Map<string, number>>();
  for (const credentialId of credentialIds) {
    for (const r of await holdersByProfile(db, credentialId, [asOf], scopePath)) {
      let m = byUnit.get(r.unit);
      if (!m) byUnit.set(r.unit, (m = new Map()));
      for (const seg of segmentsOfPerson({ id: "", category: r.category, isItDx: Boolean(r.it), isLeader: Boolean(r.leader), active: true })) {
        m.set(`${credentialId}|${seg}`, (m.get(`${credentialId}|${seg}`) ?? 0) + r.held[0]!);
        m.set(`${credentialId}|${seg}${NEW90}`, (m.get(`${credentialId}|${seg}${NEW90}`) ?? 0) + r.fresh);
      }
    }
  }
  const paths = new Map<string, string>();
  for (const ids of chunks([...byUnit.keys()])) {
    for (const u of await db.select({ id: orgUnits.id, path: orgUnits.path }).from(orgUnits).where(inArray(orgUnits.id, ids))) paths.set(u.id, u.path);
  }
  return [...byUnit].map(([unit, counts]) => ({ path: paths.get(unit)!, counts }));
}

/**
 * Own-row counts from scratch in SQL (population per unit and profile, then one pass per credential for the
 * holders on `day`, the newly certified and the snapshot days), with snapshot rows folded onto each unit's
 * depth-1 ancestor. The same figures as `recomputeOwnCounts`, which the tests check.
 */
export async function sqlOwnCounts(db: DbOrTx, day: IsoDate, snapshotDays: readonly IsoDate[]): Promise<Delta> {
  const delta: Delta = new Map();
  const pop = await db.all<{ unit: string; category: PersonCategory; it: number; leader: number; n: number }>(sql`
    select org_unit_id as unit, category, is_it_dx as it, is_leader as leader, count(*) as n
    from people where employment_status = 'active' group by 1, 2, 3, 4`);
  const segsOf = (r: { category: PersonCategory; it: number; leader: number }) =>
    segmentsOfPerson({ id: "", category: r.category, isItDx: Boolean(r.it), isLeader: Boolean(r.leader), active: true });
  for (const r of pop) for (const credentialId of ALL_CREDENTIALS) for (const seg of segsOf(r)) bump(delta, keyOf(r.unit, credentialId, seg), Number(r.n), 0);
  const units = await db.select({ id: orgUnits.id, code: orgUnits.code, path: orgUnits.path }).from(orgUnits);
  const idOfCode = new Map(units.map((u) => [u.code, u.id]));
  const top = new Map(units.map((u) => [u.id, idOfCode.get(u.path.split("/").filter(Boolean).slice(0, SNAPSHOT_MAX_DEPTH + 1).pop()!)!]));
  for (const credentialId of ALL_CREDENTIALS) {
    for (const r of await holdersByProfile(db, credentialId, [day, ...snapshotDays])) {
      for (const seg of segsOf(r)) {
        bump(delta, keyOf(r.unit, credentialId, seg), 0, r.held[0]!);
        bump(delta, keyOf(r.unit, credentialId, seg + NEW90), 0, r.fresh);
        snapshotDays.forEach((d, i) => bump(delta, keyOf(top.get(r.unit)!, credentialId, `${SNAP}${d}:${seg}`), 0, r.held[i + 1]!));
      }
    }
  }
  return delta;
}

function commonPrefix(paths: readonly string[]): string {
  if (paths.length === 0) return "/";
  let prefix = paths[0]!;
  for (const p of paths) while (!p.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf("/", prefix.length - 2) + 1);
  return prefix;
}
