import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDate, formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { hrOverview, parseAsOf } from "~/reports/coverage-report.server";
import { orBadRequest, requireReportScope } from "~/reports/http.server";
import { Badge, LinkButton, PageHeader, StatCard } from "~/components/ui";
import { applicable, AsOfForm, CoverageRowsTable, fmtPercent, NotApplicable, StatusBadge, TargetProgress, UnitName, unitLabel } from "~/reports/ui";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("reports.home.title")) }];
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
      <PageHeader
        title={t("reports.home.title")}
        lead={t("reports.home.lead", { date: formatDate(locale, asOf) })}
        actions={
          <>
            <AsOfForm asOf={asOf} />
            <LinkButton to="/hr/import">{t("reports.import.link")}</LinkButton>
            <LinkButton to="/hr/certificates" variant="secondary">
              {t("nav.hr.certificates")}
            </LinkButton>
            <LinkButton to="/hr/attempts" variant="secondary">
              {t("nav.hr.attempts")}
            </LinkButton>
          </>
        }
      />
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
                  <StatCard
                    key={r.target_code}
                    as="li"
                    headingLevel={3}
                    className="target-card"
                    badge={
                      <>
                        <Badge>{r.target_code}</Badge> <StatusBadge status={r.status} />
                      </>
                    }
                    label={locale === "en" ? tg.titleEn : tg.titleVi}
                    value={fmtPercent(locale, r.percent)}
                    target={t("reports.targetLine", { percent: formatNumber(locale, tg.percent), date: formatDate(locale, tg.deadline) })}
                  >
                    <TargetProgress percent={r.percent} targetPercent={tg.percent} />
                    <p className="muted small">
                      {t("reports.card.holders", { holders: formatNumber(locale, r.holders), population: formatNumber(locale, r.population) })}
                      <br />
                      {r.gap > 0 ? t("reports.card.gap", { gap: formatNumber(locale, r.gap), date: formatDate(locale, tg.deadline) }) : t("reports.card.met")}
                      <br />
                      {r.projected_date ? t("reports.card.projected", { date: formatDate(locale, r.projected_date) }) : r.gap > 0 ? t("reports.card.noPace") : null}
                    </p>
                  </StatCard>
                );
              })}
            </ul>
            <NotApplicable codes={shown.skipped} />
            <h3>{t("reports.home.atRisk")}</h3>
            {atRisk.length === 0 ? (
              <p className="muted">{t("reports.home.atRiskNone")}</p>
            ) : (
              <CoverageRowsTable
                nameHeader={t("reports.col.unit")}
                columns={["target", "percent", "gap", "status"]}
                items={atRisk.map((a) => ({ key: `${a.unit.id}-${a.row.target_code}`, row: a.row, name: <UnitName unit={a.unit} href={`/hr/units/${encodeURIComponent(a.unit.code)}${asOfQuery(asOfParam)}`} /> }))}
              />
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
