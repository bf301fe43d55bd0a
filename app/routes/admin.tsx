import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { adminHome } from "~/dashboards/home.server";
import { NATIONAL_UNIT_ID } from "~/org/units.server";
import { formatNumber } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";

export async function loader(args: LoaderFunctionArgs) {
  await requireRole(args, "admin", NATIONAL_UNIT_ID);
  return adminHome();
}

export default function AdminHome() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const stats = [
    ["admin.users", d.userCount],
    ["admin.people", d.peopleCount],
    ["admin.units", d.unitCount],
    ["admin.certificatesToday", d.certsToday],
  ] as const;
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <ul className="list-plain admin-links">
        <li>
          <Link to="/admin/users">{t("admin.nav.users")}</Link>
        </li>
        <li>
          <Link to="/admin/audit">{t("admin.nav.audit")}</Link>
        </li>
        <li>
          <Link to="/admin/targets">{t("admin.nav.targets")}</Link>
        </li>
      </ul>
      <div className="grid">
        {stats.map(([key, value]) => (
          <section key={key} className="card">
            <h2>{t(key)}</h2>
            <p className="stat">{formatNumber(locale, value)}</p>
          </section>
        ))}
      </div>
      <h2>{t("admin.audit")}</h2>
      {d.recentAudit.length === 0 ? (
        <p className="muted">{t("admin.audit.empty")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("admin.audit.at")}</th>
              <th scope="col">{t("admin.audit.actor")}</th>
              <th scope="col">{t("admin.audit.action")}</th>
            </tr>
          </thead>
          <tbody>
            {d.recentAudit.map((a, i) => (
              <tr key={i}>
                <td data-label={t("admin.audit.at")}>{new Date(a.at).toLocaleString(locale === "vi" ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh" })}</td>
                <td data-label={t("admin.audit.actor")}>{a.actor}</td>
                <td data-label={t("admin.audit.action")}>
                  <code>{a.action}</code> ({a.subjectType})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
