/**
 * Demo data for a new database: a few departments under two ministries and two provinces, a few hundred people
 * and one account per role. Runs once: never over a database that already holds people or accounts.
 */
import { count, eq } from "drizzle-orm";
import type { Database } from "../client";
import { unitId } from "../reference";
import { appMeta, orgUnits, people, users, type PersonCategory, type Role } from "../schema";
import { insertUser, prepareUser, type PreparedUser } from "../../app/auth/accounts.server";
import { newId } from "../../app/utils/ids";
import { pick, prng, vietnameseName } from "./names";

export const DEMO_PASSWORD = "hoc-tap-so-2026";

const DEPARTMENTS = [
  { parent: "G06", code: "G06-VP", nameVi: "Văn phòng Bộ Khoa học và Công nghệ", nameEn: "Office of the Ministry of Science and Technology" },
  { parent: "G06", code: "G06-CDS", nameVi: "Cục Chuyển đổi số quốc gia", nameEn: "National Digital Transformation Agency" },
  { parent: "G06", code: "G06-TCCB", nameVi: "Vụ Tổ chức cán bộ (Bộ KH&CN)", nameEn: "Personnel Department (MOST)" },
  { parent: "G12", code: "G12-THTK", nameVi: "Cục Tin học và Thống kê tài chính", nameEn: "Department of Financial Informatics and Statistics" },
  { parent: "G12", code: "G12-TCCB", nameVi: "Vụ Tổ chức cán bộ (Bộ Tài chính)", nameEn: "Personnel Department (MOF)" },
  { parent: "01", code: "01-SNV", nameVi: "Sở Nội vụ thành phố Hà Nội", nameEn: "Hà Nội Department of Home Affairs" },
  { parent: "01", code: "01-SKHCN", nameVi: "Sở Khoa học và Công nghệ thành phố Hà Nội", nameEn: "Hà Nội Department of Science and Technology" },
  { parent: "96", code: "96-SNV", nameVi: "Sở Nội vụ tỉnh Cà Mau", nameEn: "Cà Mau Department of Home Affairs" },
] as const;

/** Where the demo people work, and how many. Communes hold commune officials. */
const STAFFING: { unit: string; n: number; commune?: boolean }[] = [
  { unit: "G06-VP", n: 40 },
  { unit: "G06-CDS", n: 45 },
  { unit: "G06-TCCB", n: 15 },
  { unit: "G12-THTK", n: 40 },
  { unit: "G12-TCCB", n: 15 },
  { unit: "01-SNV", n: 30 },
  { unit: "01-SKHCN", n: 25 },
  { unit: "00070", n: 20, commune: true },
  { unit: "00004", n: 20, commune: true },
  { unit: "96-SNV", n: 25 },
  { unit: "32002", n: 18, commune: true },
  { unit: "32014", n: 18, commune: true },
];

export interface DemoAccount {
  role: Role;
  username: string;
  password: string;
  displayName: string;
  scope: string;
}

const ACCOUNTS: { role: Role; username: string; name: string; unit: string; scope: string; isItDx?: boolean; isLeader?: boolean; category: PersonCategory }[] = [
  { role: "learner", username: "hocvien", name: "Nguyễn Thị Lan", unit: "G06-VP", scope: "G06-VP", category: "civil_servant" },
  { role: "learner", username: "canboxa", name: "Trần Văn Tuấn", unit: "32002", scope: "32002", category: "commune_official" },
  { role: "hr", username: "nhansu.bo", name: "Lê Văn Minh", unit: "G06-TCCB", scope: "G06", category: "civil_servant" },
  { role: "hr", username: "nhansu.tinh", name: "Phạm Thị Hạnh", unit: "96-SNV", scope: "96", category: "civil_servant" },
  { role: "author", username: "tacgia", name: "Võ Thị Thu", unit: "G06-CDS", scope: "VN", category: "public_employee", isItDx: true },
  { role: "admin", username: "quantri", name: "Hoàng Văn Dũng", unit: "G06-CDS", scope: "VN", category: "civil_servant", isItDx: true },
];

