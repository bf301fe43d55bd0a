/**
 * Reference data every database gets from `db:migrate`, with or without demo data: the national org tree
 * (22 central bodies, 34 provinces, 3,321 communes), the credentials and the national targets.
 * Idempotent: rows are upserted by code; targets an administrator has edited are left alone.
 */
import { eq, sql } from "drizzle-orm";
import { readFileSync } from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import type { Database } from "./client";
import { appMeta, credentials, orgUnits, targets, type OrgUnitKind } from "./schema";

export const REFERENCE_DATA_VERSION = "2025-07-01.1";
export const NATIONAL_ROOT_CODE = "VN";

const DATA_DIR = path.resolve(process.env.LMS_ROOT ?? process.cwd(), "db/seed/data");

function readCsv<T>(file: string): T[] {
  const text = readFileSync(path.join(DATA_DIR, file), "utf8").replace(/^\uFEFF/, "");
  const parsed = Papa.parse<T>(text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!;
    throw new Error(`${file}:${(e.row ?? 0) + 2}: ${e.message}`);
  }
  return parsed.data;
}

export const unitId = (code: string) => `ou-${code}`;

export const CREDENTIALS = [
  { id: "basic_digital_skills", serialPrefix: "KNS", nameVi: "Kỹ năng số cơ bản", nameEn: "Basic digital skills" },
  { id: "ai_public_service", serialPrefix: "AIC", nameVi: "Ứng dụng AI trong công vụ", nameEn: "AI in public service" },
  { id: "basic_data_management", serialPrefix: "QLD", nameVi: "Quản lý dữ liệu cơ bản", nameEn: "Basic data management" },
  { id: "commune_digital_assist", serialPrefix: "HTX", nameVi: "Hỗ trợ người dân sử dụng dịch vụ số (cấp xã)", nameEn: "Assisting citizens with digital services (commune level)" },
  { id: "leadership_dx", serialPrefix: "LDS", nameVi: "Lãnh đạo chuyển đổi số", nameEn: "Digital transformation leadership" },
] as const;

export const TARGETS = [
  { code: "T-DS-100", credentialId: "basic_digital_skills", rule: { kind: "all" }, percent: 100, deadline: "2027-12-31", titleVi: "100% cán bộ, công chức, viên chức được đào tạo kỹ năng số cơ bản", titleEn: "100% of cadres, civil servants and public employees trained in basic digital skills" },
  { code: "T-DM-50", credentialId: "basic_data_management", rule: { kind: "it_dx" }, percent: 50, deadline: "2027-12-31", titleVi: "50% cán bộ CNTT, chuyển đổi số có chứng chỉ quản lý dữ liệu cơ bản", titleEn: "50% of IT/DX staff hold a basic data-management certificate" },
  { code: "T-DM-100", credentialId: "basic_data_management", rule: { kind: "it_dx" }, percent: 100, deadline: "2030-12-31", titleVi: "100% chuyên trách CNTT, chuyển đổi số có chứng chỉ quản lý dữ liệu cơ bản", titleEn: "100% of IT/DX specialists hold a basic data-management certificate" },
  { code: "T-LEAD-25", credentialId: "leadership_dx", rule: { kind: "leader" }, percent: 25, deadline: "2030-12-31", titleVi: "25% đội ngũ lãnh đạo có chuyên môn về chuyển đổi số", titleEn: "25% of leaders with digital-transformation expertise" },
  { code: "T-XA-100", credentialId: "commune_digital_assist", rule: { kind: "category", categories: ["commune_official"] }, percent: 100, deadline: "2027-12-31", titleVi: "100% cán bộ cấp xã được bồi dưỡng kỹ năng hỗ trợ người dân sử dụng dịch vụ số", titleEn: "100% of commune officials trained to help citizens use digital services" },
] as const;

interface CentralRow { ecode: string; name_vi: string; name_en: string; kind: string }
interface ProvinceRow { code: string; name: string; short_name: string; type: string }
interface CommuneRow { code: string; name: string; type: string; province_code: string }

