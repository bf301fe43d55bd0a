/** Downloads of the unit's report tables: ?table=coverage|children|missing|communes&format=csv|xlsx (streamed). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { detectLocale } from "~/i18n";
import { ExportQuerySchema, exportTable } from "~/reports/exports.server";
import { fileResponse, orBadRequest, parseExportFormat, requireReportScope } from "~/reports/http.server";

export async function loader(args: LoaderFunctionArgs) {
  const { scope } = await requireReportScope(args);
  const code = z.string().min(1).max(64).parse(args.params.code);
  const params = new URL(args.request.url).searchParams;
  const format = parseExportFormat(params.get("format"));
  const q = ExportQuerySchema.safeParse(Object.fromEntries([...params].filter(([k, v]) => k !== "format" && v !== "")));
  if (!q.success) throw new Response("Bad query", { status: 400 });
  const table = await orBadRequest(() => exportTable(scope, code, q.data, detectLocale(args.request.headers.get("Cookie"))));
  return fileResponse(format, table.baseName, table.header, table.rows, table.sheetName);
}