async function alreadyHasData(database: Database): Promise<boolean> {
  const [u] = await database.read.select({ n: count() }).from(users);
  const [p] = await database.read.select({ n: count() }).from(people);
  return (u?.n ?? 0) > 0 || (p?.n ?? 0) > 0;
}

export async function isDemoSeeded(database: Database): Promise<boolean> {
  const [row] = await database.read.select().from(appMeta).where(eq(appMeta.key, "demo_seeded"));
  return Boolean(row);
}

export function demoAccounts(): DemoAccount[] {
  return ACCOUNTS.map((a) => ({ role: a.role, username: a.username, password: DEMO_PASSWORD, displayName: a.name, scope: a.scope }));
}

/** Seeds the demo once. Returns the accounts created, or null when the database already had data. */
export async function seedDemo(database: Database, seed = 2026): Promise<DemoAccount[] | null> {
  if ((await isDemoSeeded(database)) || (await alreadyHasData(database))) return null;
  const rand = prng(seed);
  const now = Date.now();
  const parents = await database.read.select().from(orgUnits);
  const byCode = new Map(parents.map((u) => [u.code, u]));

  const unitRows = DEPARTMENTS.map((d) => {
    const parent = byCode.get(d.parent);
    if (!parent) throw new Error(`Demo seed: reference unit ${d.parent} is missing; run db:migrate first.`);
    return { id: unitId(d.code), parentId: parent.id, kind: "department" as const, code: d.code, nameVi: d.nameVi, nameEn: d.nameEn, path: `${parent.path}${d.code}/`, depth: parent.depth + 1, createdAt: now };
  });

  type PersonRow = typeof people.$inferInsert;
  const personRows: PersonRow[] = [];
  let seq = 1;
  const staffCode = () => `DEMO${String(seq++).padStart(5, "0")}`;
  for (const s of STAFFING) {
    for (let i = 0; i < s.n; i++) {
      const category: PersonCategory = s.commune ? "commune_official" : pick(rand, ["civil_servant", "public_employee", "cadre"] as const, [70, 25, 5]);
      personRows.push({
        id: newId(),
        staffCode: staffCode(),
        fullName: vietnameseName(rand),
        orgUnitId: unitId(s.unit),
        category,
        isItDx: s.unit.endsWith("-CDS") || s.unit.endsWith("-THTK") ? rand() < 0.6 : rand() < 0.04,
        isLeader: rand() < 0.09,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  const prepared: { account: (typeof ACCOUNTS)[number]; user: PreparedUser }[] = [];
  for (const a of ACCOUNTS) {
    const personId = newId();
    personRows.push({ id: personId, staffCode: staffCode(), fullName: a.name, orgUnitId: unitId(a.unit), category: a.category, isItDx: a.isItDx ?? false, isLeader: a.isLeader ?? a.role === "hr", createdAt: now, updatedAt: now });
    const roles: { role: Role; orgUnitId: string }[] = [{ role: "learner", orgUnitId: unitId(a.unit) }];
    if (a.role !== "learner") roles.push({ role: a.role, orgUnitId: unitId(a.scope) });
    prepared.push({ account: a, user: await prepareUser({ username: a.username, displayName: a.name, password: DEMO_PASSWORD, personId, roles, isDemo: true }) });
  }

  await database.write(async (tx) => {
    await tx.insert(orgUnits).values(unitRows);
    for (let i = 0; i < personRows.length; i += 200) await tx.insert(people).values(personRows.slice(i, i + 200));
    for (const p of prepared) await insertUser(tx, p.user, "demo-seed");
    await tx.insert(appMeta).values({ key: "demo_seeded", value: new Date(now).toISOString() });
  });
  return demoAccounts();
}
