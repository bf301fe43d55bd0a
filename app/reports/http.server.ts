/** What the report routes share: the actor's scope, input errors as 400s, streamed file responses. */
import type { AppLoadContext } from "@remix-run/node";
import { requireRole } from "~/auth/session.server";
import { attachmentHeader, CSV_CONTENT_TYPE, csvWebStream, XLSX_CONTENT_TYPE, xlsxWebStream, type RowSource } from "./export.server";
import { scopeFromGrants, type ReportScope } from "./scope.server";

export async function requireReportScope(args: { request: Request; context: AppLoadContext }): Promise<{ userId: string; username: string; scope: ReportScope }> {
  const { user, grants } = await requireRole(args, "hr");
  return { userId: user.id, username: user.username, scope: scopeFromGrants(grants, { id: user.id, label: `user:${user.username}` }) };
}

/** Runs a domain call, turning its input errors into 400 responses (403/404 Responses pass through). */
export async function orBadRequest<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error && (e.name === "ReportInputError" || e.name === "RangeError")) throw new Response(e.message, { status: 400 });
    throw e;
  }
}

export type ExportFormat = "csv" | "xlsx";

export function parseExportFormat(raw: string | null): ExportFormat {
  if (raw === "csv" || raw === "xlsx") return raw;
  throw new Response("format must be csv or xlsx", { status: 400 });
}

/** A streamed CSV (UTF-8 with BOM) or XLSX download. */
export function fileResponse(format: ExportFormat, baseName: string, header: readonly string[], rows: RowSource, sheetName?: string): Response {
  const headers = new Headers({ "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" });
  if (format === "csv") {
    headers.set("Content-Type", CSV_CONTENT_TYPE);
    headers.set("Content-Disposition", attachmentHeader(`${baseName}.csv`));
    return new Response(csvWebStream(header, rows), { headers });
  }
  headers.set("Content-Type", XLSX_CONTENT_TYPE);
  headers.set("Content-Disposition", attachmentHeader(`${baseName}.xlsx`));
  return new Response(xlsxWebStream(header, rows, { sheetName }), { headers });
}
