/**
 * `seed:national`: a reproducible synthetic roster of Vietnam's public service on the real org tree (issue 8).
 *
 * What it writes, for `people` N and a `seed`:
 *  - departments (org_units kind "department", with paths) under every central body (15–25 each) and every
 *    province (15–20 each), from the templates in national-units.ts;
 *  - N people: ~9 % commune officials spread over all 3,321 communes, the rest in departments (public employees
 *    mostly in schools, hospitals and institutes, civil servants mostly in Vụ/Sở/Văn phòng), ~3 % IT/DX staff,
 *    ~8 % leaders, ~1 % who have left; Vietnamese names (NFC) from db/seed/names.ts;
 *  - certificates for the five credentials issued 2023 → as-of date at a realistic pace (ramping up, year-end
 *    rushes, few at weekends; each credential from its launch date), with validity from the courses (so early
 *    basic-digital-skills certificates have expired and about half were renewed), ~0.4 % revoked (a
 *    certificate_status_events row each);
 *  - one signing_keys row ("synthetic" key, is_demo = 1, issuer Bộ Nội vụ G09). Its Ed25519 private key is derived
 *    from the seed, so it is NOT secret: these certificates prove nothing to anyone. By default every synthetic
 *    certificate carries a real Ed25519 signature over the same bytes the app signs (app/certificates/payload.ts:
 *    "LMS-CERT-V1\n" + JCS(payload)), made on worker threads while the main thread inserts; `sign: false` stores
 *    the marker "unsigned-synthetic" instead (faster; such certificates fail verification, as they should);
 *  - planner statistics (ANALYZE) at the end, as after any bulk load;
 *  - then every coverage counter rebuilt for today, exactly as `reports:rebuild` does (own and subtree rows, the
 *    last 12 month-end snapshots, the counters' day): the first HR report after seeding reads them as they are
 *    instead of building them inside a request's write (~40 s at 2.5 M people, during which every other write of
 *    that process waits).
 *
 * Same seed, N, as-of date and starting database → byte-identical rows (ids are derived, not random); the returned
 * `digest` is a SHA-256 over every statement written. Certificates have source "recognised" (there are no exam
 * attempts behind them) and a source note naming the seed, so they can never be mistaken for real passes.
 *
 * Speed: rows go in as multi-row INSERTs of literal values (~100–200 rows per statement, tens of thousands per
 * transaction) on the single write connection; the three secondary indexes that would take random inserts
 * (people by name, certificates by person and by unit) are dropped for the load and rebuilt from their own
 * stored SQL afterwards (schema unchanged; a marker in app_meta restores them if a run dies half way).
 * This is an offline bulk load: run it from the CLI or before a server starts, never inside a serving process.
 */
import { createHash, createPrivateKey, createPublicKey, sign as edSign, type KeyObject } from "node:crypto";
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { Database } from "../client";
import { CREDENTIALS, unitId } from "../reference";
import { CREDENTIAL_IDS, PERSON_CATEGORIES, type CredentialId, type PersonCategory } from "../schema";
import { formatSerial } from "../../app/certificates/serial";
import { PAYLOAD_VERSION, SIGNING_CONTEXT } from "../../app/certificates/payload";
import { nameCode, nameFromCode, normal, prng } from "./names";
import { rebuildCountersIn } from "../../app/reports/counters.server";
import {
  CENTRAL_DEPARTMENTS,
  CENTRAL_DEPARTMENTS_MAX,
  CENTRAL_DEPARTMENTS_MIN,
  PROVINCE_DEPARTMENTS,
  PROVINCE_DEPARTMENTS_MAX,
  PROVINCE_DEPARTMENTS_MIN,
  centralDepartmentName,
  provinceDepartmentName,
  type DepartmentKind,
} from "./national-units";

// ---------------------------------------------------------------------------------------------------------------
// Parameters (documented in docs/decisions/0006-scale-out.md)

/** The default as-of date: certificates are issued up to this day; counters count holders on it. */
export const DEFAULT_AS_OF = "2026-11-15";
/** Serials have 6 digits per credential and year; basic digital skills issues ~26 % of N in its busiest year. */
export const MAX_PEOPLE = 3_500_000;
export const ISSUER_CODE = "G09"; // Bộ Nội vụ: the ministry responsible for civil-service training
export const SYNTHETIC_SOURCE_NOTE = (seed: number) => `synthetic national roster (seed ${seed})`;
export const UNSIGNED_MARKER = "unsigned-synthetic";
const META_KEY = "national_seed";

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
/** Everyone on the synthetic roster was imported on this instant (2023-01-03 08:00 in Viet Nam). */
const ROSTER_IMPORTED_MS = Date.UTC(2023, 0, 3, 1, 0, 0);
const WINDOW_START = "2023-01-01";

export const COMMUNE_SHARE = 0.09;
/** Of the people outside communes, the share that works under central bodies (the rest under provinces). */
export const CENTRAL_SHARE = 0.16;
export const LEFT_SHARE = 0.01;

interface UnitProfile {
  categories: readonly [PersonCategory, number][];
  itDx: number;
  leader: number;
}
export const PROFILES: Record<DepartmentKind | "commune", UnitProfile> = {
  admin: { categories: [["civil_servant", 0.66], ["public_employee", 0.22], ["cadre", 0.12]], itDx: 0.015, leader: 0.13 },
  digital: { categories: [["civil_servant", 0.4], ["public_employee", 0.55], ["cadre", 0.05]], itDx: 0.5, leader: 0.1 },
  service: { categories: [["civil_servant", 0.04], ["public_employee", 0.94], ["cadre", 0.02]], itDx: 0.018, leader: 0.065 },
  commune: { categories: [["commune_official", 1]], itDx: 0.04, leader: 0.1 },
};

