/** /hr/certificates?unit=CODE — an HR officer's (or admin's) list of a unit's certificates, with filters and bulk export. */
import "~/styles/certificates.css";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { orHttpError } from "~/certificates/http.server";
import { CREDENTIAL_OPTIONS, filtersFromUrl, filtersQuery, LIST_STATUS_FILTERS } from "~/certificates/filters";
import { scopeOfGrants, selectableUnits, unitCertificates } from "~/certificates/records.server";
import { ExportDownload, StatusBadge } from "~/certificates/ui";
import { DataTable, EmptyState, PageHeader, Tabs } from "~/components/ui";
import { formatDate, formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, t("certificates.hr.title")) }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { grants } = await requireRole(args, "hr");
  const scope = scopeOfGrants(grants);
  const url = new URL(args.request.url);
  const f = filtersFromUrl(url);
  const unitCode = f.unit || grants[0]!.unitCode;
  const list = await orHttpError(() =>
    unitCertificates(scope, { unitCode, credentialId: f.credential ?? null, status: f.status ?? "all", q: f.q ?? null, year: f.year ?? null, page: f.page ?? 1 }),
  );
  return {
    list,
    filters: { unit: unitCode, credential: f.credential ?? "", status: f.status ?? "all", q: f.q ?? "", year: f.year ? String(f.year) : "" },
    units: await selectableUnits(scope),
    exportHref: `/hr/certificates/export.zip?${filtersQuery({ ...f, unit: unitCode })}`,
    query: url.searchParams.toString(),
  };
}

export default function HrCertificates() {
  const { list, filters, units, exportHref, query } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const unitName = locale === "en" && list.unit.nameEn ? list.unit.nameEn : list.unit.nameVi;
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  // A status tab keeps the other filters and starts again at page 1.
  const statusLink = (status: string) => {
    const s = new URLSearchParams(query);
    s.delete("page");
    if (status === "all") s.delete("status");
    else s.set("status", status);
    return `?${s}`;
  };
  const pageLink = (p: number) => {
    const s = new URLSearchParams(query);
    s.set("page", String(p));
    return `?${s}`;
  };
  return (
    <>
      <PageHeader
        crumbs={[{ href: "/hr", label: t("reports.home.title") }]}
        crumbsLabel={t("reports.breadcrumbs")}
        title={t("certificates.hr.title")}
        lead={t("certificates.hr.lead", { unit: unitName, code: list.unit.code })}
      />
      <Tabs label={t("certificates.hr.counts")} items={LIST_STATUS_FILTERS.map((s) => ({ href: statusLink(s), label: t(`certificates.filter.${s}` as MessageKey), current: filters.status === s, count: s in list.counts ? formatNumber(locale, list.counts[s as keyof typeof list.counts]) : undefined }))} />
      <Form method="get" className="cert-filters card" aria-label={t("certificates.hr.filters")}>
        <div className="field">
          <label htmlFor="f-unit">{t("certificates.hr.unit")}</label>
          {units.length > 0 ? (
            <select id="f-unit" name="unit" defaultValue={filters.unit}>
              {units.some((u) => u.code === filters.unit) ? null : <option value={filters.unit}>{filters.unit}</option>}
              {units.map((u) => (
                <option key={u.code} value={u.code}>
                  {"– ".repeat(Math.max(0, u.depth - (units[0]?.depth ?? 0)))}
                  {locale === "en" && u.nameEn ? u.nameEn : u.nameVi} ({u.code})
                </option>
              ))}
            </select>
          ) : (
            <input id="f-unit" name="unit" defaultValue={filters.unit} />
          )}
        </div>
        <div className="field">
          <label htmlFor="f-credential">{t("certificates.field.credential")}</label>
          <select id="f-credential" name="credential" defaultValue={filters.credential}>
            <option value="">{t("certificates.hr.any")}</option>
            {CREDENTIAL_OPTIONS.map((c) => (
              <option key={c} value={c}>
                {t(`certificates.credential.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">{t("certificates.hr.status")}</label>
          <select id="f-status" name="status" defaultValue={filters.status}>
            {LIST_STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`certificates.filter.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-year">{t("certificates.hr.year")}</label>
          <input id="f-year" name="year" inputMode="numeric" pattern="[0-9]{4}" maxLength={4} defaultValue={filters.year} />
        </div>
        <div className="field">
          <label htmlFor="f-q">{t("certificates.hr.search")}</label>
          <input id="f-q" name="q" type="search" maxLength={100} defaultValue={filters.q} placeholder={t("certificates.hr.searchHelp")} aria-describedby="f-q-help" />
          <span className="cert-visually-hidden" id="f-q-help">
            {t("certificates.hr.searchHelp")}
          </span>
        </div>
        <button type="submit" className="primary">
          {t("certificates.hr.apply")}
        </button>
      </Form>
      <ExportDownload href={exportHref} count={list.total} fileName={`chung-nhan-${list.unit.code}.zip`} />
      <h2>{t("certificates.hr.results", { count: formatNumber(locale, list.total) })}</h2>
      {list.items.length === 0 ? (
        <EmptyState title={t("certificates.hr.empty")} />
      ) : (
        <DataTable
          className="cert-table"
          rows={list.items}
          rowKey={(c) => c.serial}
          columns={[
            {
              header: t("certificates.field.serial"),
              cell: (c) => (
                <Link to={`/hr/certificates/${c.serial}`}>
                  <code>{c.serial}</code>
                </Link>
              ),
            },
            {
              header: t("certificates.field.holder"),
              cell: (c) => (
                <>
                  {c.holderName} <span className="muted">({c.staffCode})</span>
                </>
              ),
            },
            { header: t("certificates.field.credential"), cell: (c) => (locale === "en" ? c.credentialNameEn : c.credentialNameVi) },
            { header: t("certificates.field.issued"), cell: (c) => formatDate(locale, c.issuedAt) },
            { header: t("certificates.field.expires"), cell: (c) => (c.expiresAt === null ? t("certificates.field.noExpiry") : formatDate(locale, c.expiresAt)) },
            {
              header: t("certificates.hr.status"),
              cell: (c) => (
                <>
                  <StatusBadge status={c.status} />
                  {c.renewDue && c.status === "valid" ? <span className="muted"> {t("certificates.hr.expiringSoon")}</span> : null}
                </>
              ),
            },
          ]}
        />
      )}
      {pages > 1 ? (
        <nav className="cert-pages" aria-label={t("certificates.hr.pages")}>
          {list.page > 1 ? <Link to={pageLink(list.page - 1)}>← {t("certificates.hr.prev")}</Link> : null}
          <span>{t("certificates.hr.pageOf", { page: list.page, pages })}</span>
          {list.page < pages ? <Link to={pageLink(list.page + 1)}>{t("certificates.hr.next")} →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
