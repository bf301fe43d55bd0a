import { copyFileSync } from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../client";
import { CREDENTIALS } from "../reference";
import { countsAt, segmentsOfPerson, type PersonLite } from "../../app/reports/coverage";
import { countersDay, expectedCounterRows, snapshotDays, storedCounterRows } from "../../app/reports/counters.server";
import { isoDateAt } from "../../app/reports/dates";
import { canonicalPayloadJson, importPublicKeyB64url, makePayload, verifyPayload, type CertificatePayload } from "../../app/certificates/payload";
import { formatSerial, isValidSerial, parseSerial } from "../../app/certificates/serial";
import {
  DEFERRED_INDEXES,
  FLAG_IT,
  FLAG_LEADER,
  FLAG_LEFT,
  UNSIGNED_MARKER,
  addMonthsVn,
  payloadJson,
  planNational,
  seedNational,
  type NationalSummary,
  type ReferenceUnit,
} from "./national";
import { nameCode, nameFromCode, prng } from "./names";

const N = 5000;
const AS_OF = "2026-11-15";
/** The seeding moment: counters are made exact for its day (ten days after the as-of date, like a real run). */
const NOW = Date.UTC(2026, 10, 25, 5);
const TODAY = isoDateAt(NOW);

/** A fresh copy of the migrated base database (schema + reference tree), like the per-file test setup makes. */
async function freshDatabase(name: string): Promise<Database> {
  const file = path.resolve(`.cache/test/files/${process.pid}-${Date.now()}-${name}.db`);
  copyFileSync(path.resolve(".cache/test/base.db"), file);
  return openDatabase(`file:${file}`);
}

async function rows(db: Database, sql: string): Promise<unknown[][]> {
  const r = await db.readClient.execute(sql);
  return r.rows.map((row) => Array.from(row));
}

/** SHA-256 over everything the seed wrote, read back from the database in a fixed order. */
async function tableDigest(db: Database): Promise<string> {
  const h = createHash("sha256");
  for (const sql of [
    "SELECT * FROM org_units WHERE kind = 'department' ORDER BY id",
    "SELECT * FROM people ORDER BY id",
    "SELECT * FROM certificates ORDER BY id",
    "SELECT * FROM certificate_status_events ORDER BY id",
    "SELECT * FROM coverage_counters ORDER BY org_unit_id, credential_id, segment",
    "SELECT * FROM signing_keys ORDER BY id",
  ]) {
    for (const r of await rows(db, sql)) h.update(JSON.stringify(r)).update("\n");
  }
  return h.digest("hex");
}

async function referenceUnits(db: Database): Promise<ReferenceUnit[]> {
  const r = await rows(db, "SELECT id, code, kind, parent_id, path, depth, name_vi, name_en, short_name FROM org_units WHERE is_reference = 1");
  return r.map(([id, code, kind, parentId, p, depth, nameVi, nameEn, shortName]) => ({
    id: String(id),
    code: String(code),
    kind: String(kind),
    parentId: parentId === null ? null : String(parentId),
    path: String(p),
    depth: Number(depth),
    nameVi: String(nameVi),
    nameEn: nameEn === null ? null : String(nameEn),
    shortName: shortName === null ? null : String(shortName),
  }));
}

