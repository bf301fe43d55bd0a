/**
 * Coverage maths for the national targets (issue 7, "Definitions"). Pure: the web reports, the CLI
 * `reports:coverage` and the counter-based roll-ups all end in `coverageRow`, so every surface prints the same
 * figures. Two ways in:
 *  - `computeCoverageFromRecords`: a full recomputation from people and certificates (tests, `reports:rebuild`,
 *    small units);
 *  - `computeCoverageFromCounts`: from per-unit counters summed over a subtree (national roll-ups).
 */
import { z } from "zod";
import { PERSON_CATEGORIES, type PersonCategory } from "#db/schema/org";
import { addDays, toDayNumber, type IsoDate } from "./dates";

export { PERSON_CATEGORIES, type PersonCategory };

/** The JSON stored in targets.population_rule_json. */
export const PopulationRuleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("it_dx") }),
  z.object({ kind: z.literal("leader") }),
  z.object({ kind: z.literal("category"), categories: z.array(z.enum(PERSON_CATEGORIES)).min(1) }),
]);
export type PopulationRule = z.infer<typeof PopulationRuleSchema>;

export const TargetDefSchema = z.object({
  code: z.string().min(1),
  credentialId: z.string().min(1),
  rule: PopulationRuleSchema,
  percent: z.number().min(0).max(100),
  deadline: z.iso.date(),
});
export type TargetDef = z.infer<typeof TargetDefSchema>;

export interface PersonLite {
  id: string;
  category: PersonCategory;
  isItDx: boolean;
  isLeader: boolean;
  /** employment_status = 'active'. The population is today's active roster. */
  active: boolean;
}

/** A certificate reduced to what coverage needs; dates are calendar dates in Vietnam (see `isoDateAt`). */
export interface CertLite {
  personId: string;
  credentialId: string;
  issuedOn: IsoDate;
  /** Date the revocation took effect; null when never revoked (or reinstated). */
  revokedOn: IsoDate | null;
  expiresOn: IsoDate | null;
}

export interface CoverageCounts {
  population: number;
  holders: number;
  certifiedLast90Days: number;
}

export const COVERAGE_STATUSES = ["met", "on_track", "at_risk", "off_track"] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/** Column order of the CLI / CSV output; also the exact key set of the JSON objects. */
export const COVERAGE_COLUMNS = [
  "unit_code",
  "target_code",
  "population",
  "holders",
  "percent",
  "required",
  "gap",
  "certified_last_90_days",
  "projected_date",
  "status",
] as const;

export interface CoverageRow {
  unit_code: string;
  target_code: string;
  population: number;
  holders: number;
  percent: number;
  required: number;
  gap: number;
  certified_last_90_days: number;
  projected_date: IsoDate | null;
  status: CoverageStatus;
}

export const PACE_WINDOW_DAYS = 90;
/** A projected date up to this many days after the deadline is "at risk"; later is "off track". */
export const AT_RISK_GRACE_DAYS = 180;

export function inPopulation(person: PersonLite, rule: PopulationRule): boolean {
  if (!person.active) return false;
  switch (rule.kind) {
    case "all":
      return true;
    case "it_dx":
      return person.isItDx;
    case "leader":
      return person.isLeader;
    case "category":
      return rule.categories.includes(person.category);
  }
}

/**
 * Whether a certificate counts on date D: issued on or before D, not revoked on or before D, and expiring after
 * D or never. A certificate that expires on the deadline day therefore does not count on the deadline.
 * Dates must be 'YYYY-MM-DD' (string comparison is date comparison for that format).
 */
export function countsAt(cert: CertLite, date: IsoDate): boolean {
  if (cert.issuedOn > date) return false;
  if (cert.revokedOn !== null && cert.revokedOn <= date) return false;
  if (cert.expiresOn !== null && cert.expiresOn <= date) return false;
  return true;
}

/**
 * Counter segments (coverage_counters.segment). A person belongs to "all", "category:<x>" and, when flagged,
 * "it_dx" and "leader"; a rule is the sum of its segments. A person has exactly one category, so summing the
 * segments of a multi-category rule never counts anyone twice.
 */
export function segmentsOfPerson(person: PersonLite): string[] {
  if (!person.active) return [];
  const s = ["all", `category:${person.category}`];
  if (person.isItDx) s.push("it_dx");
  if (person.isLeader) s.push("leader");
  return s;
}

export function segmentsOfRule(rule: PopulationRule): string[] {
  switch (rule.kind) {
    case "all":
    case "it_dx":
    case "leader":
      return [rule.kind];
    case "category":
      return [...new Set(rule.categories)].map((c) => `category:${c}`);
  }
}

/** The counts of the definitions from raw records. `people` is the unit's (or subtree's) roster. */
export function countFromRecords(
  target: Pick<TargetDef, "credentialId" | "rule">,
  people: Iterable<PersonLite>,
  certs: Iterable<CertLite>,
  asOf: IsoDate,
): CoverageCounts {
  toDayNumber(asOf, "asOf");
  const before = addDays(asOf, -PACE_WINDOW_DAYS);
  const population = new Set<string>();
  for (const p of people) if (inPopulation(p, target.rule)) population.add(p.id);

  const holdsNow = new Set<string>();
  const heldBefore = new Set<string>();
  let i = 0;
  for (const c of certs) {
    i++;
    if (c.credentialId !== target.credentialId || !population.has(c.personId)) continue;
    assertCertDates(c, i);
    if (countsAt(c, asOf)) holdsNow.add(c.personId);
    if (countsAt(c, before)) heldBefore.add(c.personId);
  }
  let certifiedLast90Days = 0;
  for (const id of holdsNow) if (!heldBefore.has(id)) certifiedLast90Days++;
  return { population: population.size, holders: holdsNow.size, certifiedLast90Days };
}

