import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { certificates, orgUnits, people } from "#db/schema";
import { prng } from "#db/seed/names";
import { getDatabase } from "~/db.server";
import { issueCertificate, makePeople, makeUnit, setCertificateStatus, updatePerson } from "../../tests/factories/reports";
import { computeCoverageFromRecords, type PersonLite } from "./coverage";
import { coverageReport, holdersSeries, seriesDates } from "./coverage-report.server";
import { correction, countersDay, dayStartMs, expectedCounterRows, loadCertLites, monthEndsBefore, monthEndsBetween, readSnapshots, rebuildCounters, storedCounterRows, todayIso } from "./counters.server";
import { addDays } from "./dates";
import { commitRosterImport, previewRosterImport } from "./roster-import.server";
import { nationalScope } from "./scope.server";
import { mergeUnit } from "~/org/merge.server";
import { loadTargets } from "./targets.server";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 3); // 1 March 2026, 10:00 in Hà Nội
const CREDS = ["basic_digital_skills", "basic_data_management", "leadership_dx", "commune_digital_assist", "ai_public_service"] as const;
const UNITS = ["01", "01-A", "01-B", "00070", "G06", "G06-A"];

async function recordsCoverage(unitCode: string, asOf: string) {
  const { read } = await getDatabase();
  const [unit] = await read.select().from(orgUnits).where(eq(orgUnits.code, unitCode));
  const rows = await read
    .select({ id: people.id, category: people.category, isItDx: people.isItDx, isLeader: people.isLeader, status: people.employmentStatus, path: orgUnits.path })
    .from(people)
    .innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId));
  const mine = rows.filter((r) => r.path.startsWith(unit!.path));
  const lites: PersonLite[] = mine.map((r) => ({ id: r.id, category: r.category, isItDx: r.isItDx, isLeader: r.isLeader, active: r.status === "active" }));
  const certs = [...(await loadCertLites(read, mine.map((r) => r.id))).values()].flat();
  return (await loadTargets(read, { activeOnly: true })).map((t) => computeCoverageFromRecords(unitCode, t, lites, certs, asOf));
}

async function expectCountersExact() {
  const { read } = await getDatabase();
  const day = await countersDay(read);
  expect(day).not.toBeNull();
  expect(await storedCounterRows(read)).toEqual(await expectedCounterRows(read, day!));
}

async function expectReportsMatchRecords(now: number, asOfs: string[]) {
  for (const unitCode of ["VN", "01", "01-A", "G06"]) {
    for (const asOf of asOfs) {
      const want = await recordsCoverage(unitCode, asOf);
      // Recounted from records (small subtrees), person by person from the counters' day, and recounted in SQL.
      for (const [recordsLimit, limit] of [[1e9, 0], [-1, 1e9], [-1, -1]] as const) {
        correction.limit = limit;
        correction.recordsLimit = recordsLimit;
        const report = await coverageReport(nationalScope(), { unitCode, asOf, now, withChildren: true });
        expect(report.rows, `${unitCode} as of ${asOf} (limit ${limit})`).toEqual(want);
        for (const child of report.children) {
          expect(child.rows, `${child.unit.code} as of ${asOf} (limit ${limit})`).toEqual(await recordsCoverage(child.unit.code, asOf));
        }
      }
      correction.limit = 20_000;
      correction.recordsLimit = 50_000;
    }
  }
}