describe("seed:national on a small roster", () => {
  let a: Database;
  let b: Database;
  let summaryA: NationalSummary;
  let summaryB: NationalSummary;
  let indexSqlBefore: unknown[][];

  beforeAll(async () => {
    a = await freshDatabase("a");
    b = await freshDatabase("b");
    indexSqlBefore = await rows(a, `SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`);
    const phases = new Set<string>();
    summaryA = await seedNational(a, { people: N, seed: 7, asOf: AS_OF, now: NOW, onProgress: (p) => phases.add(p) });
    expect([...phases]).toEqual(["plan", "people", "certificates", "revocations", "indexes", "counters"]);
    summaryB = await seedNational(b, { people: N, seed: 7, asOf: AS_OF, now: NOW, signerThreads: 0 });
  });
  afterAll(() => {
    a.close();
    b.close();
  });

  it("is reproducible: the same seed writes the same rows (also with signing on the main thread)", async () => {
    expect(summaryA.digest).toBe(summaryB.digest);
    expect(await tableDigest(a)).toBe(await tableDigest(b));
    expect(summaryA.people).toBe(N);
    expect(Number((await rows(a, "SELECT count(*) FROM people"))[0]![0])).toBe(N);
  });

  it("gives a different roster for a different seed", async () => {
    const c = await freshDatabase("c");
    const s = await seedNational(c, { people: N, seed: 8, asOf: AS_OF, sign: false });
    expect(s.digest).not.toBe(summaryA.digest);
    expect(await tableDigest(c)).not.toBe(await tableDigest(a));
    const sigs = await rows(c, "SELECT DISTINCT signature FROM certificates");
    expect(sigs).toEqual([[UNSIGNED_MARKER]]);
    c.close();
  });

  it("leaves every foreign key satisfied and the schema's indexes exactly as they were", async () => {
    expect(await rows(a, "PRAGMA foreign_key_check")).toEqual([]);
    expect(await rows(a, `SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`)).toEqual(indexSqlBefore);
    const names = (await rows(a, "SELECT name FROM sqlite_master WHERE type = 'index'")).map((r) => r[0]);
    for (const n of DEFERRED_INDEXES) expect(names).toContain(n);
    expect(await rows(a, "PRAGMA integrity_check")).toEqual([["ok"]]);
    // ANALYZE ran (planner statistics for the new rows): a stat starts with the (estimated) row count.
    const stat = await rows(a, "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'people'");
    const unitIdx = stat.find((r) => r[0] === "people_unit_status_idx");
    expect(Number(String(unitIdx?.[1]).split(" ")[0])).toBeGreaterThan(N * 0.9);
  });

  it("adds 15–25 departments per central body and 15–20 per province, with consistent paths", async () => {
    const depts = await rows(
      a,
      `SELECT d.code, d.path, d.depth, p.path, p.depth, p.kind, d.name_vi FROM org_units d JOIN org_units p ON p.id = d.parent_id WHERE d.kind = 'department'`,
    );
    expect(depts.length).toBe(summaryA.departments);
    const perParent = new Map<string, { kind: string; n: number }>();
    for (const [code, p, depth, parentPath, parentDepth, parentKind, nameVi] of depts) {
      expect(p).toBe(`${parentPath}${code}/`);
      expect(depth).toBe(Number(parentDepth) + 1);
      expect(String(nameVi)).toBe(String(nameVi).normalize("NFC"));
      const e = perParent.get(String(parentPath)) ?? { kind: String(parentKind), n: 0 };
      e.n++;
      perParent.set(String(parentPath), e);
    }
    const central = [...perParent.values()].filter((e) => e.kind !== "province");
    const provinces = [...perParent.values()].filter((e) => e.kind === "province");
    expect(central).toHaveLength(22);
    expect(provinces).toHaveLength(34);
    for (const e of central) expect(e.n).toBeGreaterThanOrEqual(15), expect(e.n).toBeLessThanOrEqual(25);
    for (const e of provinces) expect(e.n).toBeGreaterThanOrEqual(15), expect(e.n).toBeLessThanOrEqual(20);
  });

  it("puts commune officials in communes and only there, with NFC Vietnamese names", async () => {
    const byKind = await rows(a, `SELECT u.kind, p.category, count(*) FROM people p JOIN org_units u ON u.id = p.org_unit_id GROUP BY 1, 2`);
    for (const [kind, category] of byKind) {
      expect(kind === "commune").toBe(category === "commune_official");
    }
    const names = await rows(a, "SELECT full_name FROM people");
    for (const [n] of names) {
      expect(String(n)).toBe(String(n).normalize("NFC"));
      expect(String(n)).toMatch(/^\S+( \S+)+$/);
    }
    expect(new Set(names.map((r) => r[0])).size).toBeGreaterThan(1000);
  });

  it("has a realistic mix: ~9 % commune officials, mostly public employees, ~3 % IT/DX, ~8 % leaders", async () => {
    const [[total, commune, pe, it, leaders, left]] = (await rows(
      a,
      `SELECT count(*), sum(category = 'commune_official'), sum(category = 'public_employee'), sum(is_it_dx), sum(is_leader), sum(employment_status = 'left') FROM people`,
    )) as number[][];
    const share = (x: number) => x / total!;
    expect(share(commune!)).toBeCloseTo(0.09, 2);
    expect(share(pe!)).toBeGreaterThan(0.55);
    expect(share(it!)).toBeGreaterThan(0.02);
    expect(share(it!)).toBeLessThan(0.045);
    expect(share(leaders!)).toBeGreaterThan(0.065);
    expect(share(leaders!)).toBeLessThan(0.1);
    expect(share(left!)).toBeGreaterThan(0.003);
    expect(share(left!)).toBeLessThan(0.02);
  });

  it("issues certificates 2023 → as-of with the five credentials, basic digital skills most; some expired, renewed and revoked", async () => {
    const byCred = new Map((await rows(a, "SELECT credential_id, count(*) FROM certificates GROUP BY 1")).map(([c, n]) => [String(c), Number(n)]));
    expect([...byCred.keys()].sort()).toEqual(CREDENTIALS.map((c) => c.id).sort());
    const bds = byCred.get("basic_digital_skills")!;
    for (const [c, n] of byCred) if (c !== "basic_digital_skills") expect(n).toBeLessThan(bds);
    expect(bds / N).toBeGreaterThan(0.65);
    const [[minIssued, maxIssued]] = await rows(a, "SELECT min(issued_at), max(issued_at) FROM certificates");
    expect(isoDateAt(Number(minIssued))).toMatch(/^2023-0/);
    expect(isoDateAt(Number(maxIssued)) <= AS_OF).toBe(true);
    expect(summaryA.expired).toBeGreaterThan(0);
    expect(summaryA.renewed).toBeGreaterThan(0);
    expect(summaryA.revoked).toBeGreaterThan(0);
    const events = await rows(a, "SELECT e.status, e.effective_at, c.issued_at FROM certificate_status_events e JOIN certificates c ON c.id = e.certificate_id");
    expect(events.length).toBe(summaryA.revoked);
    for (const [status, at, issued] of events) {
      expect(status).toBe("revoked");
      expect(Number(at)).toBeGreaterThan(Number(issued));
    }
    // Each year's issues grow on the one before (the pace ramps up to the 2027 deadline).
    const perYear = await rows(a, "SELECT strftime('%Y', issued_at / 1000 + 25200, 'unixepoch') AS y, count(*) FROM certificates WHERE credential_id = 'basic_digital_skills' GROUP BY y ORDER BY y");
    expect(perYear.map((r) => r[0])).toEqual(["2023", "2024", "2025", "2026"]);
    for (let i = 1; i < 3; i++) expect(Number(perYear[i]![1])).toBeGreaterThan(Number(perYear[i - 1]![1]));
  });

  it("writes certificates the app can verify: canonical payload, valid chronological serials, real Ed25519 signatures", async () => {
    const [[kid, pub]] = await rows(a, "SELECT id, public_key FROM signing_keys");
    const key = importPublicKeyB64url(String(pub));
    const certs = await rows(a, "SELECT serial, holder_name, credential_id, issued_at, expires_at, key_id, payload_json, signature, status_list_index FROM certificates ORDER BY id");
    const lastSeq = new Map<string, number>();
    let lastIndex = -1;
    for (const [serial, name, credential, issuedAt, expiresAt, keyId, json, signature, statusIndex] of certs) {
      expect(isValidSerial(String(serial))).toBe(true);
      const parsed = parseSerial(String(serial));
      if (!parsed.ok) throw new Error(parsed.message);
      const py = `${parsed.value.prefix}-${parsed.value.year}`;
      expect(parsed.value.sequence).toBe((lastSeq.get(py) ?? 0) + 1);
      lastSeq.set(py, parsed.value.sequence);
      expect(Number(statusIndex)).toBe(lastIndex + 1);
      lastIndex = Number(statusIndex);
      expect(keyId).toBe(kid);
      const payload: CertificatePayload = makePayload({
        serial: String(serial),
        name: String(name),
        credential: String(credential),
        issuedAt: new Date(Number(issuedAt)),
        expiresAt: expiresAt === null ? null : new Date(Number(expiresAt)),
        issuer: "G09",
        kid: String(kid),
      });
      expect(json).toBe(canonicalPayloadJson(payload));
    }
    // Signature checks are ~60 µs each: check a spread sample, including the first and last.
    for (let i = 0; i < certs.length; i += 97) {
      const payload = JSON.parse(String(certs[i]![6])) as CertificatePayload;
      expect(verifyPayload(payload, String(certs[i]![7]), key)).toBe(true);
    }
    const tampered = { ...(JSON.parse(String(certs[0]![6])) as CertificatePayload), name: "Nguyễn Văn Giả" };
    expect(verifyPayload(tampered, String(certs[0]![7]), key)).toBe(false);
  });

  it("fills the own-unit coverage counters for today exactly as a recomputation from people and certificates gives", async () => {
    const people = await rows(a, "SELECT id, org_unit_id, category, is_it_dx, is_leader, employment_status FROM people");
    const certs = await rows(
      a,
      `SELECT c.person_id, c.credential_id, c.issued_at, c.expires_at, (SELECT min(effective_at) FROM certificate_status_events e WHERE e.certificate_id = c.id AND e.status = 'revoked') FROM certificates c`,
    );
    const holds = new Set<string>();
    for (const [personId, cred, issued, expires, revoked] of certs) {
      const lite = {
        personId: String(personId),
        credentialId: String(cred),
        issuedOn: isoDateAt(Number(issued)),
        expiresOn: expires === null ? null : isoDateAt(Number(expires)),
        revokedOn: revoked === null ? null : isoDateAt(Number(revoked)),
      };
      if (countsAt(lite, TODAY)) holds.add(`${lite.personId}|${lite.credentialId}`);
    }
    const expected = new Map<string, { population: number; holders: number }>();
    for (const [id, unit, category, it, leader, status] of people) {
      const p: PersonLite = { id: String(id), category: category as PersonLite["category"], isItDx: Boolean(it), isLeader: Boolean(leader), active: status === "active" };
      for (const seg of segmentsOfPerson(p)) {
        for (const c of CREDENTIALS) {
          const k = `${unit}|${c.id}|${seg}`;
          const e = expected.get(k) ?? { population: 0, holders: 0 };
          e.population++;
          if (holds.has(`${p.id}|${c.id}`)) e.holders++;
          expected.set(k, e);
        }
      }
    }
    const actual = new Map(
      (
        await rows(
          a,
          "SELECT org_unit_id, credential_id, segment, population, holders FROM coverage_counters WHERE segment NOT LIKE 'tree:%' AND segment NOT LIKE 'snap:%' AND segment NOT LIKE '%|new90'",
        )
      ).map(([u, c, s, p, h]) => [
        `${u}|${c}|${s}`,
        { population: Number(p), holders: Number(h) },
      ]),
    );
    expect(actual.size).toBe(expected.size);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    expect([...actual.values()].some((v) => v.holders > 0)).toBe(true);
  });

  it("leaves the report counters ready for today: the counters' day set, every row as reports:rebuild makes it", async () => {
    expect(await countersDay(a.read)).toBe(TODAY);
    expect(await storedCounterRows(a.read)).toEqual(await expectedCounterRows(a.read, TODAY));
    // Subtree rows: the national unit counts every active person; month-end snapshots of the last year exist.
    const active = Number((await rows(a, "SELECT count(*) FROM people WHERE employment_status = 'active'"))[0]![0]);
    const [[vn]] = (await rows(a, "SELECT population FROM coverage_counters c JOIN org_units u ON u.id = c.org_unit_id WHERE u.code = 'VN' AND c.credential_id = 'basic_digital_skills' AND c.segment = 'tree:all'")) as [[number]];
    expect(Number(vn)).toBe(active);
    expect(await snapshotDays(a.read)).toHaveLength(12);
    expect(summaryA.counters).toBe(Number((await rows(a, "SELECT count(*) FROM coverage_counters"))[0]![0]));
  });

  it("refuses to add a second national roster to the same database", async () => {
    await expect(seedNational(a, { people: 10, seed: 1 })).rejects.toThrow(/already holds a national roster \(seed 7, 5000 people\)/);
  });
});

