import { eq } from "drizzle-orm";
import { orgUnits } from "#db/schema";
import { NATIONAL_ROOT_CODE, unitId } from "#db/reference";
import { getDatabase } from "~/db.server";

export const NATIONAL_UNIT_ID = unitId(NATIONAL_ROOT_CODE);

export async function getUnitById(id: string) {
  const { read } = await getDatabase();
  const [unit] = await read.select().from(orgUnits).where(eq(orgUnits.id, id));
  return unit ?? null;
}

export async function getUnitByCode(code: string) {
  const { read } = await getDatabase();
  const [unit] = await read.select().from(orgUnits).where(eq(orgUnits.code, code));
  return unit ?? null;
}
