/**
 * Roster import: preview, then an all-or-nothing commit in ONE write.
 *
 * The preview keeps the uploaded bytes server-side (`<data dir>/imports/<import id>`) and records a
 * roster_imports row (status previewed, counts, per-row errors). The commit takes only the import id: it
 * re-reads the stored file, checks its SHA-256 against the row, parses and diffs it again against the roster
 * as it is at that moment, and applies it in one `database.write` together with the coverage counters, the
 * import row and the audit event. Nobody is ever deleted: people missing from a full import are marked left.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { and, count, desc, eq, inArray } from "drizzle-orm";
import { orgUnits, people, rosterImports } from "#db/schema";
import { getDatabase, type DbOrTx, type Tx } from "~/db.server";
import { audit } from "~/utils/audit.server";
import { newId } from "~/utils/ids";
import { testPause } from "~/utils/test-pause.server";
import { applyPeopleChanged, snapshotPeople } from "./counters.server";
import { diffRoster, isNoOp, type CurrentPerson, type RosterMode, type RosterPreview } from "./roster-diff";
import type { RowError } from "./roster-fields";
import { parseRosterFile, type ParsedRosterFile } from "./roster-parse.server";
import { notFoundResponse, pathUnder, scopeCovers, unitInScope, type ReportScope } from "./scope.server";

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Rows of each kind kept in the stored preview for display (the counts are always complete). */
const SAMPLE = 200;

