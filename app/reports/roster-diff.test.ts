import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffRoster, isNoOp, type CurrentPerson, type RosterPreview } from "./roster-diff";
import type { RosterRow } from "./roster-fields";
import { parseRosterFile } from "./roster-parse.server";

const row = (staffCode: string, over: Partial<RosterRow> = {}, n = 2): RosterRow => ({
  row: n,
  staffCode,
  fullName: "Nguyễn Văn An",
  unitCode: "01",
  category: "civil_servant",
  isItDx: false,
  isLeader: false,
  status: "active",
  ...over,
});
const person = (over: Partial<CurrentPerson> = {}): CurrentPerson => ({
  fullName: "Nguyễn Văn An",
  unitCode: "01",
  category: "civil_servant",
  isItDx: false,
  isLeader: false,
  status: "active",
  ...over,
});
const currentOf = (entries: [string, Partial<CurrentPerson>][]) => new Map(entries.map(([code, over]) => [code, person(over)]));
const summary = (p: RosterPreview) => ({
  new: p.new.map((x) => x.staffCode),
  changed: p.changed.map((x) => [x.staffCode, ...x.changes.map((c) => `${c.field}:${String(c.from)}→${String(c.to)}`)]),
  leaving: p.leaving.map((x) => x.staffCode),
  unchanged: p.unchanged,
});

describe("diffRoster", () => {
  type Case = [string, RosterRow[], [string, Partial<CurrentPerson>][], "full" | "partial", ReturnType<typeof summary>];
  it.each<Case>([
    ["everything new", [row("A"), row("B")], [], "full", { new: ["A", "B"], changed: [], leaving: [], unchanged: [] }],
    ["same data → unchanged", [row("A")], [["A", {}]], "full", { new: [], changed: [], leaving: [], unchanged: ["A"] }],
    [
      "field-level changes",
      [row("A", { unitCode: "00070", category: "commune_official", isLeader: true, fullName: "Nguyễn Văn Ân" })],
      [["A", {}]],
      "partial",
      { new: [], changed: [["A", "fullName:Nguyễn Văn An→Nguyễn Văn Ân", "unitCode:01→00070", "category:civil_servant→commune_official", "isLeader:false→true"]], leaving: [], unchanged: [] },
    ],
    ["full mode: missing active people are leaving", [row("A")], [["A", {}], ["C", {}], ["B", {}]], "full", { new: [], changed: [], leaving: ["B", "C"], unchanged: ["A"] }],
    ["partial mode: nobody leaves", [row("A")], [["A", {}], ["B", {}]], "partial", { new: [], changed: [], leaving: [], unchanged: ["A"] }],
    ["people who already left are not leaving again", [row("A")], [["A", {}], ["B", { status: "left" }]], "full", { new: [], changed: [], leaving: [], unchanged: ["A"] }],
    ["marked left in the file", [row("A", { status: "left" })], [["A", {}]], "partial", { new: [], changed: [["A", "status:active→left"]], leaving: [], unchanged: [] }],
    ["back from leave", [row("A")], [["A", { status: "left" }]], "full", { new: [], changed: [["A", "status:left→active"]], leaving: [], unchanged: [] }],
    [
      "absent flag columns keep the current flags",
      [row("A", { isItDx: undefined, isLeader: undefined }), row("N", { isItDx: undefined, isLeader: undefined })],
      [["A", { isItDx: true, isLeader: true }]],
      "full",
      { new: ["N"], changed: [], leaving: [], unchanged: ["A"] },
    ],
    ["a name stored decomposed (NFD) or with double spaces is not a change", [row("A")], [["A", { fullName: " Nguyễn  Văn An".normalize("NFD") }]], "full", { new: [], changed: [], leaving: [], unchanged: ["A"] }],
  ])("%s", (_name, rows, current, mode, want) => {
    const p = diffRoster(rows, currentOf(current), mode);
    expect(summary(p)).toEqual(want);
    expect(p.counts).toEqual({ new: want.new.length, changed: want.changed.length, leaving: want.leaving.length, unchanged: want.unchanged.length, errors: 0 });
  });

  it("gives new people false flags when the file has no flag columns, and the full state to write", () => {
    const p = diffRoster([row("N", { isItDx: undefined, isLeader: undefined, fullName: "Lê  Thị B" }, 7)], new Map(), "partial");
    expect(p.new).toEqual([{ staffCode: "N", row: 7, next: { fullName: "Lê Thị B", unitCode: "01", category: "civil_servant", isItDx: false, isLeader: false, status: "active" } }]);
  });

  it("does not mark as leaving someone whose row was rejected for another reason", () => {
    const p = diffRoster([row("A")], currentOf([["A", {}], ["B", {}]]), "full", { staffCodesSeen: ["A", "B"] });
    expect(p.leaving).toEqual([]);
  });

  it("refuses to take over a staff code that belongs to someone outside the scope", () => {
    const p = diffRoster([row("X", {}, 5)], new Map(), "partial", { existsOutsideScope: (c) => c === "X" });
    expect(p.new).toEqual([]);
    expect(p.errors).toMatchObject([{ row: 5, column: "staff_code", value: "X", reasonEn: expect.stringMatching(/outside your scope/) }]);
    expect(p.counts.errors).toBe(1);
  });

  it("re-importing the good fixture after committing it is a no-op", async () => {
    const file = readFileSync(path.resolve("tests/fixtures/roster/good-vi-bom.csv"));
    const parsed = await parseRosterFile(file, "good.csv", { knownUnitCodes: new Set(["01", "00070", "00082", "00004", "00008"]) });
    expect(parsed.errors).toEqual([]);
    const first = diffRoster(parsed.rows, new Map(), "full");
    expect(first.counts).toMatchObject({ new: 20, changed: 0, leaving: 0, unchanged: 0 });
    expect(isNoOp(first)).toBe(false);
    // "Commit": the database now holds exactly the previewed states.
    const db = new Map(first.new.map((n) => [n.staffCode, n.next]));
    const again = diffRoster(parsed.rows, db, "full");
    expect(again.counts).toEqual({ new: 0, changed: 0, leaving: 0, unchanged: 20, errors: 0 });
    expect(isNoOp(again)).toBe(true);
  });
});
