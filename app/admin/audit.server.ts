/**
 * The audit log for administrators and inspectors: search by actor, action, object and date range (Vietnam
 * dates), page through the newest first, and export the same selection as CSV. Read-only by construction: the
 * table is append-only (triggers in db/migrations/0001_audit_append_only.sql).
 */
import { and, count, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { auditLog } from "#db/schema";
import { getDatabase } from "~/db.server";
import { isIsoDate, toDayNumber, VIETNAM_UTC_OFFSET_MINUTES } from "~/reports/dates";
import type { CellValue } from "~/reports/export.server";

export const AUDIT_PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
/** Rows read per query when exporting, so a large export never holds the whole log in memory. */
const EXPORT_BATCH = 1_000;

const text = z.string().trim().max(100).optional().transform((v) => (v ? v : undefined));
const isoDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || isIsoDate(v), { message: "expected YYYY-MM-DD" });

export const AuditQuerySchema = z
  .object({
    actor: text,
    action: text,
    object: text,
    from: isoDate,
    to: isoDate,
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["to"] });
export interface AuditQuery {
  actor?: string;
  action?: string;
  object?: string;
  from?: string;
  to?: string;
  page: number;
}

/** Parses URL search parameters; returns the field names that are wrong instead of throwing. */
export function parseAuditQuery(params: URLSearchParams): { ok: true; query: AuditQuery } | { ok: false; fields: string[] } {
  const raw = Object.fromEntries([...params].filter(([k]) => ["actor", "action", "object", "from", "to", "page"].includes(k)));
  const parsed = AuditQuerySchema.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  return { ok: false, fields: [...new Set(parsed.error.issues.map((i) => String(i.path[0])))] };
}

/** Start of a Vietnam calendar day, in ms since epoch. */
function vietnamDayStart(date: string): number {
  return toDayNumber(date) * DAY_MS - VIETNAM_UTC_OFFSET_MINUTES * 60_000;
}

/** LIKE with the user's text taken literally (`%` and `_` are not wildcards for them). */
function contains(column: SQLiteColumn, value: string, prefixOnly = false): SQL {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`${column} like ${`${prefixOnly ? "" : "%"}${escaped}%`} escape '\\'`;
}

function whereOf(q: AuditQuery): SQL | undefined {
  const parts: SQL[] = [];
  if (q.actor) parts.push(or(contains(auditLog.actorLabel, q.actor), eq(auditLog.actorUserId, q.actor))!);
  if (q.action) parts.push(contains(auditLog.action, q.action, true));
  if (q.object) parts.push(or(eq(auditLog.subjectId, q.object), eq(auditLog.subjectType, q.object))!);
  if (q.from) parts.push(gte(auditLog.at, vietnamDayStart(q.from)));
  if (q.to) parts.push(lt(auditLog.at, vietnamDayStart(q.to) + DAY_MS));
  return parts.length ? and(...parts) : undefined;
}

export interface AuditRow {
  id: string;
  at: number;
  actorLabel: string;
  actorUserId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  unitId: string | null;
  beforeJson: string | null;
  afterJson: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditPage {
  rows: AuditRow[];
  total: number;
  page: number;
  pageCount: number;
}

export async function searchAudit(q: AuditQuery): Promise<AuditPage> {
  const { read } = await getDatabase();
  const where = whereOf(q);
  const [{ n } = { n: 0 }] = await read.select({ n: count() }).from(auditLog).where(where);
  const pageCount = Math.max(1, Math.ceil(n / AUDIT_PAGE_SIZE));
  const rows = await read
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((q.page - 1) * AUDIT_PAGE_SIZE);
  return { rows, total: n, page: q.page, pageCount };
}

export const AUDIT_CSV_HEADER = ["at_utc", "actor", "actor_user_id", "action", "subject_type", "subject_id", "unit_id", "before", "after", "ip", "request_id"] as const;

/**
 * Every matching row (no paging), newest first, read in batches: the CSV export's row source. Each batch starts
 * after the last row of the previous one on (at, id) — keyset, not OFFSET, which would rescan every skipped row
 * and make a large export quadratic (measured: 200k rows took 43 s with OFFSET).
 */
export async function* auditCsvRows(q: AuditQuery): AsyncGenerator<CellValue[]> {
  const { read } = await getDatabase();
  const where = whereOf(q);
  let last: { at: number; id: string } | null = null;
  for (;;) {
    const after: SQL | undefined = last ? or(lt(auditLog.at, last.at), and(eq(auditLog.at, last.at), lt(auditLog.id, last.id))) : undefined;
    const rows: AuditRow[] = await read.select().from(auditLog).where(and(where, after)).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(EXPORT_BATCH);
    for (const r of rows) {
      yield [new Date(r.at).toISOString(), r.actorLabel, r.actorUserId, r.action, r.subjectType, r.subjectId, r.unitId, r.beforeJson, r.afterJson, r.ip, r.requestId];
    }
    if (rows.length < EXPORT_BATCH) return;
    const tail: AuditRow = rows[rows.length - 1]!;
    last = { at: tail.at, id: tail.id };
  }
}