describe("coverage counters", () => {
  beforeAll(async () => {
    await makeUnit("01-A", "01");
    await makeUnit("01-B", "01");
    await makeUnit("G06-A", "G06");
  });

  it("equal a full recomputation after a random sequence of imports, moves, leavings, issues and revokes", async () => {
    const rand = prng(7);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    let now = T0;
    const person = () => ({
      unitCode: pick(UNITS),
      category: pick(["cadre", "civil_servant", "public_employee", "commune_official"] as const),
      isItDx: rand() < 0.3,
      isLeader: rand() < 0.2,
      now,
    });
    const ids = await makePeople(Array.from({ length: 30 }, person));
    await rebuildCounters({ now });
    await expectCountersExact();
    const certIds: string[] = [];
    let importNo = 0;

    for (let step = 0; step < 70; step++) {
      // Time passes, sometimes across many days (expiries and the 90-day window move without any write).
      now += Math.floor(rand() * 3) === 0 ? Math.floor(rand() * 40) * DAY : Math.floor(rand() * 4) * 3_600_000;
      const kind = rand();
      if (kind < 0.35) {
        const issuedAt = now - Math.floor(rand() * 200) * DAY;
        const expiresAt = rand() < 0.5 ? issuedAt + (20 + Math.floor(rand() * 200)) * DAY : null;
        certIds.push(await issueCertificate({ personId: pick(ids), credentialId: pick(CREDS), issuedAt, expiresAt, now }));
      } else if (kind < 0.5 && certIds.length > 0) {
        const status = pick(["revoked", "suspended", "reinstated"] as const);
        await setCertificateStatus(pick(certIds), status, now - Math.floor(rand() * 30) * DAY, now);
      } else if (kind < 0.62) {
        await updatePerson(pick(ids), { unitCode: pick(UNITS) }, now);
      } else if (kind < 0.7) {
        await updatePerson(pick(ids), { isItDx: rand() < 0.5, isLeader: rand() < 0.5, category: pick(["cadre", "commune_official"] as const) }, now);
      } else if (kind < 0.78) {
        await updatePerson(pick(ids), { status: rand() < 0.6 ? "left" : "active" }, now);
      } else if (kind < 0.86) {
        ids.push(...(await makePeople(Array.from({ length: 1 + Math.floor(rand() * 3) }, person))));
      } else {
        // A roster import of Hà Nội (01): some of its people updated or moved, a newcomer, and in full mode the
        // people not listed are marked left.
        const { read } = await getDatabase();
        const current = (
          await read
            .select({ staffCode: people.staffCode, fullName: people.fullName, path: orgUnits.path, status: people.employmentStatus })
            .from(people)
            .innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId))
        ).filter((p) => p.path.startsWith("/VN/01/") && p.status === "active");
        const keep = current.filter(() => rand() < 0.8);
        importNo++;
        const lines = [
          "staff_code,full_name,unit_code,category,is_it_dx,is_leader,status",
          ...keep.map((p) => `${p.staffCode},${p.fullName},${pick(["01-A", "01-B", "00070"])},civil_servant,${rand() < 0.5 ? 1 : 0},0,active`),
          `IMP-${importNo},Trần Thị Nhập ${importNo},01-A,public_employee,1,1,active`,
        ];
        const mode = rand() < 0.5 ? "full" : "partial";
        const preview = await previewRosterImport(
          nationalScope(),
          { unitCode: "01", mode, fileName: `import-${importNo}.csv`, bytes: Buffer.from(lines.join("\n"), "utf8") },
          { userId: null, label: "test" },
        );
        expect(preview.errors).toEqual([]);
        await commitRosterImport(nationalScope(), preview.id!, { userId: null, label: "test" }, now);
        const [created] = await read.select({ id: people.id }).from(people).where(eq(people.staffCode, `IMP-${importNo}`));
        ids.push(created!.id);
      }
      if (step % 10 === 9) await expectCountersExact();
    }
    await expectCountersExact();
    const { read } = await getDatabase();
    expect((await read.select().from(certificates)).length).toBeGreaterThan(10);

    // Reads on other days than the counters' day go through the breakpoint correction.
    const today = todayIso(now);
    await expectReportsMatchRecords(now, [today, addDays(today, -1), addDays(today, -45), addDays(today, -91), addDays(today, -200), addDays(today, 30)]);
    // Days later with no write in between: expiries and the sliding window are still exact.
    const later = now + 75 * DAY;
    await expectReportsMatchRecords(later, [todayIso(later)]);
    // The chart's history (month-end snapshots of VN and 01, derived figures for 01-A) after all those moves.
    const targets = await loadTargets(read, { activeOnly: true });
    for (const [recordsLimit, limit] of [[1e9, 0], [-1, 1e9]] as const) {
      correction.limit = limit;
      correction.recordsLimit = recordsLimit;
      for (const unitCode of ["VN", "01", "01-A"]) {
        for (const t of targets) {
          const series = await holdersSeries(nationalScope(), unitCode, t, seriesDates(today, 12), now);
          expect(series).toHaveLength(13);
          const want = await Promise.all(series.map(async (p) => (await recordsCoverage(unitCode, p.date)).find((r) => r.target_code === t.code)!.holders));
          expect(series.map((p) => p.holders), `${unitCode} ${t.code}`).toEqual(want);
        }
      }
    }
    correction.limit = 20_000;
    correction.recordsLimit = 50_000;
    // A long randomized walk with hundreds of full recomputations: ~15 s on a quiet 2-core machine, more under load.
  }, 180_000);

  it("count a certificate issued and revoked through the hooks on the right units and ancestors", async () => {
    const now = T0 + 400 * DAY;
    await rebuildCounters({ now });
    const [p] = await makePeople([{ unitCode: "G06-A", category: "civil_servant", isLeader: true, now }]);
    const before = await coverageReport(nationalScope(), { unitCode: "G06", targetCode: "T-LEAD-25", now });
    const cert = await issueCertificate({ personId: p!, credentialId: "leadership_dx", issuedAt: now - DAY, now });
    const after = await coverageReport(nationalScope(), { unitCode: "G06", targetCode: "T-LEAD-25", now });
    expect(after.rows[0]!.holders).toBe(before.rows[0]!.holders + 1);
    expect(after.rows[0]!.certified_last_90_days).toBe(before.rows[0]!.certified_last_90_days + 1);
    const national = await coverageReport(nationalScope(), { unitCode: "VN", targetCode: "T-LEAD-25", now });
    expect(national.rows[0]!.holders).toBeGreaterThanOrEqual(after.rows[0]!.holders);

    await setCertificateStatus(cert, "revoked", now, now);
    const revoked = await coverageReport(nationalScope(), { unitCode: "G06", targetCode: "T-LEAD-25", now });
    expect(revoked.rows[0]!.holders).toBe(before.rows[0]!.holders);
    // As of the day before the revocation it still counted.
    const yesterday = await coverageReport(nationalScope(), { unitCode: "G06", targetCode: "T-LEAD-25", now, asOf: todayIso(now - DAY) });
    expect(yesterday.rows[0]!.holders).toBe(before.rows[0]!.holders + 1);
    await expectCountersExact();
  });

  it("stop counting a certificate on its expiry day without any write", async () => {
    const now = T0 + 800 * DAY;
    await rebuildCounters({ now });
    const [p] = await makePeople([{ unitCode: "00070", category: "commune_official", now }]);
    const expiresAt = dayStartMs(todayIso(now + 10 * DAY)) + 3_600_000;
    await issueCertificate({ personId: p!, credentialId: "commune_digital_assist", issuedAt: now, expiresAt, now });
    const on = (t: number) => coverageReport(nationalScope(), { unitCode: "00070", targetCode: "T-XA-100", now: t });
    expect((await on(now + 9 * DAY)).rows[0]!.holders).toBe(1);
    expect((await on(now + 10 * DAY)).rows[0]!.holders).toBe(0);
    // Reading moved the counters to the latest day read; an earlier day is still exact.
    expect((await on(now + 9 * DAY)).countersDay).toBe(todayIso(now + 10 * DAY));
    expect((await on(now + 9 * DAY)).rows[0]!.holders).toBe(1);
  });

  it("keep month-end snapshots of the big subtrees that the chart reads, equal to the figures of those days", async () => {
    const start = T0 + 1200 * DAY;
    await rebuildCounters({ now: start });
    const [p1, p2] = await makePeople([{ unitCode: "01-B", now: start }, { unitCode: "G06-A", now: start }]);
    // Certificates over the previous months, one expiring, then days pass across two month ends with no write.
    await issueCertificate({ personId: p1!, issuedAt: start - 100 * DAY, expiresAt: start + 20 * DAY, now: start });
    await issueCertificate({ personId: p2!, issuedAt: start - 40 * DAY, now: start });
    const later = start + 70 * DAY;
    await issueCertificate({ personId: p2!, credentialId: "leadership_dx", issuedAt: later - DAY, now: later });
    const { read } = await getDatabase();
    const day = todayIso(later);
    const passed = monthEndsBetween(todayIso(start), day);
    expect(passed.length).toBeGreaterThanOrEqual(2);
    const [t] = (await loadTargets(read)).filter((x) => x.code === "T-DS-100");
    for (const unitCode of ["VN", "01"]) {
      const [unit] = await read.select().from(orgUnits).where(eq(orgUnits.code, unitCode));
      const snaps = await readSnapshots(read, unit!, [...monthEndsBefore(todayIso(start), 12), ...passed]);
      expect(snaps.size).toBe(12 + passed.length);
      if (unitCode === "VN") expect([...snaps.values()].some((m) => m.size > 0)).toBe(true);
      const dates = seriesDates(day, 12);
      const series = await holdersSeries(nationalScope(), unitCode, t!, dates, later);
      for (const point of series) {
        const [want] = (await recordsCoverage(unitCode, point.date)).filter((r) => r.target_code === "T-DS-100");
        expect(point.holders, `${unitCode} on ${point.date}`).toBe(want!.holders);
      }
    }
    // A deep unit has no snapshots: its series is derived, and exact too.
    const deep = await holdersSeries(nationalScope(), "01-B", t!, seriesDates(day, 12), later);
    for (const point of deep) {
      const [want] = (await recordsCoverage("01-B", point.date)).filter((r) => r.target_code === "T-DS-100");
      expect(point.holders).toBe(want!.holders);
    }
    await expectCountersExact();
  });

  it("follow a unit merger: people and child units move, certificates stay, figures roll up to the new parent", async () => {
    const now = T0 + 1500 * DAY;
    await makeUnit("01-M1", "01");
    await makeUnit("01-M1-X", "01-M1");
    await makeUnit("96-M2", "96");
    await rebuildCounters({ now });
    const [own, deep] = await makePeople([{ unitCode: "01-M1", now }, { unitCode: "01-M1-X", now }]);
    await issueCertificate({ personId: own!, issuedAt: now - 5 * DAY, now });
    await issueCertificate({ personId: deep!, issuedAt: now - 200 * DAY, now });
    const ds = async (code: string) => (await coverageReport(nationalScope(), { unitCode: code, targetCode: "T-DS-100", now })).rows[0]!;
    const hanoi = await ds("01");
    const camau = await ds("96");
    const result = await mergeUnit("01-M1", "96-M2", { userId: null, label: "test" }, now);
    expect(result).toEqual({ from: "01-M1", into: "96-M2", peopleMoved: 1, unitsReattached: 1 });
    const { read } = await getDatabase();
    const [x] = await read.select().from(orgUnits).where(eq(orgUnits.code, "01-M1-X"));
    expect(x).toMatchObject({ path: "/VN/96/96-M2/01-M1-X/", depth: 3 });
    const [old] = await read.select().from(orgUnits).where(eq(orgUnits.code, "01-M1"));
    expect(old!.mergedIntoId).not.toBeNull();
    expect((await read.select().from(certificates).where(eq(certificates.personId, own!))).length).toBe(1);
    expect((await ds("01")).population).toBe(hanoi.population - 2);
    expect((await ds("01")).holders).toBe(hanoi.holders - 2);
    expect((await ds("96")).holders).toBe(camau.holders + 2);
    expect((await ds("96-M2")).population).toBe(2);
    await expectCountersExact();
    const series = await holdersSeries(nationalScope(), "96", (await loadTargets(read)).find((t) => t.code === "T-DS-100")!, seriesDates(todayIso(now), 12), now);
    for (const p of series) expect(p.holders).toBe((await recordsCoverage("96", p.date)).find((r) => r.target_code === "T-DS-100")!.holders);
  });
});