describe("seed:national safety", () => {
  it("restores the dropped indexes when a run fails half way, and refuses to continue on that database", async () => {
    const db = await freshDatabase("fail");
    const before = await rows(db, `SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`);
    await expect(
      seedNational(db, {
        people: 500,
        seed: 3,
        onProgress: (phase) => {
          if (phase === "certificates") throw new Error("disk full (simulated)");
        },
      }),
    ).rejects.toThrow("disk full (simulated)");
    expect(await rows(db, `SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`)).toEqual(before);
    await expect(seedNational(db, { people: 500, seed: 3 })).rejects.toThrow(/did not finish/);
    db.close();
  });

  it("rejects sizes and dates it cannot honour, with one clear sentence", async () => {
    const db = await freshDatabase("bad");
    const ref = await referenceUnits(db);
    expect(() => planNational(ref, { people: 0, seed: 1 })).toThrow(/people must be a whole number from 1/);
    expect(() => planNational(ref, { people: 4_000_000, seed: 1 })).toThrow(/3,500,000/);
    expect(() => planNational(ref, { people: 10, seed: 1, asOf: "2026-02-30" })).toThrow(/as-of must be a date/);
    expect(() => planNational([], { people: 10, seed: 1 })).toThrow(/reference org tree/);
    db.close();
  });
});

