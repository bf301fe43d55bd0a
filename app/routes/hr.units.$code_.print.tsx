/** A one-page summary of a unit for reporting upwards: the browser's Print (or Save as PDF) gives one A4 page. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { detectLocale, formatDate, formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { coverageReport, parseAsOf, sortChildren } from "~/reports/coverage-report.server";
import { orBadRequest, requireReportScope } from "~/reports/http.server";
import { applicable, CoverageRowsTable, NotApplicable, UnitName, unitLabel } from "~/reports/ui";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("reports.print.title")) }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { scope, username } = await requireReportScope(args);
  const code = z.string().min(1).max(64).parse(args.params.code);
  const asOfParam = new URL(args.request.url).searchParams.get("asOf") || null;
  return orBadRequest(async () => {
    const report = await coverageReport(scope, { unitCode: code, asOf: parseAsOf(asOfParam), withChildren: true });
    // The 12 child units (with staff) furthest behind on the main target keep the summary on one page.
    const main = Math.max(0, report.rows.findIndex((r) => r.population > 0));
    const worst = report.targets.length > 0 ? sortChildren(report.children.filter((c) => c.rows[main]!.population > 0), main, "status").slice(0, 12) : [];
    const locale = detectLocale(args.request.headers.get("Cookie"));
    const printedAt = new Date().toLocaleString(locale === "vi" ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh" });
    return { report, worst, main, asOfParam, printedBy: username, printedAt };
  });
}

export default function PrintSummary() {
  const { report, worst, main, asOfParam, printedBy, printedAt } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const first = report.targets[main];
  const shown = applicable(report.rows, report.targets);
  return (
    <article className="print-summary">
      <p className="no-print">
        <Link to={`/hr/units/${encodeURIComponent(report.unit.code)}${asOfParam ? `?asOf=${asOfParam}` : ""}`}>{t("reports.print.back")}</Link> · {t("reports.print.hint")}
      </p>
      <header>
        <p className="muted small">{t("app.name")}</p>
        <h1>{t("reports.print.heading", { unit: unitLabel(report.unit, locale) })}</h1>
        <p>
          {t(`unit.kind.${report.unit.kind}` as MessageKey)} · {report.unit.code} · {t("reports.unit.asOf", { date: formatDate(locale, report.asOf) })}
        </p>
      </header>
      <CoverageRowsTable
        className="print-table"
        nameHeader={t("reports.col.target")}
        columns={["population", "holders", "percent", "gap", "pace", "projected", "status"]}
        items={shown.rows.map((r, i) => ({
          key: r.target_code,
          row: r,
          name: (
            <span className="block">
              {r.target_code}
              <span className="block small muted">{t("reports.targetLine", { percent: formatNumber(locale, shown.targets[i]!.percent), date: formatDate(locale, shown.targets[i]!.deadline) })}</span>
            </span>
          ),
        }))}
      />
      <NotApplicable codes={shown.skipped} />
      {first && worst.length > 0 ? (
        <>
          <h2>{t("reports.print.worst", { target: first.code })}</h2>
          <CoverageRowsTable
            className="print-table"
            nameHeader={t("reports.col.unit")}
            columns={["population", "percent", "gap", "status"]}
            items={worst.map((c) => ({ key: c.unit.id, row: c.rows[main]!, name: <UnitName unit={c.unit} /> }))}
          />
        </>
      ) : null}
      <footer className="print-footer small">
        <p>{t("reports.print.definitions")}</p>
        <p className="muted">{t("reports.print.printed", { user: printedBy, at: printedAt })}</p>
      </footer>
    </article>
  );
}