/** Share of each population that has earned the credential by the as-of date, and when issuing began. */
interface CredentialPlan {
  id: CredentialId;
  course: string;
  validityMonths: number | null;
  launch: string;
  /** Daily rate at the end of the window relative to its start (the ramp). */
  growth: number;
  chance: (p: { category: PersonCategory; itDx: boolean; leader: boolean }) => number;
}
export const CREDENTIAL_PLANS: readonly CredentialPlan[] = [
  { id: "basic_digital_skills", course: "ky-nang-so-co-ban", validityMonths: 36, launch: "2023-01-01", growth: 2.2, chance: (p) => (p.category === "commune_official" ? 0.66 : 0.74) },
  { id: "ai_public_service", course: "ai-trong-cong-vu", validityMonths: 24, launch: "2025-03-01", growth: 2, chance: (p) => (p.itDx ? 0.45 : p.leader ? 0.25 : 0.14) },
  { id: "basic_data_management", course: "quan-ly-du-lieu-co-ban", validityMonths: 36, launch: "2023-09-01", growth: 2.5, chance: (p) => (p.itDx ? 0.46 : 0.012) },
  { id: "commune_digital_assist", course: "ho-tro-nguoi-dan-dich-vu-cong", validityMonths: 36, launch: "2025-07-01", growth: 1.5, chance: (p) => (p.category === "commune_official" ? 0.58 : 0) },
  { id: "leadership_dx", course: "lanh-dao-chuyen-doi-so", validityMonths: null, launch: "2023-06-01", growth: 1.8, chance: (p) => (p.leader ? 0.19 : 0.004) },
];
export const REVOKED_SHARE = 0.004;
export const RENEWED_SHARE = 0.55;
export const REVOCATION_REASONS = [
  "Cấp nhầm người nhận",
  "Phát hiện gian lận trong bài kiểm tra",
  "Trùng lặp với chứng chỉ đã cấp",
  "Theo yêu cầu của cơ quan quản lý",
] as const;
/** Exam activity by month (Tết in Jan/Feb, year-end reporting rush in Nov/Dec) and by weekday (Sun..Sat). */
const MONTH_FACTOR = [0.6, 0.35, 0.9, 0.95, 1, 1, 0.9, 0.9, 1.05, 1.15, 1.4, 1.7];
const WEEKDAY_FACTOR = [0.08, 1, 1, 1, 1, 1, 0.25];


// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // the Crockford base32 of app/utils/ids.ts

function base32(n: number, width: number): string {
  let s = "";
  for (let i = 0; i < width; i++) {
    s = ALPHABET[n % 32] + s;
    n = Math.floor(n / 32);
  }
  return s;
}

/** A 26-character id shaped like `newId()` (48-bit ms time + 16 chars) but derived: tag + sequence, not random. */
export function syntheticId(ms: number, tag: "p" | "c" | "r", n: number): string {
  return base32(ms, 10) + tag + base32(n, 15);
}

/** Independent deterministic streams per purpose, so changing one part of the model leaves the others alone. */
function stream(seed: number, purpose: number) {
  return prng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(purpose, 0x85ebca6b)) >>> 0);
}

const vnDay = (ms: number) => Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
const dayOfIso = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** YYYY-MM-DD of an instant in Viet Nam (the certificate's calendar). */
export const vnDate = (ms: number) => isoOfDay(vnDay(ms));

/** The same Viet Nam wall-clock time `months` later (the 31st becomes the last day of a shorter month). */
export function addMonthsVn(ms: number, months: number): number {
  const d = new Date(ms + VN_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()) - VN_OFFSET_MS;
}

function largestRemainder(weights: readonly number[], total: number): Int32Array {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = new Int32Array(weights.length);
  if (total <= 0 || sum <= 0) return out;
  const rema: { i: number; r: number }[] = [];
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (weights[i]! / sum) * total;
    out[i] = Math.floor(exact);
    given += out[i]!;
    rema.push({ i, r: exact - out[i]! });
  }
  rema.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < total - given; k++) out[rema[k]!.i]!++;
  return out;
}

function pickCategory(rand: () => number, cats: readonly [PersonCategory, number][]): PersonCategory {
  let x = rand();
  for (const [c, w] of cats) {
    x -= w;
    if (x < 0) return c;
  }
  return cats[cats.length - 1]![0];
}