describe("the national plan at a larger size (in memory)", () => {
  it("keeps the documented shares within a tight tolerance at 200,000 people", async () => {
    const db = await freshDatabase("plan");
    const plan = planNational(await referenceUnits(db), { people: 200_000, seed: 42, asOf: AS_OF });
    db.close();
    let it = 0;
    let leader = 0;
    let left = 0;
    for (let p = 0; p < plan.people.count; p++) {
      const f = plan.people.flags[p]!;
      if (f & FLAG_IT) it++;
      if (f & FLAG_LEADER) leader++;
      if (f & FLAG_LEFT) left++;
    }
    expect(it / 200_000).toBeGreaterThan(0.025);
    expect(it / 200_000).toBeLessThan(0.035);
    expect(leader / 200_000).toBeGreaterThan(0.07);
    expect(leader / 200_000).toBeLessThan(0.09);
    expect(left / 200_000).toBeCloseTo(0.01, 2);
    expect(plan.units.reduce((a, u) => a + u.people, 0)).toBe(200_000);
    // Every commune gets people at this size, and the plan's certificate order is chronological.
    expect(plan.units.filter((u) => u.profile === "commune" && u.people > 0)).toHaveLength(3321);
    const { order, issuedAt } = plan.certificates;
    for (let k = 1; k < order.length; k++) expect(issuedAt[order[k]!]! >= issuedAt[order[k - 1]!]!).toBe(true);
  });
});

