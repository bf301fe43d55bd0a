import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDate, formatNumber, makeT, type MessageKey } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { hrOverview, parseAsOf } from "~/reports/coverage-report.server";
import { orBadRequest, requireReportScope } from "~/reports/http.server";
import { applicable, AsOfForm, fmtPercent, NotApplicable, Progress, StatusBadge, unitLabel } from "~/reports/ui";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "vi" | "en" } | undefined)?.locale ?? "vi";
  return [{ title: `${makeT(locale)("reports.home.title")} · ${makeT(locale)("app.name")}` }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { scope } = await requireReportScope(args);
  const url = new URL(args.request.url);
  return orBadRequest(async () => {
    const asOfParam = url.searchParams.get("asOf") || null;
    const asOf = parseAsOf(asOfParam);
    return { asOf, asOfParam, overview: await hrOverview(scope, asOf) };
  });
}

export default function HrHome() {
  const { asOf, asOfParam, overview } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <div className="report-head">
        <div>
          <h1>{t("reports.home.title")}</h1>
          <p className="muted">{t("reports.home.lead", { date: formatDate(locale, asOf) })}</p>
        </div>
        <div className="report-head__tools">
          <AsOfForm asOf={asOf} />
          <p>
            <Link to="/hr/import" className="button">
              {t("reports.import.link")}
            </Link>{" "}
            <Link to="/hr/certificates" className="button secondary">
              {t("nav.hr.certificates")}
            </Link>{" "}
            <Link to="/hr/attempts" className="button secondary">
              {t("nav.hr.attempts")}
            </Link>
          </p>
        </div>
      </div>
      {overview.map(({ report, atRisk }) => {
        const shown = applicable(report.rows, report.targets);
        const unitHref = `/hr/units/${encodeURIComponent(report.unit.code)}${asOfQuery(asOfParam)}`;
        return (
          <section key={report.unit.id} className="report-section" aria-labelledby={`u-${report.unit.code}`}>
            <h2 id={`u-${report.unit.code}`}>
              <Link to={unitHref}>{unitLabel(report.unit, locale)}</Link>{" "}
              <span className="muted small">({t(`unit.kind.${report.unit.kind}` as MessageKey)} · {report.unit.code})</span>
            </h2>
            <ul className="grid list-plain target-cards">
              {shown.rows.map((r, i) => {
                const tg = shown.targets[i]!;
                return (
                  <li key={r.target_code} className="card target-card">
                    <p className="target-card__head">
                      <span className="badge">{r.target_code}</span> <StatusBadge status={r.status} />
                    </p>
                    <h3 className="target-card__title">{locale === "en" ? tg.titleEn : tg.titleVi}</h3>
                    <p className="stat">{fmtPercent(locale, r.percent)}</p>
                    <Progress percent={r.percent} targetPercent={tg.percent} label={t("reports.progressLabel", { percent: fmtPercent(locale, r.percent), target: formatNumber(locale, tg.percent) })} />
                    <p className="muted small">
                      {t("reports.card.holders", { holders: formatNumber(locale, r.holders), population: formatNumber(locale, r.population) })}
                      <br />
                      {r.gap > 0 ? t("reports.card.gap", { gap: formatNumber(locale, r.gap), date: formatDate(locale, tg.deadline) }) : t("reports.card.met")}
                      <br />
                      {r.projected_date ? t("reports.card.projected", { date: formatDate(locale, r.projected_date) }) : r.gap > 0 ? t("reports.card.noPace") : null}
                    </p>
                  </li>
                );
              })}
            </ul>
            <NotApplicable codes={shown.skipped} />
            <h3>{t("reports.home.atRisk")}</h3>
            {atRisk.length === 0 ? (
              <p className="muted">{t("reports.home.atRiskNone")}</p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t("reports.col.unit")}</th>
                    <th scope="col">{t("reports.col.target")}</th>
                    <th scope="col" className="num">{t("reports.col.percent")}</th>
                    <th scope="col" className="num">{t("reports.col.gap")}</th>
                    <th scope="col">{t("reports.col.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {atRisk.map((a) => (
                    <tr key={a.unit.id}>
                      <td data-label={t("reports.col.unit")}>
                        <Link to={`/hr/units/${encodeURIComponent(a.unit.code)}${asOfQuery(asOfParam)}`}>{unitLabel(a.unit, locale)}</Link>
                      </td>
                      <td data-label={t("reports.col.target")}>{a.row.target_code}</td>
                      <td data-label={t("reports.col.percent")} className="num">{fmtPercent(locale, a.row.percent)}</td>
                      <td data-label={t("reports.col.gap")} className="num">{formatNumber(locale, a.row.gap)}</td>
                      <td data-label={t("reports.col.status")}>
                        <StatusBadge status={a.row.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p>
              <Link to={unitHref}>{t("reports.home.openUnit", { unit: unitLabel(report.unit, locale) })}</Link>
            </p>
          </section>
        );
      })}
    </>
  );
}

function asOfQuery(asOf: string | null): string {
  return asOf ? `?asOf=${asOf}` : "";
}
