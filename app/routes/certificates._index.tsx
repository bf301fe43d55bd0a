import "~/styles/certificates.css";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { myCertificates } from "~/certificates/records.server";
import { daysUntil } from "~/certificates/lifecycle";
import { CertificateActions, CertificateHead } from "~/certificates/ui";
import { EmptyState, Facts, LinkButton, PageHeader } from "~/components/ui";
import { formatDate, makeT, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, t("certificates.mine.title")) }];
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
      <PageHeader title={t("certificates.mine.title")} lead={t("certificates.mine.lead")} />
      {!hasPerson ? (
        <EmptyState title={t("certificates.mine.noPerson")} />
      ) : items.length === 0 ? (
        <EmptyState title={t("certificates.mine.empty")} action={<LinkButton to="/courses">{t("certificates.mine.toCourses")}</LinkButton>} />
      ) : (
        <ul className="cert-list list-plain">
          {items.map((c) => {
            const days = daysUntil(c.expiresAt, now);
            const credential = locale === "en" ? c.credentialNameEn : c.credentialNameVi;
            return (
              <li key={c.serial} id={c.serial} className={`card cert-card cert-card--${c.status}`}>
                <CertificateHead title={credential} status={c.status} />
                <Facts
                  className="cert-facts"
                  items={[
                    { label: t("certificates.field.serial"), value: <code>{c.serial}</code> },
                    { label: t("certificates.field.issued"), value: formatDate(locale, c.issuedAt) },
                    { label: t("certificates.field.expires"), value: c.expiresAt === null ? t("certificates.field.noExpiry") : formatDate(locale, c.expiresAt) },
                    c.source === "recognised" && { label: t("certificates.field.source"), value: t("certificates.source.recognised") },
                  ]}
                />
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
                    <LinkButton to={c.courseId ? `/courses/${c.courseId}` : "/courses"}>{t("certificates.mine.renew")}</LinkButton>
                  </div>
                ) : null}
                <CertificateActions serial={c.serial} verifyPath={c.verifyPath} />
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
