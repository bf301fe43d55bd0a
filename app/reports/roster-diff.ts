/**
 * The preview of a roster import: what committing it would do to the people in the importer's scope. Pure, so
 * the preview the HR officer approves and the commit the server runs come from the same computation.
 *  - full mode: the file is the whole roster of the scope; active people missing from it will be marked left;
 *  - partial mode: the file only adds and updates.
 * Nobody is ever deleted. Re-importing the same file yields only "unchanged" (a no-op).
 */
import type { PersonCategory } from "#db/schema/org";
import { normaliseName, type EmploymentStatus, type RosterRow, type RowError } from "./roster-fields";

export type RosterMode = "full" | "partial";

/** A person as the database has them now. */
export interface CurrentPerson {
  fullName: string;
  unitCode: string;
  category: PersonCategory;
  isItDx: boolean;
  isLeader: boolean;
  status: EmploymentStatus;
}

/** What a person will be after the commit. */
export type PersonState = CurrentPerson;

export const DIFF_FIELDS = ["fullName", "unitCode", "category", "isItDx", "isLeader", "status"] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];

export interface FieldChange {
  field: DiffField;
  from: string | boolean;
  to: string | boolean;
}

export interface RosterNew {
  staffCode: string;
  row: number;
  next: PersonState;
}
export interface RosterChanged {
  staffCode: string;
  row: number;
  changes: FieldChange[];
  next: PersonState;
}
export interface RosterLeaving {
  staffCode: string;
  current: CurrentPerson;
}

export interface RosterPreview {
  mode: RosterMode;
  new: RosterNew[];
  changed: RosterChanged[];
  /** Full mode only: active people of the scope absent from the file; they will be marked left. */
  leaving: RosterLeaving[];
  /** Staff codes in the file whose person already matches it. */
  unchanged: string[];
  /** Rows that can be read but not applied (a staff code belonging to someone outside the scope). */
  errors: RowError[];
  counts: { new: number; changed: number; leaving: number; unchanged: number; errors: number };
}

export interface DiffOptions {
  /**
   * Whether a staff code not among the scope's people belongs to someone elsewhere. Such a row cannot create
   * a second person with that code, and an officer may not pull a person in from another unit's subtree:
   * the move is done by that person's unit or an administrator.
   */
  existsOutsideScope?: (staffCode: string) => boolean;
  /** Every staff code that appears in the file, including rows rejected for other reasons (see
   * RosterParseResult.staffCodesSeen): a typo in someone's unit code must not make them "leaving". */
  staffCodesSeen?: Iterable<string>;
}

export function diffRoster(
  rows: readonly RosterRow[],
  current: ReadonlyMap<string, CurrentPerson>,
  mode: RosterMode,
  options: DiffOptions = {},
): RosterPreview {
  const out: RosterPreview = {
    mode,
    new: [],
    changed: [],
    leaving: [],
    unchanged: [],
    errors: [],
    counts: { new: 0, changed: 0, leaving: 0, unchanged: 0, errors: 0 },
  };
  const inFile = new Set<string>(options.staffCodesSeen ?? []);

  for (const row of rows) {
    inFile.add(row.staffCode);
    const now = current.get(row.staffCode);
    if (now === undefined) {
      if (options.existsOutsideScope?.(row.staffCode)) {
        out.errors.push({
          row: row.row,
          column: "staff_code",
          field: "staff_code",
          value: row.staffCode,
          reasonVi:
            "Mã cán bộ này thuộc về một người ở đơn vị ngoài phạm vi của bạn; việc chuyển đơn vị phải do đơn vị hiện tại của người đó hoặc quản trị viên thực hiện.",
          reasonEn:
            "This staff code belongs to a person in a unit outside your scope; the transfer must be made by their current unit or an administrator.",
        });
        continue;
      }
      out.new.push({
        staffCode: row.staffCode,
        row: row.row,
        next: {
          fullName: normaliseName(row.fullName),
          unitCode: row.unitCode,
          category: row.category,
          isItDx: row.isItDx ?? false,
          isLeader: row.isLeader ?? false,
          status: row.status,
        },
      });
      continue;
    }

    // A column missing from the file keeps the current value; names compare after normalisation so that a
    // name stored decomposed (NFD) is not a "change" on every import.
    const next: PersonState = {
      fullName: normaliseName(row.fullName),
      unitCode: row.unitCode,
      category: row.category,
      isItDx: row.isItDx ?? now.isItDx,
      isLeader: row.isLeader ?? now.isLeader,
      status: row.status,
    };
    const before: PersonState = { ...now, fullName: normaliseName(now.fullName) };
    const changes: FieldChange[] = [];
    for (const field of DIFF_FIELDS) {
      if (before[field] !== next[field]) changes.push({ field, from: now[field], to: next[field] });
    }
    if (changes.length === 0) out.unchanged.push(row.staffCode);
    else out.changed.push({ staffCode: row.staffCode, row: row.row, changes, next });
  }

  if (mode === "full") {
    for (const [staffCode, person] of current) {
      if (person.status === "active" && !inFile.has(staffCode)) out.leaving.push({ staffCode, current: person });
    }
    out.leaving.sort((a, b) => (a.staffCode < b.staffCode ? -1 : a.staffCode > b.staffCode ? 1 : 0));
  }

  out.counts = {
    new: out.new.length,
    changed: out.changed.length,
    leaving: out.leaving.length,
    unchanged: out.unchanged.length,
    errors: out.errors.length,
  };
  return out;
}

/** True when committing the preview would change nothing. */
export function isNoOp(preview: RosterPreview): boolean {
  const c = preview.counts;
  return c.new === 0 && c.changed === 0 && c.leaving === 0;
}
