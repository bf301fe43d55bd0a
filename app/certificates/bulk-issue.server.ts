/**
 * Bulk recognition of prior learning (`npm run cli -- cert:issue-bulk FILE.csv`): a CSV of
 * `staff_code,credential,issued_on,source` rows becomes certificates in ONE write — all of them or none
 * (docs/decisions/0012-crash-safety-and-input-limits.md). A bad row anywhere (unknown staff code or credential,
 * bad or future date, missing source) stops the whole file with the row named; a crash half-way (even SIGKILL)
 * leaves nothing, and running the same file again after a crash issues it whole. Rows already issued (same
 * person, credential, date and source) are reported as existing, so a re-run never duplicates.
 */
import Papa from "papaparse";
import { inArray } from "drizzle-orm";
import { CREDENTIAL_IDS, people, type CredentialId } from "#db/schema";
import type { Database } from "~/db.server";
import { testPause } from "~/utils/test-pause.server";
import { CertificateError, issueRecognisedCertificate, type Actor } from "./issue.server";
import { vietnamMidnight } from "./lifecycle";

/**
 * One file is one write, and it holds the database's single writer (other processes wait up to the 5 s busy
 * timeout): measured ≈ 11.5 ms per certificate at load 19 on the 2-core machine (2,000 rows took 23 s), so a file
 * is capped at 300 rows (≈ 3.5 s in the worst case measured). Larger batches are split into several files.
 */
export const MAX_BULK_ROWS = 300;
const COLUMNS = ["staff_code", "credential", "issued_on", "source"] as const;

export class BulkIssueError extends Error {
  override name = "CertificateError"; // printed as one sentence by the CLI
}

export interface BulkRow {
  /** Line in the file (header = 1). */
  line: number;
  staffCode: string;
  credentialId: CredentialId;
  issuedAt: number;
  source: string;
}

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** Parses and checks the file's shape; every problem is reported with its line. */
export function parseBulkCsv(text: string): BulkRow[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const [header, ...body] = parsed.data;
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  if (COLUMNS.some((c, i) => names[i] !== c)) throw new BulkIssueError(`The first line must be the header ${COLUMNS.join(",")}.`);
  if (body.length === 0) throw new BulkIssueError("The file has no rows after the header.");
  if (body.length > MAX_BULK_ROWS) throw new BulkIssueError(`The file has ${body.length} rows; split it into files of at most ${MAX_BULK_ROWS}.`);
  const problems: string[] = [];
  const rows: BulkRow[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    const [staffCode = "", credential = "", issuedOn = "", source = ""] = cells.map((c) => c.trim());
    if (cells.length !== COLUMNS.length) problems.push(`line ${line}: expected ${COLUMNS.length} columns, found ${cells.length}`);
    else if (!staffCode) problems.push(`line ${line}: staff_code is empty`);
    else if (!(CREDENTIAL_IDS as readonly string[]).includes(credential)) problems.push(`line ${line}: unknown credential "${credential.slice(0, 40)}"`);
    else if (!isDate(issuedOn)) problems.push(`line ${line}: issued_on "${issuedOn.slice(0, 20)}" is not a date written YYYY-MM-DD`);
    else rows.push({ line, staffCode, credentialId: credential as CredentialId, issuedAt: vietnamMidnight(issuedOn), source });
  });
  if (problems.length > 0) throw new BulkIssueError(`Nothing was issued; fix ${problems.length} line(s): ${problems.slice(0, 10).join("; ")}${problems.length > 10 ? "; …" : ""}.`);
  return rows;
}

export interface BulkResult {
  issued: number;
  existing: number;
  serials: string[];
}

/** Issues every row in one write, or none. */
export async function issueRecognisedBulk(database: Database, rows: BulkRow[], actor: Actor): Promise<BulkResult> {
  const codes = [...new Set(rows.map((r) => r.staffCode))];
  const ids = new Map<string, string>();
  for (let i = 0; i < codes.length; i += 400) {
    for (const p of await database.read.select({ id: people.id, staffCode: people.staffCode }).from(people).where(inArray(people.staffCode, codes.slice(i, i + 400)))) ids.set(p.staffCode, p.id);
  }
  const unknown = rows.filter((r) => !ids.has(r.staffCode));
  if (unknown.length > 0) {
    throw new BulkIssueError(`Nothing was issued; ${unknown.length} staff code(s) are not on the roster: ${unknown.slice(0, 10).map((r) => `line ${r.line} "${r.staffCode.slice(0, 40)}"`).join(", ")}.`);
  }
  return database.write(async (tx) => {
    const result: BulkResult = { issued: 0, existing: 0, serials: [] };
    for (const [i, r] of rows.entries()) {
      if (i === Math.floor(rows.length / 2)) await testPause("certificates.bulk"); // crash tests only (NODE_ENV=test)
      try {
        const c = await issueRecognisedCertificate(tx, { personId: ids.get(r.staffCode)!, credentialId: r.credentialId, issuedAt: r.issuedAt, source: r.source, actor });
        result.serials.push(c.serial);
        if (c.existing) result.existing++;
        else result.issued++;
      } catch (e) {
        if (e instanceof CertificateError) throw new BulkIssueError(`Nothing was issued; line ${r.line}: ${e.message}`);
        throw e;
      }
    }
    return result;
  });
}
