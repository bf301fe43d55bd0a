import { describe, expect, it } from "vitest";
import {
  COVERAGE_COLUMNS,
  computeCoverageFromCounts,
  computeCoverageFromRecords,
  countFromRecords,
  countsAt,
  coveragePercent,
  inPopulation,
  normaliseCounts,
  pacePerWeek,
  PERSON_CATEGORIES,
  PopulationRuleSchema,
  requiredHolders,
  segmentsOfPerson,
  segmentsOfRule,
  TargetDefSchema,
  type CertLite,
  type PersonLite,
  type PopulationRule,
  type TargetDef,
} from "./coverage";
import { TARGETS } from "#db/reference";
import { addDays, daysBetween, isoDateAt, isIsoDate, toDayNumber } from "./dates";

const T100: TargetDef = { code: "T-DS-100", credentialId: "basic_digital_skills", rule: { kind: "all" }, percent: 100, deadline: "2027-12-31" };
const T50: TargetDef = { code: "T-DM-50", credentialId: "basic_data_management", rule: { kind: "it_dx" }, percent: 50, deadline: "2027-12-31" };
const T0: TargetDef = { ...T100, code: "T-ZERO", percent: 0 };

const person = (id: string, over: Partial<PersonLite> = {}): PersonLite => ({
  id,
  category: "civil_servant",
  isItDx: false,
  isLeader: false,
  active: true,
  ...over,
});
const cert = (personId: string, issuedOn: string, over: Partial<CertLite> = {}): CertLite => ({
  personId,
  credentialId: "basic_digital_skills",
  issuedOn,
  revokedOn: null,
  expiresOn: null,
  ...over,
});

