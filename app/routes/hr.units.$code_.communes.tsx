import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { formatDate, formatNumber, makeT } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { communeCoverage, compareRisk, parseAsOf } from "~/reports/coverage-report.server";
import { orBadRequest, requireReportScope } from "~/reports/http.server";
import { AsOfForm, ExportLinks, fmtPercent, Progress, StatusBadge, unitLabel } from "~/reports/ui";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "vi" | "en" } | undefined)?.locale ?? "vi";
  return [{ title: `${makeT(locale)("reports.communes.title")} · ${makeT(locale)("app.name")}` }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { scope } = await requireReportScope(args);
  const code = z.string().min(1).max(64).parse(args.params.code);
  const asOfParam = new URL(args.request.url).searchParams.get("asOf") || null;
  return orBadRequest(async () => {
    const d = await communeCoverage(scope, code, parseAsOf(asOfParam));
    // Communes with staff on the roster, furthest behind first; the others are named apart.
    const sections = d.targets.map((target, i) => ({
      target,
      withStaff: d.communes
        .filter((c) => c.rows[i]!.population > 0)
        .sort((a, b) => compareRisk(a.rows[i]!, b.rows[i]!))
        .map((c) => ({ unit: c.unit, row: c.rows[i]! })),
      empty: d.communes.filter((c) => c.rows[i]!.population === 0).map((c) => c.unit),
    }));
    return { unit: d.unit, asOf: d.asOf, communeCount: d.communes.length, sections, asOfParam };
  });
}

export default function Communes() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const base = `/hr/units/${encodeURIComponent(d.unit.code)}`;
  const asOfQ = d.asOfParam ? `?asOf=${d.asOfParam}` : "";
  return (
    <>
      <nav aria-label={t("reports.breadcrumbs")} className="breadcrumbs">
        <ol className="list-plain">
          <li>
            <Link to="/hr">{t("reports.home.title")}</Link>
          </li>
          <li>
            <Link to={`${base}${asOfQ}`}>{unitLabel(d.unit, locale)}</Link>
          </li>
        </ol>
      </nav>
      <div className="report-head">
        <div>
          <h1>{t("reports.communes.title")}</h1>
          <p className="muted">
            {t("reports.communes.lead", { unit: unitLabel(d.unit, locale), n: formatNumber(locale, d.communeCount), date: formatDate(locale, d.asOf) })}
          </p>
        </div>
        <div className="report-head__tools">
          <AsOfForm asOf={d.asOf} />
        </div>
      </div>
      {d.sections.length === 0 ? <p className="muted">{t("reports.communes.noTarget")}</p> : null}
      {d.sections.map(({ target: tg, withStaff, empty }) => {
        return (
          <section key={tg.code} aria-labelledby={`t-${tg.code}`} className="report-section">
            <h2 id={`t-${tg.code}`}>
              <span className="badge">{tg.code}</span> {locale === "en" ? tg.titleEn : tg.titleVi}
            </h2>
            {withStaff.length === 0 ? (
              <p className="muted">{t("reports.communes.none")}</p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t("reports.col.commune")}</th>
                    <th scope="col" className="num">
                      {t("reports.col.population")}
                    </th>
                    <th scope="col" className="num">
                      {t("reports.col.holders")}
                    </th>
                    <th scope="col" className="num">
                      {t("reports.col.percent")}
                    </th>
                    <th scope="col" className="num">
                      {t("reports.col.gap")}
                    </th>
                    <th scope="col">{t("reports.col.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {withStaff.map((c) => {
                    const r = c.row;
                    return (
                      <tr key={c.unit.id}>
                        <td data-label={t("reports.col.commune")}>
                          <Link to={`/hr/units/${encodeURIComponent(c.unit.code)}${asOfQ}`}>{unitLabel(c.unit, locale)}</Link>{" "}
                          <span className="muted small">{c.unit.code}</span>
                          {c.unit.merged ? <span className="badge">{t("reports.unit.merged")}</span> : null}
                        </td>
                        <td data-label={t("reports.col.population")} className="num">
                          {formatNumber(locale, r.population)}
                        </td>
                        <td data-label={t("reports.col.holders")} className="num">
                          {formatNumber(locale, r.holders)}
                        </td>
                        <td data-label={t("reports.col.percent")} className="num">
                          {fmtPercent(locale, r.percent)}
                          <Progress
                            percent={r.percent}
                            targetPercent={tg.percent}
                            label={t("reports.progressLabel", { percent: fmtPercent(locale, r.percent), target: formatNumber(locale, tg.percent) })}
                          />
                        </td>
                        <td data-label={t("reports.col.gap")} className="num">
                          {formatNumber(locale, r.gap)}
                        </td>
                        <td data-label={t("reports.col.status")}>
                          <StatusBadge status={r.status} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            {empty.length > 0 ? (
              <details className="report-empty">
                <summary>{t("reports.communes.noRoster", { n: formatNumber(locale, empty.length) })}</summary>
                <p>{empty.map((u) => `${unitLabel(u, locale)} (${u.code})`).join(", ")}</p>
              </details>
            ) : null}
          </section>
        );
      })}
      <ExportLinks
        href={(format) => `${base}/export?table=communes&format=${format}${d.asOfParam ? `&asOf=${d.asOfParam}` : ""}`}
        label={t("reports.export.communes")}
      />
    </>
  );
}