function assertCertDates(c: CertLite, i: number): void {
  // Only the length is checked in the hot loop: a full timestamp ("2027-12-31T10:00Z") compares after the bare
  // date and would silently count a certificate revoked on D. That is the mistake worth catching.
  const bad =
    c.issuedOn.length !== 10 ||
    (c.revokedOn !== null && c.revokedOn.length !== 10) ||
    (c.expiresOn !== null && c.expiresOn.length !== 10);
  if (bad) {
    throw new RangeError(
      `certificate #${i} (person ${c.personId}): dates must be YYYY-MM-DD, got issuedOn=${c.issuedOn} revokedOn=${c.revokedOn} expiresOn=${c.expiresOn}`,
    );
  }
}

/**
 * Makes counts consistent before the maths. Counters are maintained incrementally; after moves and merges a
 * unit's holder counter can momentarily exceed its population (for instance a holder counted where they were
 * certified while the population counts where they work now). By definition holders are people *in* the
 * population, so holders is clamped to the population, and the newly certified to the holders. Negative or
 * fractional counts are bugs, not data, and throw.
 */
export function normaliseCounts(counts: CoverageCounts): { counts: CoverageCounts; clamped: boolean } {
  for (const key of ["population", "holders", "certifiedLast90Days"] as const) {
    const v = counts[key];
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`coverage counts: ${key} must be a whole number ≥ 0, got ${v}`);
  }
  const holders = Math.min(counts.holders, counts.population);
  const certifiedLast90Days = Math.min(counts.certifiedLast90Days, holders);
  const clamped = holders !== counts.holders || certifiedLast90Days !== counts.certifiedLast90Days;
  return { counts: { population: counts.population, holders, certifiedLast90Days }, clamped };
}

/** 100 × holders / population to one decimal; 0 for an empty population. */
export function coveragePercent(holders: number, population: number): number {
  if (population === 0) return 0;
  // 1000·h/p is a ratio of integers, so an exact tie (x.x5) is computed exactly and rounds up, not down.
  return Math.round((1000 * holders) / population) / 10;
}

/**
 * ceil(percent × population / 100) without floating-point surprises: 14.3 % of 1000 is exactly 143, although
 * 14.3 × 1000 / 100 in binary floating point is 143.00000000000003. Percent is taken to 6 decimals.
 */
export function requiredHolders(percent: number, population: number): number {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`target percent must be between 0 and 100, got ${percent}`);
  }
  const scaled = Math.round(percent * 1e6); // percent in millionths
  const num = scaled * population; // ≤ 1e8 × population; exact below 9e15, i.e. up to 90 M people
  const den = 1e8;
  let q = Math.floor(num / den);
  if (q * den < num) q++;
  return q;
}

/** People certified per week at the pace of the last 90 days (unrounded; format for display). */
export function pacePerWeek(certifiedLast90Days: number): number {
  return (certifiedLast90Days * 7) / PACE_WINDOW_DAYS;
}

export interface CoverageRowInput {
  unitCode: string;
  target: TargetDef;
  counts: CoverageCounts;
  asOf: IsoDate;
}

/** The one function behind every coverage figure. */
export function coverageRow({ unitCode, target, counts, asOf }: CoverageRowInput): CoverageRow {
  const asOfDay = toDayNumber(asOf, "asOf");
  const deadlineDay = toDayNumber(target.deadline, `target ${target.code} deadline`);
  const { population, holders, certifiedLast90Days } = normaliseCounts(counts).counts;
  let required: number;
  try {
    required = requiredHolders(target.percent, population);
  } catch (e) {
    throw new RangeError(`target ${target.code}: ${(e as Error).message}`);
  }
  const gap = Math.max(0, required - holders);
  let projected: number | null = null;
  if (gap > 0 && certifiedLast90Days > 0) {
    projected = asOfDay + Math.ceil((gap * PACE_WINDOW_DAYS) / certifiedLast90Days);
  }
  let status: CoverageStatus;
  if (gap === 0) status = "met";
  else if (projected === null) status = "off_track";
  else if (projected <= deadlineDay) status = "on_track";
  else if (projected <= deadlineDay + AT_RISK_GRACE_DAYS) status = "at_risk";
  else status = "off_track";
  return {
    unit_code: unitCode,
    target_code: target.code,
    population,
    holders,
    percent: coveragePercent(holders, population),
    required,
    gap,
    certified_last_90_days: certifiedLast90Days,
    projected_date: projected === null ? null : addDays("1970-01-01", projected),
    status,
  };
}

export function computeCoverageFromRecords(
  unitCode: string,
  target: TargetDef,
  people: Iterable<PersonLite>,
  certs: Iterable<CertLite>,
  asOf: IsoDate,
): CoverageRow {
  return coverageRow({ unitCode, target, counts: countFromRecords(target, people, certs, asOf), asOf });
}

export function computeCoverageFromCounts(
  unitCode: string,
  target: TargetDef,
  counts: CoverageCounts,
  asOf: IsoDate,
): CoverageRow {
  return coverageRow({ unitCode, target, counts, asOf });
}
