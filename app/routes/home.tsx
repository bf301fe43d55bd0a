import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { learnerHome } from "~/dashboards/home.server";
import { formatDate } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  return { displayName: user.displayName, ...(await learnerHome(user.personId)) };
}

export default function Home() {
  const { displayName, person, targets, certificates } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h1>{t("home.greeting", { name: displayName })}</h1>
      {person ? (
        <>
          <p className="muted">{t("home.learner.unit", { unit: locale === "en" && person.unitNameEn ? person.unitNameEn : person.unitNameVi })}</p>
          <p>{t("home.learner.lead")}</p>
          <section aria-labelledby="targets-title">
            <h2 id="targets-title">{t("home.learner.targets")}</h2>
            <ul className="grid list-plain">
              {targets.map((tg) => (
                <li key={tg.code} className="card">
                  <span className="badge">{tg.code}</span>
                  <p>{locale === "en" ? tg.titleEn : tg.titleVi}</p>
                  <p className="muted">{t("home.learner.targetDeadline", { date: formatDate(locale, tg.deadline) })}</p>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="certs-title">
            <h2 id="certs-title">{t("home.learner.certs")}</h2>
            {certificates.length === 0 ? (
              <p className="muted">{t("home.learner.noCerts")}</p>
            ) : (
              <ul>
                {certificates.map((c) => (
                  <li key={c.serial}>
                    {locale === "en" ? c.credentialEn : c.credentialVi} — {c.serial} ({formatDate(locale, c.issuedAt)})
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : (
        <p className="alert">{t("home.learner.noPerson")}</p>
      )}
    </>
  );
}