describe("dates", () => {
  it.each([
    ["2027-12-31", 1, "2028-01-01"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2027-02-28", 1, "2027-03-01"],
    ["2027-03-01", -90, "2026-12-01"],
    ["2027-01-01", 180, "2027-06-30"],
  ])("addDays(%s, %i) = %s", (d, n, want) => {
    expect(addDays(d, n)).toBe(want);
    expect(daysBetween(d, want)).toBe(n);
  });

  it.each(["2027-02-30", "2027-13-01", "27-01-01", "2027-1-1", "2027-01-01T00:00:00Z", ""])("rejects %j", (bad) => {
    expect(() => toDayNumber(bad)).toThrow(RangeError);
    expect(isIsoDate(bad)).toBe(false);
  });

  it.each([
    [Date.UTC(2026, 11, 31, 17, 0), "2027-01-01"], // 00:00 in Hà Nội
    [Date.UTC(2026, 11, 31, 16, 59, 59), "2026-12-31"],
    [Date.UTC(2027, 5, 15, 0, 0), "2027-06-15"],
  ])("isoDateAt(%i) in Vietnam is %s", (ms, want) => {
    expect(isoDateAt(ms)).toBe(want);
  });
});

describe("inPopulation and counter segments", () => {
  it.each<[string, Partial<PersonLite>, PopulationRule, boolean]>([
    ["everyone active", {}, { kind: "all" }, true],
    ["left people are never in it", { active: false }, { kind: "all" }, false],
    ["it_dx flagged", { isItDx: true }, { kind: "it_dx" }, true],
    ["it_dx not flagged", {}, { kind: "it_dx" }, false],
    ["leader", { isLeader: true }, { kind: "leader" }, true],
    ["leader but left", { isLeader: true, active: false }, { kind: "leader" }, false],
    ["category match", { category: "commune_official" }, { kind: "category", categories: ["commune_official"] }, true],
    ["category miss", { category: "cadre" }, { kind: "category", categories: ["commune_official", "public_employee"] }, false],
  ])("%s", (_name, over, rule, want) => {
    expect(inPopulation(person("p", over), rule)).toBe(want);
  });

  it("a person is in a rule exactly when one of its segments is one of theirs (never two)", () => {
    const rules: PopulationRule[] = [
      { kind: "all" },
      { kind: "it_dx" },
      { kind: "leader" },
      { kind: "category", categories: ["cadre", "commune_official", "cadre"] },
      { kind: "category", categories: ["public_employee"] },
    ];
    for (const category of PERSON_CATEGORIES) {
      for (const isItDx of [false, true]) {
        for (const isLeader of [false, true]) {
          for (const active of [false, true]) {
            const p = person("p", { category, isItDx, isLeader, active });
            const mine = segmentsOfPerson(p);
            for (const rule of rules) {
              const matches = segmentsOfRule(rule).filter((s) => mine.includes(s)).length;
              expect(matches).toBe(inPopulation(p, rule) ? 1 : 0);
            }
          }
        }
      }
    }
  });

  it("accepts every seeded national target", () => {
    for (const t of TARGETS) {
      const parsed = TargetDefSchema.parse({ code: t.code, credentialId: t.credentialId, rule: JSON.parse(JSON.stringify(t.rule)), percent: t.percent, deadline: t.deadline });
      expect(parsed.deadline).toMatch(/^20\d\d-12-31$/);
    }
    expect(TargetDefSchema.safeParse({ ...T100, deadline: "31/12/2027" }).success).toBe(false);
    expect(TargetDefSchema.safeParse({ ...T100, percent: 101 }).success).toBe(false);
  });

  it("parses the stored population rule JSON and rejects unknown categories", () => {
    expect(PopulationRuleSchema.parse(JSON.parse('{"kind":"category","categories":["commune_official"]}'))).toEqual({
      kind: "category",
      categories: ["commune_official"],
    });
    expect(PopulationRuleSchema.safeParse({ kind: "category", categories: ["farmer"] }).success).toBe(false);
  });
});

describe("countsAt", () => {
  const D = "2027-12-31";
  it.each<[string, Partial<CertLite> & { issuedOn?: string }, boolean]>([
    ["issued on D", { issuedOn: D }, true],
    ["issued the day after D", { issuedOn: "2028-01-01" }, false],
    ["expires exactly on D (the deadline day)", { expiresOn: D }, false],
    ["expires the day after D", { expiresOn: "2028-01-01" }, true],
    ["expired before D", { expiresOn: "2027-06-30" }, false],
    ["revoked on D", { revokedOn: D }, false],
    ["revoked before D", { revokedOn: "2027-03-01" }, false],
    ["revoked after D", { revokedOn: "2028-01-01" }, true],
    ["never expires, never revoked", {}, true],
  ])("%s → %s", (_name, over, want) => {
    expect(countsAt(cert("p", over.issuedOn ?? "2027-01-15", over), D)).toBe(want);
  });
});

describe("percent, required, pace", () => {
  it.each([
    [0, 0, 0],
    [0, 10, 0],
    [2, 3, 66.7],
    [1, 3, 33.3],
    [1, 8, 12.5],
    [1, 16, 6.3], // 6.25: an exact tie rounds up
    [1, 80, 1.3], // 1.25
    [5, 6, 83.3],
    [199, 200, 99.5],
    [1999, 2000, 100], // 99.95 rounds to 100.0
    [1, 2_500_000, 0],
    [10, 10, 100],
  ])("percent(%i / %i) = %d", (h, p, want) => {
    expect(coveragePercent(h, p)).toBe(want);
  });

  it.each([
    [100, 0, 0],
    [0, 500, 0],
    [50, 3, 2],
    [25, 7, 2],
    [12.5, 8, 1],
    [33.3, 3, 1],
    [14.3, 1000, 143], // 14.3 × 1000 / 100 is 143.00000000000003 in floating point
    [0.1, 1000, 1],
    [0.1, 999, 1],
    [66.7, 3, 3],
    [100, 2_500_000, 2_500_000],
    [57.1, 7, 4], // 3.997
  ])("required(%d %% of %i) = %i", (pct, pop, want) => {
    expect(requiredHolders(pct, pop)).toBe(want);
  });

  it.each([-1, 100.5, Number.NaN])("rejects percent %d", (pct) => {
    expect(() => requiredHolders(pct, 10)).toThrow(RangeError);
  });

  it("pace per week is the 90-day count spread over 90 days", () => {
    expect(pacePerWeek(90)).toBe(7);
    expect(pacePerWeek(0)).toBe(0);
    expect(pacePerWeek(45)).toBe(3.5);
  });
});

describe("coverageRow from counts", () => {
  const asOf = "2027-01-01";
  it.each<[string, TargetDef, { population: number; holders: number; certifiedLast90Days: number }, Record<string, unknown>]>([
    ["empty unit", T100, { population: 0, holders: 0, certifiedLast90Days: 0 }, { percent: 0, required: 0, gap: 0, projected_date: null, status: "met" }],
    ["0 % target", T0, { population: 10, holders: 0, certifiedLast90Days: 0 }, { percent: 0, required: 0, gap: 0, projected_date: null, status: "met" }],
    [
      "more holders than population after moves: clamped to the population",
      T100,
      { population: 5, holders: 7, certifiedLast90Days: 7 },
      { holders: 5, percent: 100, required: 5, gap: 0, certified_last_90_days: 5, projected_date: null, status: "met" },
    ],
    ["gap 10 at 5 per 90 days → 180 days", T100, { population: 20, holders: 10, certifiedLast90Days: 5 }, { percent: 50, gap: 10, projected_date: "2027-06-30", status: "on_track" }],
    ["ceil of the days", T100, { population: 8, holders: 7, certifiedLast90Days: 7 }, { gap: 1, projected_date: "2027-01-14" }], // ceil(90/7) = 13
    ["no pace → off track, no date", T100, { population: 20, holders: 10, certifiedLast90Days: 0 }, { gap: 10, projected_date: null, status: "off_track" }],
    // 2027-01-01 → 2027-12-31 is 364 days: gap 364 at 90 per 90 days lands exactly on the deadline.
    ["projected exactly on the deadline → on track", T100, { population: 1000, holders: 636, certifiedLast90Days: 90 }, { gap: 364, projected_date: "2027-12-31", status: "on_track" }],
    ["one day after the deadline → at risk", T100, { population: 1000, holders: 635, certifiedLast90Days: 90 }, { projected_date: "2028-01-01", status: "at_risk" }],
    ["180 days after → at risk", T100, { population: 1000, holders: 456, certifiedLast90Days: 90 }, { projected_date: "2028-06-28", status: "at_risk" }],
    ["181 days after → off track", T100, { population: 1000, holders: 455, certifiedLast90Days: 90 }, { projected_date: "2028-06-29", status: "off_track" }],
    ["50 % target of IT/DX staff", T50, { population: 7, holders: 3, certifiedLast90Days: 3 }, { percent: 42.9, required: 4, gap: 1, projected_date: "2027-01-31" }],
    ["target exceeded", T50, { population: 4, holders: 3, certifiedLast90Days: 0 }, { percent: 75, required: 2, gap: 0, status: "met" }],
  ])("%s", (_name, target, counts, want) => {
    const row = computeCoverageFromCounts("01", target, counts, asOf);
    expect(row).toMatchObject(want);
    expect(Object.keys(row)).toEqual([...COVERAGE_COLUMNS]);
    expect(row.unit_code).toBe("01");
    expect(row.target_code).toBe(target.code);
  });

  it("says when it clamped, and throws on counts that can only be bugs", () => {
    expect(normaliseCounts({ population: 5, holders: 7, certifiedLast90Days: 1 }).clamped).toBe(true);
    expect(normaliseCounts({ population: 5, holders: 5, certifiedLast90Days: 5 }).clamped).toBe(false);
    expect(() => computeCoverageFromCounts("01", T100, { population: -1, holders: 0, certifiedLast90Days: 0 }, asOf)).toThrow(/population/);
    expect(() => computeCoverageFromCounts("01", T100, { population: 3, holders: 1.5, certifiedLast90Days: 0 }, asOf)).toThrow(/holders/);
    expect(() => computeCoverageFromCounts("01", { ...T100, percent: 120 }, { population: 3, holders: 1, certifiedLast90Days: 0 }, asOf)).toThrow(/T-DS-100/);
    expect(() => computeCoverageFromCounts("01", { ...T100, deadline: "31/12/2027" }, { population: 3, holders: 1, certifiedLast90Days: 0 }, asOf)).toThrow(/deadline/);
    expect(() => computeCoverageFromCounts("01", T100, { population: 3, holders: 1, certifiedLast90Days: 0 }, "2027-1-1")).toThrow(/asOf/);
  });
});

describe("coverage from records", () => {
  const D = "2027-12-31"; // the deadline; D − 90 = 2027-10-02
  it.each<[string, PersonLite[], CertLite[], Record<string, unknown>]>([
    ["empty unit", [], [], { population: 0, holders: 0, percent: 0, gap: 0, status: "met" }],
    [
      "a person with two certificates counts once",
      [person("a"), person("b")],
      [cert("a", "2027-01-10"), cert("a", "2027-11-01")],
      { population: 2, holders: 1, percent: 50, gap: 1, certified_last_90_days: 0, status: "off_track" },
    ],
    [
      "expired exactly on the deadline day does not count on the deadline",
      [person("a"), person("b")],
      [cert("a", "2025-01-10", { expiresOn: D }), cert("b", "2025-01-10", { expiresOn: "2028-01-01" })],
      { holders: 1, gap: 1 },
    ],
    ["revoked on D does not count", [person("a")], [cert("a", "2027-01-10", { revokedOn: D })], { holders: 0, gap: 1 }],
    [
      "left people and their certificates are outside the population",
      [person("a"), person("b", { active: false })],
      [cert("b", "2027-01-10")],
      { population: 1, holders: 0 },
    ],
    [
      "other credentials do not count",
      [person("a")],
      [cert("a", "2027-01-10", { credentialId: "leadership_dx" })],
      { holders: 0 },
    ],
    [
      "certificates of people not on the roster are ignored",
      [person("a")],
      [cert("a", "2027-01-10"), cert("ghost", "2027-12-01")],
      { population: 1, holders: 1, certified_last_90_days: 0 },
    ],
    [
      "last 90 days: counts at D and did not count at D − 90",
      [person("on-window-edge"), person("inside"), person("renewed-after-lapse"), person("long-held"), person("revoked-since"), person("none")],
      [
        cert("on-window-edge", "2027-10-02"), // counted at D − 90 already
        cert("inside", "2027-10-03"),
        cert("renewed-after-lapse", "2025-01-01", { expiresOn: "2027-09-01" }),
        cert("renewed-after-lapse", "2027-12-01"),
        cert("long-held", "2024-05-05"),
        cert("revoked-since", "2027-11-01", { revokedOn: "2027-12-15" }),
      ],
      { population: 6, holders: 4, certified_last_90_days: 2, gap: 2, projected_date: "2028-03-30", status: "at_risk" },
    ],
  ])("%s", (_name, people, certs, want) => {
    const row = computeCoverageFromRecords("G09", T100, people, certs, D);
    expect(row).toMatchObject(want);
  });

  it("counts only the target's population and credential (IT/DX data-management target)", () => {
    const people = [person("a", { isItDx: true }), person("b", { isItDx: true }), person("c"), person("d", { isItDx: true, active: false })];
    const certs = [
      cert("a", "2027-01-01", { credentialId: "basic_data_management" }),
      cert("c", "2027-01-01", { credentialId: "basic_data_management" }),
      cert("b", "2027-01-01"),
    ];
    expect(countFromRecords(T50, people, certs, D)).toEqual({ population: 2, holders: 1, certifiedLast90Days: 0 });
  });

  it("the record path and the counter path give the same row for the same counts", () => {
    const people = Array.from({ length: 30 }, (_, i) => person(`p${i}`, { isItDx: i % 3 === 0 }));
    const certs = people.flatMap((p, i) => (i % 2 === 0 ? [cert(p.id, addDays("2027-06-01", i * 7))] : []));
    const counts = countFromRecords(T100, people, certs, D);
    expect(computeCoverageFromRecords("01", T100, people, certs, D)).toEqual(computeCoverageFromCounts("01", T100, counts, D));
  });

  it("refuses timestamps where dates are expected (a revocation at 10:00 on D would otherwise still count)", () => {
    expect(() => countFromRecords(T100, [person("a")], [cert("a", "2027-01-01", { revokedOn: "2027-12-31T10:00:00Z" })], D)).toThrow(
      /person a.*YYYY-MM-DD/,
    );
  });
});
