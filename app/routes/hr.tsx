import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { formatNumber, type MessageKey } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { unitsInScope } from "~/org/units.server";

export async function loader(args: LoaderFunctionArgs) {
  const { grants } = await requireRole(args, "hr");
  return { units: await unitsInScope(grants) };
}

export default function HrHome() {
  const { units } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h1>{t("hr.title")}</h1>
      <p className="muted">{t("hr.lead")}</p>
      <h2>{t("hr.units")}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("hr.col.unit")}</th>
            <th scope="col">{t("hr.col.code")}</th>
            <th scope="col" className="num">{t("hr.col.people")}</th>
            <th scope="col" className="num">{t("hr.col.itdx")}</th>
            <th scope="col" className="num">{t("hr.col.leaders")}</th>
            <th scope="col" className="num">{t("hr.col.communeOfficials")}</th>
          </tr>
        </thead>
        <tbody>
          {units.map((u) => (
            <tr key={u.id}>
              <td data-label={t("hr.col.unit")}>
                {u.depth > units[0]!.depth ? "↳ " : ""}
                {locale === "en" && u.nameEn ? u.nameEn : u.nameVi}{" "}
                <span className="muted">({t(`unit.kind.${u.kind}` as MessageKey)})</span>
              </td>
              <td data-label={t("hr.col.code")}>{u.code}</td>
              <td data-label={t("hr.col.people")} className="num">{formatNumber(locale, u.activePeople)}</td>
              <td data-label={t("hr.col.itdx")} className="num">{formatNumber(locale, u.itDx)}</td>
              <td data-label={t("hr.col.leaders")} className="num">{formatNumber(locale, u.leaders)}</td>
              <td data-label={t("hr.col.communeOfficials")} className="num">{formatNumber(locale, u.communeOfficials)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
