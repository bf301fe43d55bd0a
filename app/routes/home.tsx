import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { learnerHome } from "~/dashboards/home.server";
import { formatDate } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { Link } from "@remix-run/react";
import type { NextStep } from "~/dashboards/home.server";
import { ReadingProgress } from "~/components/courses/progress";

function NextStepView({ step, courseId }: { step: NextStep; courseId: string | null }) {
  const t = useT();
  const locale = useLocale();
  switch (step.kind) {
    case "certified":
      return (
        <p>
          <span className="badge">{t("home.next.certified")}</span> <Link to="/certificates">{step.serial}</Link>
          {step.expiresAt ? <span className="muted"> · {t("home.next.expires", { date: formatDate(locale, step.expiresAt) })}</span> : null}
          {step.renew && courseId ? (
            <>
              {" "}
              <Link to={`/courses/${courseId}`} className="button secondary">
                {t("home.next.renew")}
              </Link>
            </>
          ) : null}
        </p>
      );
    case "exam_ready":
      return (
        <Link to={`/courses/${courseId}/exam`} className="button">
          {t("home.next.exam")}
        </Link>
      );
    case "continue":
      return (
        <>
          <ReadingProgress read={step.lessonsRead} total={step.lessonsTotal} />
          <Link to={`/courses/${courseId}`} className="button">
            {t("home.next.continue")}
          </Link>
        </>
      );
    case "start":
      return (
        <Link to={`/courses/${courseId}`} className="button secondary">
          {t("home.next.start")}
        </Link>
      );
    case "no_course":
      return <p className="muted">{t("home.next.noCourse")}</p>;
  }
}

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
                  <NextStepView step={tg.next} courseId={tg.courseId} />
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