export class RosterImportError extends Error {
  override name = "RosterImportError";
  constructor(
    message: string,
    readonly code: "too_large" | "empty" | "has_errors" | "file_changed" | "file_missing" | "failed" | "bad_mode",
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface ImportActor {
  userId: string | null;
  label: string;
}

/** Where previewed uploads wait for their commit: beside the database file (or LMS_DATA_DIR). */
export function importsDir(): string {
  const fromEnv = process.env.LMS_DATA_DIR;
  if (fromEnv) return path.join(fromEnv, "imports");
  const url = process.env.DATABASE_URL ?? "file:data/lms.db";
  const file = url.startsWith("file:") ? url.slice("file:".length).replace(/^\/\/(?=\/)/, "") : "data/lms.db";
  return path.join(path.dirname(path.resolve(file)), "imports");
}

export interface StoredCounts {
  new: number;
  changed: number;
  leaving: number;
  unchanged: number;
  errors: number;
  rows: number;
  format: string | null;
  warnings: RowError[];
  sample: {
    new: { staffCode: string; row: number; fullName: string; unitCode: string }[];
    changed: { staffCode: string; row: number; changes: { field: string; from: string | boolean; to: string | boolean }[] }[];
    leaving: { staffCode: string; fullName: string; unitCode: string }[];
  };
}

export interface ImportView {
  id: string;
  unitCode: string;
  unitNameVi: string;
  unitNameEn: string | null;
  fileName: string;
  mode: RosterMode;
  status: "previewed" | "committed" | "failed";
  counts: StoredCounts;
  errors: RowError[];
  createdAt: number;
  committedAt: number | null;
  actorUserId: string | null;
}

interface Analysis {
  parsed: ParsedRosterFile;
  preview: RosterPreview;
  errors: RowError[];
  errorCount: number;
  ids: Map<string, string>;
  unitIds: Map<string, string>;
}

/** Parses and diffs a file against the roster of `unit`'s subtree as `db` sees it now. */
async function analyse(db: DbOrTx, unit: { id: string; path: string }, bytes: Uint8Array, fileName: string, mode: RosterMode): Promise<Analysis> {
  const allUnits = await db.select({ code: orgUnits.code }).from(orgUnits);
  const known = new Set(allUnits.map((u) => u.code));
  const inScope = await db.select({ id: orgUnits.id, code: orgUnits.code }).from(orgUnits).where(pathUnder(orgUnits.path, unit.path));
  const unitIds = new Map(inScope.map((u) => [u.code, u.id]));
  const parsed = await parseRosterFile(bytes, fileName, { knownUnitCodes: known, allowedUnitCodes: (c) => unitIds.has(c) });

  const current = new Map<string, CurrentPerson>();
  const ids = new Map<string, string>();
  const rows = await db
    .select({
      id: people.id,
      staffCode: people.staffCode,
      fullName: people.fullName,
      unitCode: orgUnits.code,
      category: people.category,
      isItDx: people.isItDx,
      isLeader: people.isLeader,
      status: people.employmentStatus,
    })
    .from(people)
    .innerJoin(orgUnits, eq(orgUnits.id, people.orgUnitId))
    .where(pathUnder(orgUnits.path, unit.path));
  for (const r of rows) {
    ids.set(r.staffCode, r.id);
    current.set(r.staffCode, { fullName: r.fullName, unitCode: r.unitCode, category: r.category, isItDx: r.isItDx, isLeader: r.isLeader, status: r.status });
  }
  const unknown = parsed.rows.map((r) => r.staffCode).filter((c) => !current.has(c));
  const elsewhere = new Set<string>();
  for (let i = 0; i < unknown.length; i += 400) {
    for (const r of await db.select({ staffCode: people.staffCode }).from(people).where(inArray(people.staffCode, unknown.slice(i, i + 400)))) elsewhere.add(r.staffCode);
  }
  const preview = diffRoster(parsed.rows, current, mode, { existsOutsideScope: (c) => elsewhere.has(c), staffCodesSeen: parsed.staffCodesSeen });
  const errors = [...parsed.errors, ...preview.errors].sort((a, b) => a.row - b.row);
  return { parsed, preview, errors, errorCount: parsed.errorCount + preview.errors.length, ids, unitIds };
}

function storedCounts(a: Analysis): StoredCounts {
  const p = a.preview;
  return {
    new: p.counts.new,
    changed: p.counts.changed,
    leaving: p.counts.leaving,
    unchanged: p.counts.unchanged,
    errors: a.errorCount,
    rows: a.parsed.dataRowCount,
    format: a.parsed.format,
    warnings: a.parsed.warnings.slice(0, SAMPLE),
    sample: {
      new: p.new.slice(0, SAMPLE).map((n) => ({ staffCode: n.staffCode, row: n.row, fullName: n.next.fullName, unitCode: n.next.unitCode })),
      changed: p.changed.slice(0, SAMPLE).map((c) => ({ staffCode: c.staffCode, row: c.row, changes: c.changes })),
      leaving: p.leaving.slice(0, SAMPLE).map((l) => ({ staffCode: l.staffCode, fullName: l.current.fullName, unitCode: l.current.unitCode })),
    },
  };
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export interface PreviewInput {
  unitCode: string;
  mode: RosterMode;
  fileName: string;
  bytes: Uint8Array;
}

/**
 * Checks a file and records the preview (status previewed) with the file kept for the commit.
 * `record: false` (CLI --dry-run) computes the same preview and stores nothing.
 */
export async function previewRosterImport(scope: ReportScope, input: PreviewInput, actor: ImportActor, options: { record?: boolean } = {}) {
  if (input.mode !== "full" && input.mode !== "partial") throw new RosterImportError(`The mode must be full or partial, got "${String(input.mode)}".`, "bad_mode");
  const unit = await unitInScope(scope, input.unitCode);
  if (input.bytes.byteLength > MAX_IMPORT_BYTES) {
    throw new RosterImportError(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`, "too_large", 413);
  }
  if (input.bytes.byteLength === 0) throw new RosterImportError("The file is empty.", "empty");
  const { read } = await getDatabase();
  const analysis = await analyse(read, unit, input.bytes, input.fileName, input.mode);
  const counts = storedCounts(analysis);
  const fileSha256 = sha256(input.bytes);
  let id: string | null = null;
  if (options.record !== false) {
    id = newId();
    const dir = importsDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, id), input.bytes);
    const database = await getDatabase();
    const importId = id;
    await database.write(async (tx) => {
      await tx.insert(rosterImports).values({
        id: importId,
        actorUserId: actor.userId,
        unitId: unit.id,
        fileName: input.fileName.slice(0, 255),
        fileSha256,
        mode: input.mode,
        status: "previewed",
        countsJson: JSON.stringify(counts),
        errorsJson: JSON.stringify(analysis.errors),
        createdAt: Date.now(),
      });
    });
  }
  return { id, unit, fileSha256, counts, errors: analysis.errors, preview: analysis.preview, noOp: isNoOp(analysis.preview) };
}

/** A stored import, when its unit is in the scope (else 404: an id from elsewhere reveals nothing). */
export async function getImport(scope: ReportScope, id: string): Promise<ImportView> {
  const { read } = await getDatabase();
  const [row] = await read
    .select({ imp: rosterImports, unitCode: orgUnits.code, unitPath: orgUnits.path, unitNameVi: orgUnits.nameVi, unitNameEn: orgUnits.nameEn })
    .from(rosterImports)
    .innerJoin(orgUnits, eq(orgUnits.id, rosterImports.unitId))
    .where(eq(rosterImports.id, id));
  if (!row || !scopeCovers(scope, row.unitPath)) throw notFoundResponse();
  return {
    id: row.imp.id,
    unitCode: row.unitCode,
    unitNameVi: row.unitNameVi,
    unitNameEn: row.unitNameEn,
    fileName: row.imp.fileName,
    mode: row.imp.mode,
    status: row.imp.status,
    counts: JSON.parse(row.imp.countsJson) as StoredCounts,
    errors: JSON.parse(row.imp.errorsJson) as RowError[],
    createdAt: row.imp.createdAt,
    committedAt: row.imp.committedAt,
    actorUserId: row.imp.actorUserId,
  };
}

/** Recent imports into units of the scope. */
export async function recentImports(scope: ReportScope, limit = 20) {
  const { read } = await getDatabase();
  const out: (ImportView & { unitPath: string })[] = [];
  for (const root of scope.roots) {
    const rows = await read
      .select({ imp: rosterImports, unitCode: orgUnits.code, unitPath: orgUnits.path, unitNameVi: orgUnits.nameVi, unitNameEn: orgUnits.nameEn })
      .from(rosterImports)
      .innerJoin(orgUnits, eq(orgUnits.id, rosterImports.unitId))
      .where(pathUnder(orgUnits.path, root.unitPath))
      .orderBy(desc(rosterImports.createdAt))
      .limit(limit);
    for (const row of rows) {
      out.push({
        id: row.imp.id,
        unitCode: row.unitCode,
        unitPath: row.unitPath,
        unitNameVi: row.unitNameVi,
        unitNameEn: row.unitNameEn,
        fileName: row.imp.fileName,
        mode: row.imp.mode,
        status: row.imp.status,
        counts: JSON.parse(row.imp.countsJson) as StoredCounts,
        errors: [],
        createdAt: row.imp.createdAt,
        committedAt: row.imp.committedAt,
        actorUserId: row.imp.actorUserId,
      });
    }
  }
  return out.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
}

export interface CommitResult {
  id: string;
  status: "committed";
  alreadyCommitted: boolean;
  applied: { new: number; changed: number; leaving: number; unchanged: number };
}

/**
 * Applies a previewed import: all or nothing, in one write. Committing twice is a no-op; a file whose content
 * changed since the preview, or that now has errors, is refused (and the import marked failed).
 */
export async function commitRosterImport(scope: ReportScope, id: string, actor: ImportActor, now = Date.now()): Promise<CommitResult> {
  const view = await getImport(scope, id);
  if (view.status === "committed") {
    return { id, status: "committed", alreadyCommitted: true, applied: { new: 0, changed: 0, leaving: 0, unchanged: view.counts.unchanged } };
  }
  if (view.status === "failed") throw new RosterImportError("This import failed; upload the file again.", "failed", 409);
  const unit = await unitInScope(scope, view.unitCode);
  const file = path.join(importsDir(), id);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new RosterImportError("The uploaded file is no longer on the server; upload it again.", "file_missing", 409);
  }
  const { read } = await getDatabase();
  const [row] = await read.select({ sha: rosterImports.fileSha256 }).from(rosterImports).where(eq(rosterImports.id, id));
  if (!row || sha256(bytes) !== row.sha) {
    await markFailed(id, actor, unit.id, [{ row: 0, column: "", value: "", reasonVi: "Tệp đã thay đổi sau khi xem trước.", reasonEn: "The file changed after the preview." }]);
    throw new RosterImportError("The stored file does not match the previewed one; upload it again.", "file_changed", 409);
  }
  const database = await getDatabase();
  const refusal: { errors: RowError[] | null } = { errors: null };
  let result: CommitResult;
  try {
    result = await database.write(async (tx) => {
      // Re-derive everything from the file and the roster as it is now, inside the write.
      const a = await analyse(tx, unit, bytes, view.fileName, view.mode);
      if (a.errorCount > 0) {
        refusal.errors = a.errors;
        throw new RosterImportError(`The file has ${a.errorCount} error(s); fix them and upload it again.`, "has_errors", 409);
      }
      const activeBefore = await activeInSubtree(tx, unit.path);
      const applied = await applyPreview(tx, a, id, now);
      await testPause("roster.commit"); // crash tests only (NODE_ENV=test): SIGKILL lands here, mid-write
      await tx
        .update(rosterImports)
        .set({ status: "committed", committedAt: now, countsJson: JSON.stringify(storedCounts(a)) })
        .where(and(eq(rosterImports.id, id), eq(rosterImports.status, "previewed")));
      await audit(tx, {
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: "roster.import",
        subjectType: "roster_import",
        subjectId: id,
        unitId: unit.id,
        before: { unit: unit.code, activePeople: activeBefore },
        after: { unit: unit.code, mode: view.mode, file: view.fileName, ...applied, activePeople: await activeInSubtree(tx, unit.path) },
      });
      return { id, status: "committed" as const, alreadyCommitted: false, applied };
    });
  } catch (e) {
    if (e instanceof RosterImportError) {
      if (refusal.errors) await markFailed(id, actor, unit.id, refusal.errors);
      throw e;
    }
    await markFailed(id, actor, unit.id, [{ row: 0, column: "", value: "", reasonVi: "Lỗi hệ thống khi ghi dữ liệu; không có thay đổi nào được lưu.", reasonEn: "A system error while saving; nothing was changed." }]);
    throw e;
  }
  rmSync(file, { force: true });
  return result;
}

/** Active people in the unit's subtree: the before/after an inspector compares for an import. */
async function activeInSubtree(tx: Tx, unitPath: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(people)
    .innerJoin(orgUnits, eq(people.orgUnitId, orgUnits.id))
    .where(and(eq(people.employmentStatus, "active"), pathUnder(orgUnits.path, unitPath)));
  return row?.n ?? 0;
}

async function markFailed(id: string, actor: ImportActor, unitId: string, errors: RowError[]): Promise<void> {
  const database = await getDatabase();
  await database.write(async (tx) => {
    await tx.update(rosterImports).set({ status: "failed", errorsJson: JSON.stringify(errors.slice(0, 1000)) }).where(eq(rosterImports.id, id));
    await audit(tx, { actorUserId: actor.userId, actorLabel: actor.label, action: "roster.import_failed", subjectType: "roster_import", subjectId: id, unitId, after: { errors: errors.length } });
  });
}

/** Writes the people changes of an analysed file and moves the coverage counters with them. */
async function applyPreview(tx: Tx, a: Analysis, importId: string, now: number) {
  const p = a.preview;
  const existing = [...p.changed.map((c) => a.ids.get(c.staffCode)!), ...p.leaving.map((l) => a.ids.get(l.staffCode)!)];
  const snapshot = await snapshotPeople(tx, existing, now);
  const unitId = (code: string) => {
    const id = a.unitIds.get(code);
    if (!id) throw new Error(`roster import: unit ${code} is not in the import's scope`);
    return id;
  };
  const rows = p.new.map((n) => {
    const id = newId();
    return {
      id,
      staffCode: n.staffCode,
      fullName: n.next.fullName,
      orgUnitId: unitId(n.next.unitCode),
      category: n.next.category,
      isItDx: n.next.isItDx,
      isLeader: n.next.isLeader,
      employmentStatus: n.next.status,
      leftAt: n.next.status === "left" ? now : null,
      sourceImportId: importId,
      createdAt: now,
      updatedAt: now,
    };
  });
  for (let i = 0; i < rows.length; i += 200) await tx.insert(people).values(rows.slice(i, i + 200));
  for (const c of p.changed) {
    const statusChanged = c.changes.some((ch) => ch.field === "status");
    await tx
      .update(people)
      .set({
        fullName: c.next.fullName,
        orgUnitId: unitId(c.next.unitCode),
        category: c.next.category,
        isItDx: c.next.isItDx,
        isLeader: c.next.isLeader,
        employmentStatus: c.next.status,
        ...(statusChanged ? { leftAt: c.next.status === "left" ? now : null } : {}),
        sourceImportId: importId,
        updatedAt: now,
      })
      .where(eq(people.id, a.ids.get(c.staffCode)!));
  }
  const leaving = p.leaving.map((l) => a.ids.get(l.staffCode)!);
  for (let i = 0; i < leaving.length; i += 400) {
    await tx
      .update(people)
      .set({ employmentStatus: "left", leftAt: now, sourceImportId: importId, updatedAt: now })
      .where(inArray(people.id, leaving.slice(i, i + 400)));
  }
  const createdStates = rows.map((r) => ({
    unitId: r.orgUnitId,
    lite: { id: r.id, category: r.category, isItDx: r.isItDx ?? false, isLeader: r.isLeader ?? false, active: r.employmentStatus === "active" },
  }));
  await applyPeopleChanged(tx, snapshot, existing, now, createdStates);
  return { new: p.counts.new, changed: p.counts.changed, leaving: p.counts.leaving, unchanged: p.counts.unchanged };
}

/** What the import page shows: the units an import may target (granted units and their children), a stored
 * preview when asked for, and the recent imports of the scope. */
export async function importPage(scope: ReportScope, importId: string | null) {
  const { read } = await getDatabase();
  const units: { code: string; nameVi: string; nameEn: string | null; depth: number }[] = [];
  for (const root of scope.roots) {
    const [self] = await read.select({ code: orgUnits.code, nameVi: orgUnits.nameVi, nameEn: orgUnits.nameEn, depth: orgUnits.depth }).from(orgUnits).where(eq(orgUnits.id, root.unitId));
    if (self) units.push({ ...self, depth: 0 });
    const children = await read
      .select({ code: orgUnits.code, nameVi: orgUnits.nameVi, nameEn: orgUnits.nameEn })
      .from(orgUnits)
      .where(eq(orgUnits.parentId, root.unitId))
      .orderBy(orgUnits.code);
    for (const c of children) units.push({ ...c, depth: 1 });
  }
  return {
    units,
    view: importId ? await getImport(scope, importId) : null,
    recent: await recentImports(scope, 10),
    maxBytes: MAX_IMPORT_BYTES,
  };
}
