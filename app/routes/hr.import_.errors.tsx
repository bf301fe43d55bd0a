/** The per-row errors of a roster import preview as CSV or XLSX (reasons in Vietnamese and English). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { detectLocale } from "~/i18n";
import { importErrorsTable } from "~/reports/exports.server";
import { fileResponse, parseExportFormat, requireReportScope } from "~/reports/http.server";

export async function loader(args: LoaderFunctionArgs) {
  const { scope } = await requireReportScope(args);
  const params = new URL(args.request.url).searchParams;
  const format = parseExportFormat(params.get("format"));
  const id = z.string().regex(/^[0-9a-z]{10,40}$/).safeParse(params.get("id"));
  if (!id.success) throw new Response("Not found", { status: 404 });
  const table = await importErrorsTable(scope, id.data, detectLocale(args.request.headers.get("Cookie")));
  return fileResponse(format, table.baseName, table.header, table.rows, table.sheetName);
}
