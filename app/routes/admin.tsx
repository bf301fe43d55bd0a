import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { Badge, DataTable, EmptyState, LinkButton, PageHeader, StatCard } from "~/components/ui";
import { adminHome } from "~/dashboards/home.server";
import { NATIONAL_UNIT_ID } from "~/org/units.server";
import { formatDate, formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { ensureAdminMessages } from "~/i18n/admin";

ensureAdminMessages();

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("admin.title")) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireRole(args, "admin", NATIONAL_UNIT_ID);
  return adminHome();
}

export default function AdminHome() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const when = (ms: number) => new Date(ms).toLocaleString(locale === "vi" ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" });
  return (
    <>
      <PageHeader
        title={t("admin.title")}
        lead={t("admin.lead")}
        actions={
          <>
            <LinkButton to="/admin/users" variant="secondary">
              {t("admin.nav.users")}
            </LinkButton>
            <LinkButton to="/admin/audit" variant="secondary">
              {t("admin.nav.audit")}
            </LinkButton>
            <LinkButton to="/admin/targets" variant="secondary">
              {t("admin.targetsLink")}
            </LinkButton>
            <LinkButton to="/hr" variant="secondary">
              {t("admin.reportsLink")}
            </LinkButton>
          </>
        }
      />
      <ul className="grid list-plain admin-stats">
        <StatCard as="li" label={t("admin.users")} value={formatNumber(locale, d.userCount)} target={t("admin.activeUsers", { n: formatNumber(locale, d.activeUserCount) })} />
        <StatCard as="li" label={t("admin.people")} value={formatNumber(locale, d.peopleCount)} />
        <StatCard as="li" label={t("admin.units")} value={formatNumber(locale, d.unitCount)} />
        <StatCard as="li" label={t("admin.certificatesToday")} value={formatNumber(locale, d.certsToday)} />
      </ul>

      <section className="page-section" aria-labelledby="imports-h">
        <h2 id="imports-h">{t("admin.imports")}</h2>
        {d.problemImports.length === 0 ? (
          <EmptyState title={t("admin.imports.none")} />
        ) : (
          <DataTable
            rows={d.problemImports}
            rowKey={(i) => i.id}
            columns={[
              { header: t("admin.imports.file"), rowHeader: true, cell: (i) => <Link to={`/hr/import?id=${i.id}`}>{i.fileName}</Link> },
              { header: t("admin.imports.unit"), cell: (i) => i.unitCode },
              { header: t("admin.imports.by"), cell: (i) => i.actor ?? "—" },
              { header: t("admin.imports.when"), cell: (i) => when(i.createdAt) },
              {
                header: t("admin.imports.problem"),
                cell: (i) => <Badge status={i.problem === "failed" ? "failed" : "at_risk"}>{t(`admin.imports.problem.${i.problem}` as MessageKey, { n: formatNumber(locale, i.errorCount) })}</Badge>,
              },
            ]}
          />
        )}
      </section>

      <section className="page-section" aria-labelledby="courses-h">
        <h2 id="courses-h">{t("admin.courses")}</h2>
        {d.courses.length === 0 ? (
          <EmptyState title={t("admin.courses.none")} />
        ) : (
          <DataTable
            rows={d.courses}
            rowKey={(c) => c.id}
            columns={[
              {
                header: t("admin.courses.course"),
                rowHeader: true,
                cell: (c) => (
                  <>
                    <Link to={`/courses/${c.id}`}>{locale === "en" ? c.titleEn : c.titleVi}</Link>{" "}
                    <Badge status={c.status === "active" ? "valid" : "unknown"}>{t(`admin.courses.status.${c.status}` as MessageKey)}</Badge>
                  </>
                ),
              },
              { header: t("admin.courses.version"), cell: (c) => (c.version ? <code>{c.version}</code> : "—") },
              { header: t("admin.courses.synced"), cell: (c) => (c.versionSince ? formatDate(locale, Math.max(c.versionSince, c.updatedAt)) : "—") },
              { header: t("admin.courses.lessons"), num: true, cell: (c) => formatNumber(locale, c.lessonCount) },
              { header: t("admin.courses.inProgress"), num: true, cell: (c) => formatNumber(locale, c.inProgress) },
              { header: t("admin.courses.passed"), num: true, cell: (c) => formatNumber(locale, c.passed) },
            ]}
          />
        )}
      </section>

      <section className="page-section" aria-labelledby="audit-h">
        <h2 id="audit-h">{t("admin.audit")}</h2>
        {d.recentAudit.length === 0 ? (
          <EmptyState title={t("admin.audit.empty")} />
        ) : (
          <DataTable
            rows={d.recentAudit}
            rowKey={(_a, i) => String(i)}
            columns={[
              { header: t("admin.audit.at"), cell: (a) => when(a.at) },
              { header: t("admin.audit.actor"), cell: (a) => a.actor },
              {
                header: t("admin.audit.action"),
                cell: (a) => (
                  <>
                    <code>{a.action}</code> ({a.subjectType})
                  </>
                ),
              },
            ]}
          />
        )}
      </section>
    </>
  );
}
