import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { formatDate, formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { ChildBarChart, CoverageLineChart } from "~/reports/charts";
import { parseAsOf, unitDashboard } from "~/reports/coverage-report.server";
import { orBadRequest, requireReportScope } from "~/reports/http.server";
import { PageHeader } from "~/components/ui";
import { applicable, AsOfForm, CoverageRowsTable, CoverageTable, ExportLinks, NotApplicable, UnitName, unitLabel } from "~/reports/ui";
import "~/styles/reports.css";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = metaLocale(matches);
  const name = data ? unitLabel(data.report.unit, locale) : "";
  return [{ title: pageTitle(locale, name, makeT(locale)("reports.unit.title")) }];
};

const Query = z.object({
  asOf: z.string().max(10).optional(),
  target: z.string().max(40).optional(),
  sort: z.enum(["gap", "status", "percent", "code"]).optional(),
});

export async function loader(args: LoaderFunctionArgs) {
  const { scope } = await requireReportScope(args);
  const code = z.string().min(1).max(64).parse(args.params.code);
  const q = Query.safeParse(Object.fromEntries(new URL(args.request.url).searchParams));
  if (!q.success) throw new Response("Bad query", { status: 400 });
  return orBadRequest(async () => {
    const asOf = parseAsOf(q.data.asOf);
    const d = await unitDashboard(scope, { unitCode: code, asOf, targetCode: q.data.target, sort: q.data.sort });
    return { ...d, asOfParam: q.data.asOf || null, sort: q.data.sort ?? "status" };
  });
}

export default function UnitReport() {
  const { report, targetIndex, series, children, ancestors, hasCommunes, asOfParam, sort } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const unit = report.unit;
  const base = `/hr/units/${encodeURIComponent(unit.code)}`;
  const target = report.targets[targetIndex];
  const row = report.rows[targetIndex];
  const shown = applicable(report.rows, report.targets);
  const qs = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    if (asOfParam) p.set("asOf", asOfParam);
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) p.set(k, v);
    const s = p.toString();
    return s ? `?${s}` : "";
  };
  const exportHref = (table: string, extra: Record<string, string | undefined> = {}) => (format: "csv" | "xlsx") =>
    `${base}/export${qs({ table, format, ...extra })}`;
  return (
    <>
      <PageHeader
        crumbs={[{ href: "/hr", label: t("reports.home.title") }, ...ancestors.slice(0, -1).map((a) => ({ href: `/hr/units/${encodeURIComponent(a.code)}${qs({})}`, label: unitLabel(a, locale) }))]}
        crumbsLabel={t("reports.breadcrumbs")}
        title={unitLabel(unit, locale)}
        lead={`${t(`unit.kind.${unit.kind}` as MessageKey)} · ${t("reports.unit.code", { code: unit.code })} · ${t("reports.unit.asOf", { date: formatDate(locale, report.asOf) })}`}
        actions={<AsOfForm asOf={report.asOf} keep={{ target: target?.code, sort }} />}
      />
      <ul className="action-links list-plain">
        <li>
          <Link to={`${base}/missing${qs({ target: target?.code })}`} className="button secondary">
            {t("reports.unit.missingLink")}
          </Link>
        </li>
        {hasCommunes ? (
          <li>
            <Link to={`${base}/communes${qs({})}`} className="button secondary">
              {t("reports.unit.communesLink")}
            </Link>
          </li>
        ) : null}
        <li>
          <Link to={`${base}/print${qs({})}`} className="button secondary">
            {t("reports.unit.printLink")}
          </Link>
        </li>
      </ul>

      <section aria-labelledby="targets-h">
        <h2 id="targets-h">{t("reports.unit.targets")}</h2>
        {shown.rows.length === 0 ? <p className="muted">{t("reports.unit.noTargets")}</p> : <CoverageTable rows={shown.rows} targets={shown.targets} />}
        <NotApplicable codes={shown.skipped} />
        <ExportLinks href={exportHref("coverage")} label={t("reports.export.coverage")} />
      </section>

      {target && row ? (
        <>
          <section aria-labelledby="chart-h" className="report-section">
            <h2 id="chart-h">{t("reports.unit.chart")}</h2>
            <Form method="get" className="inline-filter">
              {asOfParam ? <input type="hidden" name="asOf" value={asOfParam} /> : null}
              <input type="hidden" name="sort" value={sort} />
              <div className="field">
                <label htmlFor="target">{t("reports.unit.chooseTarget")}</label>
                <select id="target" name="target" defaultValue={target.code}>
                  {report.targets.filter((tg, i) => report.rows[i]!.population > 0 || i === targetIndex).map((tg) => (
                    <option key={tg.code} value={tg.code}>
                      {tg.code} — {locale === "en" ? tg.titleEn : tg.titleVi}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="button secondary">
                {t("reports.unit.show")}
              </button>
            </Form>
            <CoverageLineChart
              series={series}
              required={row.required}
              population={row.population}
              deadline={target.deadline}
              asOf={report.asOf}
              projected={row.projected_date}
              targetCode={target.code}
            />
          </section>

          {children.length > 0 ? (
            <section aria-labelledby="children-h" className="report-section">
              <h2 id="children-h">{t("reports.unit.children", { target: target.code })}</h2>
              <ChildBarChart
                title={t("reports.unit.barsTitle", { target: target.code, percent: formatNumber(locale, target.percent) })}
                targetPercent={target.percent}
                bars={children.slice(0, 60).map((c) => {
                  const r = c.rows[targetIndex]!;
                  return { code: c.unit.code, label: unitLabel(c.unit, locale), percent: r.percent, holders: r.holders, population: r.population, status: r.status, href: `/hr/units/${encodeURIComponent(c.unit.code)}${qs({ target: target.code })}` };
                })}
              />
              <p className="sort-links">
                <span className="muted">{t("reports.sort.label")}</span>{" "}
                {(["status", "gap", "percent", "code"] as const).map((s) => (
                  <span key={s}>
                    {s === sort ? (
                      <strong aria-current="true">{t(`reports.sort.${s}` as MessageKey)}</strong>
                    ) : (
                      <Link to={`${base}${qs({ target: target.code, sort: s })}#children-h`}>{t(`reports.sort.${s}` as MessageKey)}</Link>
                    )}
                    {s !== "code" ? " · " : ""}
                  </span>
                ))}
              </p>
              <CoverageRowsTable
                nameHeader={t("reports.col.unit")}
                columns={["population", "holders", "percent", "gap", "projected", "status"]}
                items={[
                  ...children.map((c) => ({ key: c.unit.id, row: c.rows[targetIndex]!, name: <UnitName unit={c.unit} href={`/hr/units/${encodeURIComponent(c.unit.code)}${qs({ target: target.code })}`} /> })),
                  ...(report.own ? [{ key: "own", row: report.own.rows[targetIndex]!, name: <em>{t("reports.unit.ownPeople")}</em> }] : []),
                ]}
              />
              <ExportLinks href={exportHref("children", { target: target.code })} label={t("reports.export.children")} />
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
