import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { formatDate, formatNumber, makeT, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { communeCoverage, compareRisk, parseAsOf } from "~/reports/coverage-report.server";
import { orBadRequest, requireReportScope } from "~/reports/http.server";
import { Badge, PageHeader } from "~/components/ui";
import { AsOfForm, CoverageRowsTable, ExportLinks, UnitName, unitLabel } from "~/reports/ui";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("reports.communes.title")) }];
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
      <PageHeader
        crumbs={[
          { href: "/hr", label: t("reports.home.title") },
          { href: `${base}${asOfQ}`, label: unitLabel(d.unit, locale) },
        ]}
        crumbsLabel={t("reports.breadcrumbs")}
        title={t("reports.communes.title")}
        lead={t("reports.communes.lead", { unit: unitLabel(d.unit, locale), n: formatNumber(locale, d.communeCount), date: formatDate(locale, d.asOf) })}
        actions={<AsOfForm asOf={d.asOf} />}
      />
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
              <CoverageRowsTable
                nameHeader={t("reports.col.commune")}
                columns={["population", "holders", "percent", "gap", "status"]}
                items={withStaff.map((c) => ({
                  key: c.unit.id,
                  row: c.row,
                  targetPercent: tg.percent,
                  name: <UnitName unit={c.unit} href={`/hr/units/${encodeURIComponent(c.unit.code)}${asOfQ}`} extra={c.unit.merged ? <Badge>{t("reports.unit.merged")}</Badge> : null} />,
                }))}
              />
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
