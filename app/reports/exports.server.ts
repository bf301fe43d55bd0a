/**
 * The tables behind every report page as rows for a CSV/XLSX download (headers and labels in the reader's
 * language). Each goes through the same scoped domain function as its page.
 */
import { z } from "zod";
import { PERSON_CATEGORIES } from "#db/schema";
import { makeT, type Locale, type MessageKey } from "~/i18n";
import { COVERAGE_STATUSES, type CoverageRow } from "./coverage";
import { communeCoverage, coverageReport, parseAsOf, type UnitBrief } from "./coverage-report.server";
import type { CellValue } from "./export.server";
import { missingPeopleStream } from "./missing.server";
import { getImport } from "./roster-import.server";
import type { ReportScope } from "./scope.server";

export const ExportQuerySchema = z.object({
  table: z.enum(["coverage", "children", "missing", "communes"]),
  asOf: z.string().max(10).optional(),
  target: z.string().max(40).optional(),
  sub: z.string().max(64).optional(),
  q: z.string().max(100).optional(),
  category: z.enum(PERSON_CATEGORIES).optional(),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;

export interface ExportTable {
  baseName: string;
  sheetName: string;
  header: string[];
  rows: AsyncIterable<CellValue[]> | Iterable<CellValue[]>;
}

const unitName = (u: UnitBrief, locale: Locale) => (locale === "en" && u.nameEn ? u.nameEn : u.nameVi);

function coverageHeader(locale: Locale): string[] {
  const t = makeT(locale);
  return [
    t("reports.col.unitCode"),
    t("reports.col.unit"),
    t("reports.col.targetCode"),
    t("reports.col.population"),
    t("reports.col.holders"),
    t("reports.col.percent"),
    t("reports.col.required"),
    t("reports.col.gap"),
    t("reports.col.certified90"),
    t("reports.col.projected"),
    t("reports.col.status"),
  ];
}

function coverageCells(u: UnitBrief, r: CoverageRow, locale: Locale): CellValue[] {
  const t = makeT(locale);
  return [u.code, unitName(u, locale), r.target_code, r.population, r.holders, r.percent, r.required, r.gap, r.certified_last_90_days, r.projected_date ?? "", t(`reports.status.${r.status}` as MessageKey)];
}

/** The rows of one report table for a unit in the scope. */
export async function exportTable(scope: ReportScope, unitCode: string, q: ExportQuery, locale: Locale): Promise<ExportTable> {
  const t = makeT(locale);
  const asOf = parseAsOf(q.asOf);
  const stamp = `${unitCode}-${asOf}`;
  switch (q.table) {
    case "coverage": {
      const r = await coverageReport(scope, { unitCode, asOf, targetCode: q.target });
      return {
        baseName: `${t("reports.file.coverage")}-${stamp}`,
        sheetName: t("reports.file.coverage"),
        header: coverageHeader(locale),
        rows: r.rows.map((row) => coverageCells(r.unit, row, locale)),
      };
    }
    case "children": {
      const r = await coverageReport(scope, { unitCode, asOf, targetCode: q.target, withChildren: true });
      const rows: CellValue[][] = [];
      for (const c of r.children) for (const row of c.rows) rows.push(coverageCells(c.unit, row, locale));
      const own = { ...r.unit, nameVi: `${r.unit.nameVi} (${t("reports.unit.ownPeople")})`, nameEn: `${r.unit.nameEn ?? r.unit.nameVi} (${t("reports.unit.ownPeople")})` };
      if (r.own) for (const row of r.own.rows) rows.push(coverageCells(own, row, locale));
      return { baseName: `${t("reports.file.children")}-${stamp}`, sheetName: t("reports.file.children"), header: coverageHeader(locale), rows };
    }
    case "communes": {
      const r = await communeCoverage(scope, unitCode, asOf);
      const rows: CellValue[][] = [];
      for (const c of r.communes) for (const row of c.rows) rows.push(coverageCells(c.unit, row, locale));
      return { baseName: `${t("reports.file.communes")}-${stamp}`, sheetName: t("reports.file.communes"), header: coverageHeader(locale), rows };
    }
    case "missing": {
      if (!q.target) throw new Response("target is required", { status: 400 });
      const stream = missingPeopleStream(scope, { unitCode, targetCode: q.target, subUnitCode: q.sub, q: q.q, category: q.category, asOf });
      // Surface scope and input errors before the response starts streaming.
      const first = await stream.next();
      async function* rows(): AsyncGenerator<CellValue[]> {
        let item = first;
        while (!item.done) {
          const p = item.value;
          yield [p.staffCode, p.fullName, p.unitCode, locale === "en" && p.unitNameEn ? p.unitNameEn : p.unitNameVi, t(`reports.category.${p.category}` as MessageKey), p.isItDx ? t("reports.yes") : "", p.isLeader ? t("reports.yes") : ""];
          item = await stream.next();
        }
      }
      return {
        baseName: `${t("reports.file.missing")}-${q.target}-${stamp}`,
        sheetName: t("reports.file.missing"),
        header: [t("reports.col.staffCode"), t("reports.col.fullName"), t("reports.col.unitCode"), t("reports.col.unit"), t("reports.col.category"), t("reports.col.itdx"), t("reports.col.leader")],
        rows: rows(),
      };
    }
  }
}

/** The per-row errors of a stored import preview (reasons in both languages). */
export async function importErrorsTable(scope: ReportScope, importId: string, locale: Locale): Promise<ExportTable> {
  const t = makeT(locale);
  const view = await getImport(scope, importId);
  return {
    baseName: `${t("reports.file.importErrors")}-${view.unitCode}`,
    sheetName: t("reports.file.importErrors"),
    header: [t("reports.import.col.row"), t("reports.import.col.column"), t("reports.import.col.value"), t("reports.import.col.reasonVi"), t("reports.import.col.reasonEn")],
    rows: view.errors.map((e) => [e.row, e.column, e.value, e.reasonVi, e.reasonEn]),
  };
}

export { COVERAGE_STATUSES };