export async function loadReferenceData(database: Database, now = Date.now()): Promise<"loaded" | "current"> {
  const current = await database.read.select().from(appMeta).where(eq(appMeta.key, "reference_data_version"));
  if (current[0]?.value === REFERENCE_DATA_VERSION) return "current";

  const central = readCsv<CentralRow>("central-bodies-2025.csv");
  const provinces = readCsv<ProvinceRow>("provinces-2025.csv");
  const communes = readCsv<CommuneRow>("communes-2025.csv");
  const provinceCodes = new Set(provinces.map((p) => p.code));
  for (const [i, c] of communes.entries()) {
    if (!provinceCodes.has(c.province_code)) {
      throw new Error(`communes-2025.csv:${i + 2}: unknown province_code "${c.province_code}"`);
    }
  }

  type UnitRow = typeof orgUnits.$inferInsert;
  const root = `/${NATIONAL_ROOT_CODE}/`;
  const rows: UnitRow[] = [
    { id: unitId(NATIONAL_ROOT_CODE), parentId: null, kind: "national", code: NATIONAL_ROOT_CODE, nameVi: "Việt Nam (toàn quốc)", nameEn: "Viet Nam (national)", path: root, depth: 0, isReference: true, createdAt: now },
    ...central.map((c): UnitRow => ({ id: unitId(c.ecode), parentId: unitId(NATIONAL_ROOT_CODE), kind: c.kind as OrgUnitKind, code: c.ecode, nameVi: c.name_vi.normalize("NFC"), nameEn: c.name_en, path: `${root}${c.ecode}/`, depth: 1, isReference: true, activeFrom: "2025-03-01", createdAt: now })),
    ...provinces.map((p): UnitRow => ({ id: unitId(p.code), parentId: unitId(NATIONAL_ROOT_CODE), kind: "province", code: p.code, nameVi: p.name.normalize("NFC"), shortName: p.short_name.normalize("NFC"), path: `${root}${p.code}/`, depth: 1, isReference: true, activeFrom: "2025-07-01", createdAt: now })),
    ...communes.map((c): UnitRow => ({ id: unitId(c.code), parentId: unitId(c.province_code), kind: "commune", code: c.code, nameVi: c.name.normalize("NFC"), path: `${root}${c.province_code}/${c.code}/`, depth: 2, isReference: true, activeFrom: "2025-07-01", createdAt: now })),
  ];

  await database.write(async (tx) => {
    for (let i = 0; i < rows.length; i += 400) {
      const chunk = rows.slice(i, i + 400);
      await tx
        .insert(orgUnits)
        .values(chunk)
        .onConflictDoUpdate({
          target: orgUnits.code,
          set: { nameVi: sqlExcluded("name_vi"), nameEn: sqlExcluded("name_en"), shortName: sqlExcluded("short_name"), kind: sqlExcluded("kind") },
        });
    }
    for (const c of CREDENTIALS) {
      await tx.insert(credentials).values(c).onConflictDoUpdate({ target: credentials.id, set: { nameVi: c.nameVi, nameEn: c.nameEn } });
    }
    for (const t of TARGETS) {
      await tx
        .insert(targets)
        .values({ id: `target-${t.code}`, code: t.code, credentialId: t.credentialId, populationRuleJson: JSON.stringify(t.rule), percent: t.percent, deadline: t.deadline, titleVi: t.titleVi, titleEn: t.titleEn, updatedAt: now })
        .onConflictDoNothing();
    }
    await tx
      .insert(appMeta)
      .values({ key: "reference_data_version", value: REFERENCE_DATA_VERSION })
      .onConflictDoUpdate({ target: appMeta.key, set: { value: REFERENCE_DATA_VERSION } });
  });
  return "loaded";
}

function sqlExcluded(column: string) {
  return sql.raw(`excluded.${column}`);
}
