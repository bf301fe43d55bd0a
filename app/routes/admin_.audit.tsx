import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { parseAuditQuery, searchAudit, type AuditQuery } from "~/admin/audit.server";
import { requireRole } from "~/auth/session.server";
import { detectLocale, formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { PageHeader } from "~/components/ui";
import { useLocale, useT } from "~/i18n/react";
import { NATIONAL_UNIT_ID } from "~/org/units.server";
import "~/styles/reports.css";
import { ensureAdminMessages } from "~/i18n/admin";

ensureAdminMessages();

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("audit.title")) }];
};

const EMPTY = { actor: "", action: "", object: "", from: "", to: "" };

export async function loader(args: LoaderFunctionArgs) {
  await requireRole(args, "admin", NATIONAL_UNIT_ID);
  const params = new URL(args.request.url).searchParams;
  const parsed = parseAuditQuery(params);
  if (!parsed.ok) {
    const t = makeT(detectLocale(args.request.headers.get("Cookie")));
    const names = parsed.fields.map((f) => t(`audit.field.${f}` as MessageKey)).join(", ");
    const filters = { ...EMPTY, ...Object.fromEntries([...params].filter(([k]) => k in EMPTY)) };
    return data({ error: t("audit.invalid", { fields: names }), invalid: parsed.fields, filters, result: null }, { status: 400 });
  }
  const q = parsed.query;
  const filters = { actor: q.actor ?? "", action: q.action ?? "", object: q.object ?? "", from: q.from ?? "", to: q.to ?? "" };
  return { error: null, invalid: [] as string[], filters, result: await searchAudit(q) };
}

function queryString(filters: Omit<AuditQuery, "page">, page?: number): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) p.set(k, String(v));
  if (page && page > 1) p.set("page", String(page));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** A JSON snapshot as short text (the CSV export carries it whole). */
function brief(json: string | null): string {
  if (!json) return "—";
  return json.length > 160 ? `${json.slice(0, 157)}…` : json;
}

/** One text filter of the search form, with its hint tied to the input. */
function SearchField({ name, label, help, value, invalid }: { name: string; label: string; help: string; value: string; invalid?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type="search" maxLength={100} defaultValue={value} aria-describedby={`${name}-help`} aria-invalid={invalid} />
      <small id={`${name}-help`} className="muted">
        {help}
      </small>
    </div>
  );
}

export default function AdminAudit() {
  const { error, invalid, filters, result } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const bad = (f: string) => invalid.includes(f) || undefined;
  return (
    <>
      <PageHeader
        title={t("audit.title")}
        lead={t("audit.lead")}
        crumbsLabel={t("reports.breadcrumbs")}
        crumbs={[{ href: "/admin", label: t("admin.title") }]}
      />
      <Form method="get" className="filters" aria-label={t("audit.filters")}>
        <SearchField name="actor" label={t("audit.actor")} help={t("audit.actor.help")} value={filters.actor} invalid={bad("actor")} />
        <SearchField name="action" label={t("audit.action")} help={t("audit.action.help")} value={filters.action} invalid={bad("action")} />
        <SearchField name="object" label={t("audit.object")} help={t("audit.object.help")} value={filters.object} invalid={bad("object")} />
        <div className="field">
          <label htmlFor="from">{t("audit.from")}</label>
          <input id="from" name="from" type="date" defaultValue={filters.from} aria-invalid={bad("from")} />
        </div>
        <div className="field">
          <label htmlFor="to">{t("audit.to")}</label>
          <input id="to" name="to" type="date" defaultValue={filters.to} aria-invalid={bad("to")} />
        </div>
        <button type="submit" className="button">
          {t("audit.apply")}
        </button>
      </Form>
      {error ? (
        <div role="alert" className="alert error">
          {error}
        </div>
      ) : null}
      {result ? (
        <>
          <p role="status">
            <strong>{t("audit.count", { n: formatNumber(locale, result.total) })}</strong>
          </p>
          {result.rows.length === 0 ? (
            <p className="muted">{t("audit.none")}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("audit.col.at")}</th>
                  <th scope="col">{t("audit.col.actor")}</th>
                  <th scope="col">{t("audit.col.action")}</th>
                  <th scope="col">{t("audit.col.object")}</th>
                  <th scope="col">{t("audit.col.change")}</th>
                </tr>
              </thead>
              <tbody>
                {result.rows.map((r) => (
                  <tr key={r.id}>
                    <td data-label={t("audit.col.at")}>{new Date(r.at).toLocaleString(locale === "vi" ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh" })}</td>
                    <td data-label={t("audit.col.actor")}>{r.actorLabel}</td>
                    <td data-label={t("audit.col.action")}>
                      <code>{r.action}</code>
                    </td>
                    <td data-label={t("audit.col.object")}>
                      <span>
                        {r.subjectType} <code className="small">{r.subjectId ?? ""}</code>
                      </span>
                    </td>
                    <td data-label={t("audit.col.change")} className="small audit-change">
                      <code>{brief(r.beforeJson)}</code> → <code>{brief(r.afterJson)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav aria-label={t("audit.pagination")} className="pagination">
            <span>{t("audit.page", { page: result.page, pages: result.pageCount })}</span>
            {result.page > 1 ? <Link to={queryString(filters, result.page - 1)}>{t("audit.prev")}</Link> : null}
            {result.page < result.pageCount ? <Link to={queryString(filters, result.page + 1)}>{t("audit.next")}</Link> : null}
          </nav>
          <p>
            <a href={`/admin/audit/export${queryString(filters)}`} download>
              {t("audit.export")}
            </a>
          </p>
        </>
      ) : null}
    </>
  );
}