/** A growable Float64/Int32 column for the certificate plan. */
class Column<T extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private make: (n: number) => T,
  ) {}
  push(v: number) {
    if (this.length === this.data.length) {
      const next = this.make(Math.max(1024, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  get(i: number) {
    return this.data[i]!;
  }
  set(i: number, v: number) {
    this.data[i] = v;
  }
}
const f64 = (n: number) => new Column(new Float64Array(n), (k) => new Float64Array(k));
const i32 = (n: number) => new Column(new Int32Array(n), (k) => new Int32Array(k));
const u8 = (n: number) => new Column(new Uint8Array(n), (k) => new Uint8Array(k));

// ---------------------------------------------------------------------------------------------------------------
// The plan: everything decided in memory, deterministically, before anything is written

export interface ReferenceUnit {
  id: string;
  code: string;
  kind: string;
  parentId: string | null;
  path: string;
  depth: number;
  nameVi: string;
  nameEn: string | null;
  shortName: string | null;
}

export interface DepartmentRow {
  id: string;
  parentId: string;
  kind: "department";
  code: string;
  nameVi: string;
  nameEn: string;
  path: string;
  depth: number;
  createdAt: number;
}

export interface PlanUnit {
  id: string;
  code: string;
  nameVi: string;
  profile: DepartmentKind | "commune";
  people: number;
}

export interface NationalPlan {
  seed: number;
  asOf: string;
  departments: DepartmentRow[];
  /** Units that get people, in insertion order (sorted by id). */
  units: PlanUnit[];
  people: {
    count: number;
    unit: Int32Array;
    category: Uint8Array; // index into PERSON_CATEGORIES
    flags: Uint8Array; // 1 IT/DX, 2 leader, 4 left
    name: Uint32Array;
    leftAt: Float64Array; // NaN while employed
    holds: Uint8Array; // bit per credential: holds a certificate that counts on the as-of date
  };
  certificates: {
    count: number;
    person: Int32Array;
    credential: Uint8Array;
    issuedAt: Float64Array;
    expiresAt: Float64Array; // NaN: no expiry
    revokedAt: Float64Array; // NaN: never revoked
    reason: Uint8Array;
    /** Certificate indices in issue order (insertion and serial order). */
    order: Uint32Array;
  };
  counts: { expired: number; revoked: number; renewed: number };
}

export const FLAG_IT = 1;
export const FLAG_LEADER = 2;
export const FLAG_LEFT = 4;

function dayWeights(launch: string, asOf: string, growth: number): { first: number; cum: Float64Array } | null {
  const first = Math.max(dayOfIso(launch), dayOfIso(WINDOW_START));
  const last = dayOfIso(asOf);
  if (last < first) return null;
  const n = last - first + 1;
  const cum = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = new Date((first + i) * DAY_MS);
    const ramp = 1 + (growth - 1) * (n === 1 ? 1 : i / (n - 1));
    sum += ramp * MONTH_FACTOR[d.getUTCMonth()]! * WEEKDAY_FACTOR[d.getUTCDay()]!;
    cum[i] = sum;
  }
  return { first, cum };
}

function sampleDay(rand: () => number, w: { first: number; cum: Float64Array }): number {
  const x = rand() * w.cum[w.cum.length - 1]!;
  let lo = 0;
  let hi = w.cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (w.cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return w.first + lo;
}

/** An instant on a Viet Nam calendar day, in office hours (07:30–17:30) most of the time. */
function instantOn(rand: () => number, day: number): number {
  const minutes = rand() < 0.9 ? 450 + Math.floor(rand() * 600) : Math.floor(rand() * 1440);
  return day * DAY_MS - VN_OFFSET_MS + minutes * 60_000 + Math.floor(rand() * 60) * 1000;
}

export function planNational(reference: readonly ReferenceUnit[], opts: { people: number; seed: number; asOf?: string }): NationalPlan {
  const N = opts.people;
  const asOf = opts.asOf ?? DEFAULT_AS_OF;
  if (!Number.isInteger(N) || N < 1 || N > MAX_PEOPLE) throw new RangeError(`people must be a whole number from 1 to ${MAX_PEOPLE.toLocaleString("en")}, got ${N}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || isoOfDay(dayOfIso(asOf)) !== asOf) throw new RangeError(`as-of must be a date YYYY-MM-DD, got "${asOf}"`);
  if (asOf < WINDOW_START) throw new RangeError(`as-of must be on or after ${WINDOW_START}, got ${asOf}`);
  const seed = opts.seed;
  const asOfDay = dayOfIso(asOf);

  const byCode = (a: ReferenceUnit, b: ReferenceUnit) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const central = reference.filter((u) => u.depth === 1 && ["ministry", "ministry_level", "gov_agency"].includes(u.kind)).sort(byCode);
  const provinces = reference.filter((u) => u.kind === "province").sort(byCode);
  const communes = reference.filter((u) => u.kind === "commune").sort(byCode);
  if (central.length === 0 || provinces.length === 0 || communes.length === 0) {
    throw new Error("seed:national needs the reference org tree (central bodies, provinces, communes); run db:migrate first.");
  }
  const communesPerProvince = new Map<string, number>();
  for (const c of communes) communesPerProvince.set(c.parentId ?? "", (communesPerProvince.get(c.parentId ?? "") ?? 0) + 1);
  const avgCommunes = communes.length / provinces.length;

  // 1. Departments and unit weights.
  const rUnits = stream(seed, 1);
  const departments: DepartmentRow[] = [];
  const centralW: number[] = [];
  const provinceW: number[] = [];
  const centralUnits: PlanUnit[] = [];
  const provinceUnits: PlanUnit[] = [];
  const bodyFactor: Record<string, number> = { ministry: 1, ministry_level: 0.6, gov_agency: 0.5 };
  const addDept = (parent: ReferenceUnit, i: number, t: (typeof CENTRAL_DEPARTMENTS)[number], names: { nameVi: string; nameEn: string }) => {
    const code = `${parent.code}-D${String(i + 1).padStart(2, "0")}`;
    departments.push({ id: unitId(code), parentId: parent.id, kind: "department", code, ...names, path: `${parent.path}${code}/`, depth: parent.depth + 1, createdAt: ROSTER_IMPORTED_MS });
    return { id: unitId(code), code, nameVi: names.nameVi, profile: t.kind, people: 0 } satisfies PlanUnit;
  };
  for (const c of central) {
    const k = CENTRAL_DEPARTMENTS_MIN + Math.floor(rUnits() * (CENTRAL_DEPARTMENTS_MAX - CENTRAL_DEPARTMENTS_MIN + 1));
    for (let i = 0; i < k; i++) {
      const t = CENTRAL_DEPARTMENTS[i]!;
      centralUnits.push(addDept(c, i, t, centralDepartmentName(t, c)));
      centralW.push(t.weight * (bodyFactor[c.kind] ?? 0.5) * Math.exp(0.3 * normal(rUnits)));
    }
  }
  for (const p of provinces) {
    const k = PROVINCE_DEPARTMENTS_MIN + Math.floor(rUnits() * (PROVINCE_DEPARTMENTS_MAX - PROVINCE_DEPARTMENTS_MIN + 1));
    const size = Math.pow((communesPerProvince.get(p.id) ?? avgCommunes) / avgCommunes, 0.9);
    for (let i = 0; i < k; i++) {
      const t = PROVINCE_DEPARTMENTS[i]!;
      provinceUnits.push(addDept(p, i, t, provinceDepartmentName(t, p)));
      provinceW.push(t.weight * size * Math.exp(0.3 * normal(rUnits)));
    }
  }
  const communeUnits: PlanUnit[] = communes.map((c) => ({ id: c.id, code: c.code, nameVi: c.nameVi, profile: "commune", people: 0 }));
  const communeW = communes.map(() => Math.exp(0.35 * normal(rUnits)));

  const nCommune = Math.round(N * COMMUNE_SHARE);
  const nCentral = Math.round((N - nCommune) * CENTRAL_SHARE);
  const nProvince = N - nCommune - nCentral;
  const assign = (units: PlanUnit[], w: number[], n: number) => largestRemainder(w, n).forEach((k, i) => (units[i]!.people = k));
  assign(centralUnits, centralW, nCentral);
  assign(provinceUnits, provinceW, nProvince);
  assign(communeUnits, communeW, nCommune);
  const units = [...centralUnits, ...provinceUnits, ...communeUnits].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // 2. People, unit by unit (so that ids and the (unit, status) index grow together).
  const rPeople = stream(seed, 2);
  const unit = new Int32Array(N);
  const category = new Uint8Array(N);
  const flags = new Uint8Array(N);
  const name = new Uint32Array(N);
  const leftAt = new Float64Array(N).fill(NaN);
  const catIndex = new Map(PERSON_CATEGORIES.map((c, i) => [c, i]));
  let p = 0;
  for (let u = 0; u < units.length; u++) {
    const prof = PROFILES[units[u]!.profile];
    for (let k = 0; k < units[u]!.people; k++, p++) {
      unit[p] = u;
      name[p] = nameCode(rPeople);
      category[p] = catIndex.get(pickCategory(rPeople, prof.categories))!;
      let f = 0;
      if (rPeople() < prof.itDx) f |= FLAG_IT;
      if (rPeople() < prof.leader) f |= FLAG_LEADER;
      if (rPeople() < LEFT_SHARE) {
        f |= FLAG_LEFT;
        leftAt[p] = instantOn(rPeople, asOfDay - Math.floor(rPeople() * 730));
      }
      flags[p] = f;
    }
  }

  // 3. Certificates, person by person, then sorted into issue order.
  const rCerts = stream(seed, 3);
  const weights = CREDENTIAL_PLANS.map((c) => dayWeights(c.launch, asOf, c.growth));
  const cap = Math.ceil(N * 1.2) + 16;
  const cPerson = i32(cap);
  const cCred = u8(cap);
  const cIssued = f64(cap);
  const cExpires = f64(cap);
  const cRevoked = f64(cap);
  const cReason = u8(cap);
  const holds = new Uint8Array(N);
  const counts = { expired: 0, revoked: 0, renewed: 0 };
  const credIndex = new Map(CREDENTIAL_IDS.map((c, i) => [c, i]));

  const issue = (person: number, ci: number, issuedAt: number, plan: CredentialPlan): boolean => {
    const expiresAt = plan.validityMonths === null ? NaN : addMonthsVn(issuedAt, plan.validityMonths);
    let revokedAt = NaN;
    let reason = 0;
    if (rCerts() < REVOKED_SHARE) {
      const when = issuedAt + (5 + Math.floor(rCerts() * 200)) * DAY_MS;
      reason = Math.floor(rCerts() * REVOCATION_REASONS.length);
      if (vnDay(when) <= asOfDay) revokedAt = when;
    }
    cPerson.push(person);
    cCred.push(ci);
    cIssued.push(issuedAt);
    cExpires.push(expiresAt);
    cRevoked.push(revokedAt);
    cReason.push(reason);
    const expired = !Number.isNaN(expiresAt) && vnDay(expiresAt) <= asOfDay;
    if (expired) counts.expired++;
    if (!Number.isNaN(revokedAt)) counts.revoked++;
    if (!expired && Number.isNaN(revokedAt)) holds[person]! |= 1 << ci;
    return expired && Number.isNaN(revokedAt);
  };

  for (let person = 0; person < N; person++) {
    const f = flags[person]!;
    const traits = { category: PERSON_CATEGORIES[category[person]!]!, itDx: (f & FLAG_IT) !== 0, leader: (f & FLAG_LEADER) !== 0 };
    const leftDay = Number.isNaN(leftAt[person]!) ? Infinity : vnDay(leftAt[person]!);
    for (let k = 0; k < CREDENTIAL_PLANS.length; k++) {
      const plan = CREDENTIAL_PLANS[k]!;
      const w = weights[k];
      if (!w || rCerts() >= plan.chance(traits)) continue;
      const day = sampleDay(rCerts, w);
      if (day > leftDay) continue;
      const issuedAt = instantOn(rCerts, day);
      const ci = credIndex.get(plan.id)!;
      const expiredUnrevoked = issue(person, ci, issuedAt, plan);
      if (expiredUnrevoked && rCerts() < RENEWED_SHARE) {
        const expiryDay = vnDay(addMonthsVn(issuedAt, plan.validityMonths!));
        const renewDay = Math.max(day + 1, expiryDay - 45 + Math.floor(rCerts() * 166));
        if (renewDay <= asOfDay && renewDay <= leftDay) {
          issue(person, ci, instantOn(rCerts, renewDay), plan);
          counts.renewed++;
        }
      }
    }
  }
  const nCerts = cPerson.length;
  const issuedAt = cIssued.data.subarray(0, nCerts);
  const order = new Uint32Array(nCerts);
  for (let i = 0; i < nCerts; i++) order[i] = i;
  order.sort((a, b) => issuedAt[a]! - issuedAt[b]! || a - b);

  return {
    seed,
    asOf,
    departments,
    units,
    people: { count: N, unit, category, flags, name, leftAt, holds },
    certificates: {
      count: nCerts,
      person: cPerson.data.subarray(0, nCerts),
      credential: cCred.data.subarray(0, nCerts),
      issuedAt,
      expiresAt: cExpires.data.subarray(0, nCerts),
      revokedAt: cRevoked.data.subarray(0, nCerts),
      reason: cReason.data.subarray(0, nCerts),
      order,
    },
    counts,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The synthetic signing key and the certificate payload

/** The synthetic key: Ed25519 from a seed-derived 32-byte secret (NOT secret: anyone with the seed has it). */
export function syntheticKey(seed: number): { kid: string; privateKey: KeyObject; publicKeyB64url: string; pkcs8: Buffer } {
  const secret = createHash("sha256").update(`lms synthetic national roster signing key, seed ${seed}`).digest();
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), secret]);
  const privateKey = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" }) as { x: string };
  return { kid: `${ISSUER_CODE}-2023-${secret.subarray(0, 2).toString("hex")}`, privateKey, publicKeyB64url: jwk.x, pkcs8 };
}

/**
 * RFC 8785 canonical JSON of a certificate payload, written out directly (keys in code-point order; strings via
 * JSON.stringify, which is what JCS prescribes for strings). national.test.ts checks it equals
 * canonicalPayloadJson(makePayload(…)) from app/certificates/payload.ts.
 */
export function payloadJson(p: { serial: string; name: string; credential: string; issuedAt: string; expiresAt: string | null; issuer: string; kid: string }): string {
  return `{"credential":${JSON.stringify(p.credential)},"expiresAt":${p.expiresAt === null ? "null" : JSON.stringify(p.expiresAt)},"issuedAt":${JSON.stringify(p.issuedAt)},"issuer":${JSON.stringify(p.issuer)},"kid":${JSON.stringify(p.kid)},"name":${JSON.stringify(p.name)},"serial":${JSON.stringify(p.serial)},"v":${PAYLOAD_VERSION}}`;
}

const SIGNER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createPrivateKey, sign } = require("node:crypto");
const key = createPrivateKey({ key: Buffer.from(workerData.pkcs8), format: "der", type: "pkcs8" });
parentPort.on("message", ({ id, messages }) => {
  const signatures = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) signatures[i] = sign(null, Buffer.from(workerData.context + messages[i], "utf8"), key).toString("base64url");
  parentPort.postMessage({ id, signatures });
});`;

/** Signs payload JSON strings on worker threads (so signing overlaps the inserts on the main thread). */
export function createSigner(pkcs8: Buffer, privateKey: KeyObject, threads: number) {
  if (threads <= 0) {
    return {
      sign: async (messages: string[]) => messages.map((m) => edSign(null, Buffer.from(SIGNING_CONTEXT + m, "utf8"), privateKey).toString("base64url")),
      close: async () => {},
    };
  }
  const workers = Array.from({ length: threads }, () => new Worker(SIGNER_SOURCE, { eval: true, workerData: { pkcs8, context: SIGNING_CONTEXT } }));
  let nextId = 0;
  const waiting = new Map<number, { resolve: (s: string[]) => void; reject: (e: unknown) => void }>();
  for (const w of workers) {
    w.on("message", ({ id, signatures }: { id: number; signatures: string[] }) => {
      waiting.get(id)?.resolve(signatures);
      waiting.delete(id);
    });
    w.on("error", (e) => {
      for (const p of waiting.values()) p.reject(e);
      waiting.clear();
    });
  }
  const one = (w: Worker, messages: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      w.postMessage({ id, messages });
    });
  return {
    async sign(messages: string[]): Promise<string[]> {
      const per = Math.ceil(messages.length / workers.length);
      const parts = await Promise.all(workers.map((w, i) => one(w, messages.slice(i * per, (i + 1) * per))));
      return parts.flat();
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

export type ProgressFn = (phase: string, done: number, total: number) => void;

export interface NationalOptions {
  people: number;
  seed: number;
  asOf?: string;
  /** Real Ed25519 signatures (default) or the "unsigned-synthetic" marker. */
  sign?: boolean;
  /** Signing worker threads; default: cores − 1 (at least 1). 0 signs on the main thread. */
  signerThreads?: number;
  /** The moment the coverage counters are made exact for (its Vietnamese day); default: now. */
  now?: number;
  onProgress?: ProgressFn;
}

export interface NationalSummary {
  seed: number;
  asOf: string;
  people: number;
  departments: number;
  unitsWithPeople: number;
  certificates: number;
  expired: number;
  revoked: number;
  renewed: number;
  counters: number;
  signed: boolean;
  keyId: string;
  shares: { category: Record<PersonCategory, number>; itDx: number; leader: number; left: number };
  certificatesByCredential: Record<CredentialId, number>;
  timingsMs: Record<string, number>;
  digest: string;
}

/** Single-quoted SQL literal (the only escaping SQLite needs in a string literal is doubling the quote). */
function lit(v: string | number | null): string {
  if (v === null) return "NULL";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "NULL";
  return v.includes("'") ? `'${v.replaceAll("'", "''")}'` : `'${v}'`;
}

/** The secondary indexes that would receive random inserts during the load; dropped and rebuilt from their SQL. */
export const DEFERRED_INDEXES = ["people_name_idx", "certificates_person_idx", "certificates_unit_idx"] as const;

async function restorePendingIndexes(database: Database): Promise<void> {
  const c = database.writeClient;
  const r = await c.execute({ sql: "SELECT value FROM app_meta WHERE key = ?", args: [META_KEY] });
  if (r.rows.length === 0) return;
  const meta = JSON.parse(String(r.rows[0]![0])) as { status: string; indexes?: string[] };
  if (meta.status !== "loading" || !meta.indexes) return;
  await c.batch(meta.indexes.map((sql) => sql.replace(/^CREATE (UNIQUE )?INDEX /i, (m) => `${m}IF NOT EXISTS `)), "write");
}

export class NationalSeedError extends Error {
  override name = "CliError"; // printed as one sentence by the CLI
}

export async function seedNational(database: Database, opts: NationalOptions): Promise<NationalSummary> {
  const c = database.writeClient;
  const progress: ProgressFn = opts.onProgress ?? (() => {});
  const sign = opts.sign ?? true;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };

  await restorePendingIndexes(database);
  const existingMeta = await c.execute({ sql: "SELECT value FROM app_meta WHERE key = ?", args: [META_KEY] });
  if (existingMeta.rows.length > 0) {
    const meta = JSON.parse(String(existingMeta.rows[0]![0])) as { status: string; seed?: number; people?: number };
    throw new NationalSeedError(
      meta.status === "done"
        ? `This database already holds a national roster (seed ${meta.seed}, ${meta.people} people); use a fresh database (--db).`
        : "A previous seed:national on this database did not finish; its indexes were restored, but use a fresh database (--db).",
    );
  }

  // Reference units, existing serial sequences and status-list positions (so a demo database can take a roster).
  const ref = await c.execute(
    "SELECT id, code, kind, parent_id, path, depth, name_vi, name_en, short_name FROM org_units WHERE is_reference = 1 AND active_to IS NULL",
  );
  const reference: ReferenceUnit[] = ref.rows.map((r) => ({
    id: String(r[0]),
    code: String(r[1]),
    kind: String(r[2]),
    parentId: r[3] === null ? null : String(r[3]),
    path: String(r[4]),
    depth: Number(r[5]),
    nameVi: String(r[6]),
    nameEn: r[7] === null ? null : String(r[7]),
    shortName: r[8] === null ? null : String(r[8]),
  }));
  const serialNext = new Map<string, number>();
  for (const r of (await c.execute("SELECT substr(serial, 1, length(serial) - 9) AS py, max(CAST(substr(serial, length(serial) - 7, 6) AS INTEGER)) FROM certificates GROUP BY py")).rows) {
    serialNext.set(String(r[0]), Number(r[1]) + 1);
  }
  const statusStart = Number((await c.execute("SELECT coalesce(max(status_list_index), -1) + 1 FROM certificates")).rows[0]![0]);

  progress("plan", 0, 1);
  const plan = planNational(reference, opts);
  progress("plan", 1, 1);
  lap("plan");

  const hash = createHash("sha256");
  const key = syntheticKey(opts.seed);
  const prefixOf = new Map(CREDENTIALS.map((cr) => [cr.id as string, cr.serialPrefix as string]));
  const batch = async (stmts: string[]) => {
    for (const s of stmts) hash.update(s).update("\n");
    await c.batch(stmts, "write");
    // libsql frees a statement's native memory in a finaliser that runs on a later event-loop turn; a loop of
    // awaits never yields one, so without this the process grows by ~1 GB per million rows.
    await new Promise((resolve) => setImmediate(resolve));
  };

  // Larger page cache for the load (this connection only); restored at the end.
  if (database.isLocalFile) await c.execute("PRAGMA cache_size = -262144");
  const indexSql: string[] = [];
  for (const name of DEFERRED_INDEXES) {
    const r = await c.execute({ sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", args: [name] });
    if (r.rows[0]?.[0]) indexSql.push(String(r.rows[0][0]));
  }
  const indexNames = indexSql.map((s) => /INDEX\s+[`"]?([A-Za-z0-9_]+)/i.exec(s)![1]!);

  let finished = false;
  const signer = sign ? createSigner(key.pkcs8, key.privateKey, opts.signerThreads ?? Math.max(1, os.availableParallelism() - 1)) : null;
  try {
    // Departments, the key, the marker and the index drops: one transaction.
    const deptStmts: string[] = [];
    for (let i = 0; i < plan.departments.length; i += 200) {
      const rows = plan.departments.slice(i, i + 200).map((d) => `(${lit(d.id)},${lit(d.parentId)},'department',${lit(d.code)},${lit(d.nameVi)},${lit(d.nameEn)},${lit(d.path)},${d.depth},0,${d.createdAt})`);
      deptStmts.push(`INSERT INTO org_units (id,parent_id,kind,code,name_vi,name_en,path,depth,is_reference,created_at) VALUES ${rows.join(",")}`);
    }
    await batch([
      ...deptStmts,
      `INSERT INTO signing_keys (id,issuer_unit_id,algorithm,public_key,valid_from,valid_to,is_demo,created_at) VALUES (${lit(key.kid)},${lit(unitId(ISSUER_CODE))},'Ed25519',${lit(key.publicKeyB64url)},${Date.UTC(2022, 11, 31, 17)},NULL,1,${ROSTER_IMPORTED_MS})`,
      `INSERT INTO app_meta (key,value) VALUES (${lit(META_KEY)},${lit(JSON.stringify({ status: "loading", seed: opts.seed, people: opts.people, indexes: indexSql }))})`,
      ...indexNames.map((n) => `DROP INDEX ${n}`),
    ]);
    lap("departments");

    // People.
    const P = plan.people;
    const PER_STMT = 200;
    const PER_TX = 50_000;
    const personId = (i: number) => syntheticId(ROSTER_IMPORTED_MS, "p", i);
    for (let start = 0; start < P.count; start += PER_TX) {
      const end = Math.min(P.count, start + PER_TX);
      const stmts: string[] = [];
      for (let s = start; s < end; s += PER_STMT) {
        const rows: string[] = [];
        for (let i = s; i < Math.min(end, s + PER_STMT); i++) {
          const f = P.flags[i]!;
          const left = (f & FLAG_LEFT) !== 0;
          rows.push(
            `('${personId(i)}','NS${String(i + 1).padStart(7, "0")}',${lit(nameFromCode(P.name[i]!))},${lit(plan.units[P.unit[i]!]!.id)},'${PERSON_CATEGORIES[P.category[i]!]}',${f & FLAG_IT ? 1 : 0},${f & FLAG_LEADER ? 1 : 0},'${left ? "left" : "active"}',${left ? P.leftAt[i] : "NULL"},NULL,${ROSTER_IMPORTED_MS},${left ? P.leftAt[i] : ROSTER_IMPORTED_MS})`,
          );
        }
        stmts.push(`INSERT INTO people (id,staff_code,full_name,org_unit_id,category,is_it_dx,is_leader,employment_status,left_at,source_import_id,created_at,updated_at) VALUES ${rows.join(",")}`);
      }
      await batch(stmts);
      progress("people", end, P.count);
    }
    lap("people");

    // Certificates, in issue order; signatures for chunk k+1 are made while chunk k is inserted.
    const C = plan.certificates;
    const CERT_PER_STMT = 100;
    const CERT_PER_TX = 20_000;
    // The columns that are the same on every row are written once per statement, not once per row: SQLite's
    // parser is half of the load's CPU time, so fewer expressions per row is directly faster.
    const certInsertHead = `INSERT INTO certificates (id,serial,person_id,holder_name,holder_unit_id,holder_unit_name,issuer_unit_id,credential_id,course_id,course_version_id,attempt_id,source,source_note,score_percent,issued_at,expires_at,status_list_index,key_id,payload_json,signature,created_by,created_at) SELECT column1,column2,column3,column4,column5,column6,'${unitId(ISSUER_CODE)}',column7,column8,NULL,NULL,'recognised',${lit(SYNTHETIC_SOURCE_NOTE(opts.seed))},NULL,column9,column10,column11,${lit(key.kid)},column12,column13,NULL,column9 FROM (VALUES`;
    const rank = new Uint32Array(C.count); // certificate index → position in issue order (its id's sequence)
    const perCredential = Object.fromEntries(CREDENTIAL_IDS.map((id) => [id, 0])) as Record<CredentialId, number>;
    const build = (start: number) => {
      const end = Math.min(C.count, start + CERT_PER_TX);
      const payloads: string[] = [];
      const serials: string[] = [];
      for (let k = start; k < end; k++) {
        const i = C.order[k]!;
        const cred = CREDENTIAL_IDS[C.credential[i]!]!;
        const issued = C.issuedAt[i]!;
        const year = new Date(issued + VN_OFFSET_MS).getUTCFullYear();
        const py = `${prefixOf.get(cred)}-${year}`;
        const seq = serialNext.get(py) ?? 1;
        if (seq > 999_999) throw new NationalSeedError(`More than 999,999 ${cred} certificates in ${year}: serials have 6 digits; use fewer people.`);
        serialNext.set(py, seq + 1);
        const serial = formatSerial(prefixOf.get(cred)!, year, seq);
        serials.push(serial);
        const exp = C.expiresAt[i]!;
        payloads.push(
          payloadJson({ serial, name: nameFromCode(P.name[C.person[i]!]!), credential: cred, issuedAt: vnDate(issued), expiresAt: Number.isNaN(exp) ? null : vnDate(exp), issuer: ISSUER_CODE, kid: key.kid }),
        );
      }
      return { start, end, payloads, serials, signatures: signer ? signer.sign(payloads) : Promise.resolve(payloads.map(() => UNSIGNED_MARKER)) };
    };
    let next = C.count > 0 ? build(0) : null;
    while (next) {
      const cur = next;
      const signatures = await cur.signatures;
      next = cur.end < C.count ? build(cur.end) : null; // its signing runs on the workers during the insert below
      const stmts: string[] = [];
      for (let s = cur.start; s < cur.end; s += CERT_PER_STMT) {
        const rows: string[] = [];
        for (let k = s; k < Math.min(cur.end, s + CERT_PER_STMT); k++) {
          const i = C.order[k]!;
          const j = k - cur.start;
          const person = C.person[i]!;
          const u = plan.units[P.unit[person]!]!;
          const cred = CREDENTIAL_IDS[C.credential[i]!]!;
          perCredential[cred]++;
          const issued = C.issuedAt[i]!;
          const exp = C.expiresAt[i]!;
          const id = syntheticId(issued, "c", k);
          rank[i] = k;
          rows.push(
            `('${id}','${cur.serials[j]}','${personId(person)}',${lit(nameFromCode(P.name[person]!))},${lit(u.id)},${lit(u.nameVi)},'${cred}','${CREDENTIAL_PLANS[C.credential[i]!]!.course}',${issued},${Number.isNaN(exp) ? "NULL" : exp},${statusStart + k},${lit(cur.payloads[j]!)},'${signatures[j]}')`,
          );
        }
        stmts.push(
          `${certInsertHead} ${rows.join(",")})`,
        );
      }
      await batch(stmts);
      progress("certificates", cur.end, C.count);
    }
    lap("certificates");

    // Revocations, in effective-date order.
    const revoked: number[] = [];
    for (let i = 0; i < C.count; i++) if (!Number.isNaN(C.revokedAt[i]!)) revoked.push(i);
    revoked.sort((a, b) => C.revokedAt[a]! - C.revokedAt[b]! || a - b);
    const evStmts: string[] = [];
    for (let s = 0; s < revoked.length; s += 200) {
      const rows = revoked.slice(s, s + 200).map((i, j) => {
        const at = C.revokedAt[i]!;
        return `('${syntheticId(at, "r", s + j)}','${syntheticId(C.issuedAt[i]!, "c", rank[i]!)}','revoked',${lit(REVOCATION_REASONS[C.reason[i]!]!)},${at},NULL,${at})`;
      });
      evStmts.push(`INSERT INTO certificate_status_events (id,certificate_id,status,reason,effective_at,actor_user_id,created_at) VALUES ${rows.join(",")}`);
    }
    if (evStmts.length > 0) await batch(evStmts);
    progress("revocations", revoked.length, revoked.length);
    lap("revocations");

    // Rebuild the deferred indexes (same SQL as before) and mark the roster done.
    progress("indexes", 0, indexSql.length);
    const summary: NationalSummary = {
      seed: opts.seed,
      asOf: plan.asOf,
      people: P.count,
      departments: plan.departments.length,
      unitsWithPeople: plan.units.filter((u) => u.people > 0).length,
      certificates: C.count,
      expired: plan.counts.expired,
      revoked: plan.counts.revoked,
      renewed: plan.counts.renewed,
      counters: 0, // set once the counters are rebuilt below (not part of the recorded roster)
      signed: sign,
      keyId: key.kid,
      shares: peopleShares(plan),
      certificatesByCredential: perCredential,
      timingsMs: timings,
      digest: "",
    };
    hash.update(key.publicKeyB64url);
    summary.digest = hash.digest("hex");
    const { timingsMs: _, counters: _counters, ...recorded } = summary;
    await c.batch(
      [
        ...indexSql,
        { sql: "UPDATE app_meta SET value = ? WHERE key = ?", args: [JSON.stringify({ status: "done", ...recorded }), META_KEY] },
      ],
      "write",
    );
    finished = true;
    lap("indexes");
    progress("indexes", indexSql.length, indexSql.length);
    // Planner statistics. Without them SQLite joins people to org_units the wrong way round for subtree
    // queries (a path LIKE cannot use an index): measured on 2.5 M people, a unit's head count took 1.4 s
    // before and 1.2 ms after. analysis_limit keeps ANALYZE to ~0.1 s on a 2.6 GB database.
    await c.execute("PRAGMA analysis_limit = 1000");
    await c.execute("ANALYZE");
    lap("analyze");
    // Every counter for today, the way reports:rebuild makes them (after the indexes and statistics, which its
    // SQL needs). Rebuilt rather than added to: a database that already had counters keeps them consistent.
    progress("counters", 0, 1);
    summary.counters = (await rebuildCountersIn(database, opts.now ?? Date.now())).rows;
    progress("counters", 1, 1);
    lap("counters");
    if (database.isLocalFile) await c.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    lap("checkpoint");
    return summary;
  } finally {
    await signer?.close();
    if (!finished) await restorePendingIndexes(database).catch(() => undefined);
    if (database.isLocalFile) await c.execute("PRAGMA cache_size = -2000").catch(() => undefined);
  }
}

export function peopleShares(plan: NationalPlan): NationalSummary["shares"] {
  const n = plan.people.count;
  const cat = new Array(PERSON_CATEGORIES.length).fill(0) as number[];
  let it = 0;
  let leader = 0;
  let left = 0;
  for (let p = 0; p < n; p++) {
    cat[plan.people.category[p]!]!++;
    const f = plan.people.flags[p]!;
    if (f & FLAG_IT) it++;
    if (f & FLAG_LEADER) leader++;
    if (f & FLAG_LEFT) left++;
  }
  const r = (x: number) => Math.round((x / n) * 10_000) / 10_000;
  return {
    category: Object.fromEntries(PERSON_CATEGORIES.map((c, i) => [c, r(cat[i]!)])) as Record<PersonCategory, number>,
    itDx: r(it),
    leader: r(leader),
    left: r(left),
  };
}
