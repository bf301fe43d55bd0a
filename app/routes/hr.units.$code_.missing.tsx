import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { PERSON_CATEGORIES } from "#db/schema";
import { formatDate, formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { parseAsOf } from "~/reports/coverage-report.server";
import { orBadRequest, requireReportScope } from "~/reports/http.server";
import { missingPage } from "~/reports/missing.server";
import { Badge, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { ExportLinks, UnitName, unitLabel } from "~/reports/ui";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("reports.missing.title")) }];
};

const Query = z.object({
  asOf: z.string().max(10).optional(),
  target: z.string().max(40).optional(),
  sub: z.string().max(64).optional(),
  q: z.string().max(100).optional(),
  category: z.enum(PERSON_CATEGORIES).optional(),
  after: z.string().max(2000).optional(),
});

export async function loader(args: LoaderFunctionArgs) {
  const { scope } = await requireReportScope(args);
  const code = z.string().min(1).max(64).parse(args.params.code);
  const raw = Object.fromEntries([...new URL(args.request.url).searchParams].filter(([, v]) => v !== ""));
  const q = Query.safeParse(raw);
  if (!q.success) throw new Response("Bad query", { status: 400 });
  return orBadRequest(async () => {
    const asOf = parseAsOf(q.data.asOf);
    const page = await missingPage(scope, { unitCode: code, targetCode: q.data.target, subUnitCode: q.data.sub, q: q.data.q, category: q.data.category, asOf, after: q.data.after });
    return { ...page, filters: { asOf: q.data.asOf ?? "", sub: q.data.sub ?? "", q: q.data.q ?? "", category: q.data.category ?? "" } };
  });
}

export default function MissingPeople() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const base = `/hr/units/${encodeURIComponent(d.unit.code)}`;
  const params = (extra: Record<string, string>) => {
    const p = new URLSearchParams();
    const all = { asOf: d.filters.asOf, target: d.target.code, sub: d.filters.sub, q: d.filters.q, category: d.filters.category, ...extra };
    for (const [k, v] of Object.entries(all)) if (v) p.set(k, v);
    return `?${p.toString()}`;
  };
  return (
    <>
      <PageHeader
        crumbs={[
          { href: "/hr", label: t("reports.home.title") },
          { href: `${base}${d.filters.asOf ? `?asOf=${d.filters.asOf}` : ""}`, label: unitLabel(d.unit, locale) },
        ]}
        crumbsLabel={t("reports.breadcrumbs")}
        title={t("reports.missing.title")}
        lead={t("reports.missing.lead", { unit: unitLabel(d.base, locale), target: d.target.code, date: formatDate(locale, d.asOf) })}
      />
      <Form method="get" className="filters" aria-label={t("reports.missing.filters")}>
        <div className="field">
          <label htmlFor="target">{t("reports.col.target")}</label>
          <select id="target" name="target" defaultValue={d.target.code}>
            {d.targets.map((tg) => (
              <option key={tg.code} value={tg.code}>
                {tg.code} — {locale === "en" ? tg.titleEn : tg.titleVi}
              </option>
            ))}
          </select>
        </div>
        {d.children.length > 0 ? (
          <div className="field">
            <label htmlFor="sub">{t("reports.missing.subUnit")}</label>
            <select id="sub" name="sub" defaultValue={d.filters.sub}>
              <option value="">{t("reports.missing.allUnits")}</option>
              {d.children.map((c) => (
                <option key={c.code} value={c.code}>
                  {unitLabel(c, locale)} ({c.code})
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="category">{t("reports.col.category")}</label>
          <select id="category" name="category" defaultValue={d.filters.category}>
            <option value="">{t("reports.missing.allCategories")}</option>
            {PERSON_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`reports.category.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q">{t("reports.missing.search")}</label>
          <input id="q" name="q" type="search" defaultValue={d.filters.q} maxLength={100} />
        </div>
        {d.filters.asOf ? <input type="hidden" name="asOf" value={d.filters.asOf} /> : null}
        <button type="submit" className="button">
          {t("reports.missing.apply")}
        </button>
      </Form>
      <p role="status">
        <strong>{t("reports.missing.count", { n: formatNumber(locale, d.total) })}</strong>
      </p>
      {d.rows.length === 0 ? (
        <EmptyState title={t("reports.missing.none")} />
      ) : (
        <DataTable
          rows={d.rows}
          rowKey={(p) => p.id}
          columns={[
            { header: t("reports.col.staffCode"), cell: (p) => p.staffCode },
            { header: t("reports.col.fullName"), cell: (p) => p.fullName },
            { header: t("reports.col.unit"), cell: (p) => <UnitName unit={{ code: p.unitCode, nameVi: p.unitNameVi, nameEn: p.unitNameEn }} /> },
            {
              header: t("reports.col.category"),
              cell: (p) => (
                <>
                  {t(`reports.category.${p.category}` as MessageKey)}
                  {p.isItDx ? <Badge>{t("reports.col.itdx")}</Badge> : null}
                  {p.isLeader ? <Badge>{t("reports.col.leader")}</Badge> : null}
                </>
              ),
            },
          ]}
        />
      )}
      {d.next || !d.isFirstPage ? (
        <nav aria-label={t("reports.pagination")} className="pagination">
          {!d.isFirstPage ? <Link to={params({})}>{t("reports.firstPage")}</Link> : null}
          {d.next ? <Link to={params({ after: d.next })}>{t("reports.next")}</Link> : null}
        </nav>
      ) : null}
      <ExportLinks
        href={(format) => {
          const p = new URLSearchParams({ table: "missing", format, target: d.target.code });
          for (const [k, v] of Object.entries(d.filters)) if (v) p.set(k, v);
          return `${base}/export?${p.toString()}`;
        }}
        label={t("reports.export.missing")}
      />
    </>
  );
}