describe("helpers", () => {
  it.each([
    ["Nguyễn Thị Phương Thảo", "2024-01-31"],
    ["H'Hen Niê", "2025-12-31"],
    ['Lê "Bé" Văn', null],
  ])("payloadJson(%s, expires %s) equals canonicalPayloadJson(makePayload(…))", (name, expiresAt) => {
    const p = makePayload({ serial: formatSerial("KNS", 2025, 1), name, credential: "basic_digital_skills", issuedAt: "2024-01-31", expiresAt, issuer: "G09", kid: "G09-2023-ab12" });
    expect(payloadJson(p)).toBe(canonicalPayloadJson(p));
  });

  it.each([
    ["2023-01-31T03:00:00Z", 1, "2023-02-28"],
    ["2024-02-29T03:00:00Z", 36, "2027-02-28"],
    ["2025-06-15T20:00:00Z", 24, "2027-06-16"], // 03:00 on 16 June in Viet Nam
  ])("addMonthsVn(%s, %i) falls on %s in Viet Nam", (iso, months, expected) => {
    expect(isoDateAt(addMonthsVn(Date.parse(iso), months))).toBe(expected);
  });

  it("name codes round-trip to NFC names, Kinh and highland patterns alike", () => {
    const rand = prng(5);
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const name = nameFromCode(nameCode(rand, 0.2));
      expect(name).toBe(name.normalize("NFC"));
      seen.add(name.startsWith("Y ") || name.startsWith("H'") ? "highland" : "kinh");
    }
    expect([...seen].sort()).toEqual(["highland", "kinh"]);
  });
});
