import { describe, expect, it } from "vitest";
import { parseRosterFile } from "../../../app/reports/roster-parse.server";
import { rosterCsv } from "./roster-import";

describe("bench scenario roster-import: the generated roster", () => {
  it("is a file the import accepts without a single error: unique staff codes, Vietnamese values, only the given units", async () => {
    const units = ["G06-P01", "G06-P02", "G06-P03"];
    const bytes = rosterCsv(2000, units, "RITEST-");
    const parsed = await parseRosterFile(bytes, "roster.csv", { knownUnitCodes: new Set(units), allowedUnitCodes: (c) => units.includes(c) });
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toHaveLength(2000);
    expect(new Set(parsed.rows.map((r) => r.staffCode)).size).toBe(2000);
    expect(new Set(parsed.rows.map((r) => r.unitCode))).toEqual(new Set(units));
    expect(parsed.rows.some((r) => r.isItDx) && parsed.rows.some((r) => r.isLeader)).toBe(true);
    expect(new Set(parsed.rows.map((r) => r.category))).toEqual(new Set(["civil_servant", "public_employee", "cadre"]));
    expect(parsed.rows[0]!.fullName.normalize("NFC")).toBe(parsed.rows[0]!.fullName);
  });
});
