/** A one-page summary of a unit for reporting upwards: the browser's Print (or Save as PDF) gives one A4 page. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { detectLocale, formatDate, formatNumber, makeT, type MessageKey } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { coverageReport, parseAsOf, sortChildren } from "~/reports/coverage-report.server";
import { orBadRequest, requireReportScope } from "~/reports/http.server";
import { applicable, fmtPace, fmtPercent, NotApplicable, StatusBadge, unitLabel } from "~/reports/ui";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "vi" | "en" } | undefined)?.locale ?? "vi";
  return [{ title: `${makeT(locale)("reports.print.title")} · ${makeT(locale)("app.name")}` }];
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
      <table className="print-table">
        <thead>
          <tr>
            <th scope="col">{t("reports.col.target")}</th>
            <th scope="col" className="num">{t("reports.col.population")}</th>
            <th scope="col" className="num">{t("reports.col.holders")}</th>
            <th scope="col" className="num">{t("reports.col.percent")}</th>
            <th scope="col" className="num">{t("reports.col.gap")}</th>
            <th scope="col" className="num">{t("reports.col.pace")}</th>
            <th scope="col">{t("reports.col.projected")}</th>
            <th scope="col">{t("reports.col.status")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.rows.map((r, i) => {
            const tg = shown.targets[i]!;
            return (
              <tr key={r.target_code}>
                <th scope="row">
                  {r.target_code}
                  <span className="block small muted">{t("reports.targetLine", { percent: formatNumber(locale, tg.percent), date: formatDate(locale, tg.deadline) })}</span>
                </th>
                <td className="num">{formatNumber(locale, r.population)}</td>
                <td className="num">{formatNumber(locale, r.holders)}</td>
                <td className="num">{fmtPercent(locale, r.percent)}</td>
                <td className="num">{formatNumber(locale, r.gap)}</td>
                <td className="num">{fmtPace(locale, r.certified_last_90_days)}</td>
                <td>{r.projected_date ? formatDate(locale, r.projected_date) : "—"}</td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <NotApplicable codes={shown.skipped} />
      {first && worst.length > 0 ? (
        <>
          <h2>{t("reports.print.worst", { target: first.code })}</h2>
          <table className="print-table">
            <thead>
              <tr>
                <th scope="col">{t("reports.col.unit")}</th>
                <th scope="col" className="num">{t("reports.col.population")}</th>
                <th scope="col" className="num">{t("reports.col.percent")}</th>
                <th scope="col" className="num">{t("reports.col.gap")}</th>
                <th scope="col">{t("reports.col.status")}</th>
              </tr>
            </thead>
            <tbody>
              {worst.map((c) => (
                <tr key={c.unit.id}>
                  <td>
                    {unitLabel(c.unit, locale)} <span className="muted small">{c.unit.code}</span>
                  </td>
                  <td className="num">{formatNumber(locale, c.rows[main]!.population)}</td>
                  <td className="num">{fmtPercent(locale, c.rows[main]!.percent)}</td>
                  <td className="num">{formatNumber(locale, c.rows[main]!.gap)}</td>
                  <td>
                    <StatusBadge status={c.rows[main]!.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <footer className="print-footer small">
        <p>{t("reports.print.definitions")}</p>
        <p className="muted">{t("reports.print.printed", { user: printedBy, at: printedAt })}</p>
      </footer>
    </article>
  );
}
