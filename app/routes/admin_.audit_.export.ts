/** The audit log selection (same filters as /admin/audit, every page) as CSV: UTF-8 with BOM, formulas neutralised. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { AUDIT_CSV_HEADER, auditCsvRows, parseAuditQuery } from "~/admin/audit.server";
import { requireRole } from "~/auth/session.server";
import { NATIONAL_UNIT_ID } from "~/org/units.server";
import { fileResponse } from "~/reports/http.server";
import { badRequest } from "~/utils/http";

export async function loader(args: LoaderFunctionArgs) {
  await requireRole(args, "admin", NATIONAL_UNIT_ID);
  const parsed = parseAuditQuery(new URL(args.request.url).searchParams);
  if (!parsed.ok) throw badRequest(`Invalid audit search: ${parsed.fields.join(", ")}`);
  const day = new Date().toISOString().slice(0, 10);
  return fileResponse("csv", `audit-log-${day}`, AUDIT_CSV_HEADER, auditCsvRows(parsed.query));
}
