import "~/styles/certificates.css";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { myCertificates } from "~/certificates/records.server";
import { daysUntil } from "~/certificates/lifecycle";
import { StatusBadge } from "~/certificates/ui";
import { formatDate, makeT, type Locale } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: Locale } | undefined)?.locale ?? "vi";
  const t = makeT(locale);
  return [{ title: `${t("certificates.mine.title")} · ${t("app.name")}` }];
};

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const now = Date.now();
  return { items: await myCertificates(user.personId, now), hasPerson: user.personId !== null, now };
}

export default function MyCertificates() {
  const { items, hasPerson, now } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h1>{t("certificates.mine.title")}</h1>
      <p className="muted">{t("certificates.mine.lead")}</p>
      {!hasPerson ? (
        <p className="card">{t("certificates.mine.noPerson")}</p>
      ) : items.length === 0 ? (
        <section className="card">
          <p>{t("certificates.mine.empty")}</p>
          <Link to="/courses" className="button">
            {t("certificates.mine.toCourses")}
          </Link>
        </section>
      ) : (
        <ul className="cert-list list-plain">
          {items.map((c) => {
            const days = daysUntil(c.expiresAt, now);
            const credential = locale === "en" ? c.credentialNameEn : c.credentialNameVi;
            return (
              <li key={c.serial} id={c.serial} className={`card cert-card cert-card--${c.status}`}>
                <div className="cert-card__head">
                  <h2 className="cert-card__title">{credential}</h2>
                  <StatusBadge status={c.status} />
                </div>
                <dl className="cert-facts">
                  <div>
                    <dt>{t("certificates.field.serial")}</dt>
                    <dd>
                      <code>{c.serial}</code>
                    </dd>
                  </div>
                  <div>
                    <dt>{t("certificates.field.issued")}</dt>
                    <dd>{formatDate(locale, c.issuedAt)}</dd>
                  </div>
                  <div>
                    <dt>{t("certificates.field.expires")}</dt>
                    <dd>{c.expiresAt === null ? t("certificates.field.noExpiry") : formatDate(locale, c.expiresAt)}</dd>
                  </div>
                  {c.source === "recognised" ? (
                    <div>
                      <dt>{t("certificates.field.source")}</dt>
                      <dd>{t("certificates.source.recognised")}</dd>
                    </div>
                  ) : null}
                </dl>
                {c.status === "revoked" || c.status === "suspended" ? (
                  <p className="alert error" role="status">
                    {t(c.status === "revoked" ? "certificates.mine.revokedOn" : "certificates.mine.suspendedOn", {
                      date: c.statusAt === null ? "—" : formatDate(locale, c.statusAt),
                      reason: c.statusReason ?? "—",
                    })}
                  </p>
                ) : null}
                {c.renewDue ? (
                  <div className="alert cert-renew" role="status">
                    <p>{days !== null && days >= 0 ? t("certificates.mine.renewSoon", { days }) : t("certificates.mine.renewExpired")}</p>
                    <Link to={c.courseId ? `/courses/${c.courseId}` : "/courses"} className="button">
                      {t("certificates.mine.renew")}
                    </Link>
                  </div>
                ) : null}
                <div className="cert-actions">
                  <a className="button" href={`/certificates/${c.serial}.pdf`} download>
                    {t("certificates.action.downloadPdf")}
                  </a>
                  <a className="button secondary" href={`/certificates/${c.serial}/openbadge.json`} download>
                    {t("certificates.action.downloadBadge")}
                  </a>
                  <a className="button secondary" href={c.verifyPath}>
                    {t("certificates.action.verifyPage")}
                  </a>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
