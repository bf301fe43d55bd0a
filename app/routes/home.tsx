import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { learnerHome } from "~/dashboards/home.server";
import { formatDate } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { Link } from "@remix-run/react";
import type { NextStep } from "~/dashboards/home.server";
import { ReadingProgress } from "~/components/courses/progress";
import { Badge, Card, EmptyState, LinkButton, PageHeader } from "~/components/ui";

function NextStepView({ step, courseId }: { step: NextStep; courseId: string | null }) {
  const t = useT();
  const locale = useLocale();
  switch (step.kind) {
    case "certified":
      return (
        <p>
          <Badge status="valid">{t("home.next.certified")}</Badge> <Link to="/certificates">{step.serial}</Link>
          {step.expiresAt ? <span className="muted"> · {t("home.next.expires", { date: formatDate(locale, step.expiresAt) })}</span> : null}
          {step.renew && courseId ? (
            <>
              {" "}
              <LinkButton to={`/courses/${courseId}`} variant="secondary">
                {t("home.next.renew")}
              </LinkButton>
            </>
          ) : null}
        </p>
      );
    case "exam_ready":
      return (
        <LinkButton to={`/courses/${courseId}/exam`}>{t("home.next.exam")}</LinkButton>
      );
    case "continue":
      return (
        <>
          <ReadingProgress read={step.lessonsRead} total={step.lessonsTotal} />
          <LinkButton to={`/courses/${courseId}`}>{t("home.next.continue")}</LinkButton>
        </>
      );
    case "start":
      return (
        <LinkButton to={`/courses/${courseId}`} variant="secondary">
          {t("home.next.start")}
        </LinkButton>
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
      <PageHeader title={t("home.greeting", { name: displayName })} lead={person ? t("home.learner.unit", { unit: locale === "en" && person.unitNameEn ? person.unitNameEn : person.unitNameVi }) : undefined} />
      {person ? (
        <>
          <p>{t("home.learner.lead")}</p>
          <section aria-labelledby="targets-title">
            <h2 id="targets-title">{t("home.learner.targets")}</h2>
            <ul className="grid list-plain">
              {targets.map((tg) => (
                <Card as="li" key={tg.code} className="home-target">
                  <Badge>{tg.code}</Badge>
                  <p>{locale === "en" ? tg.titleEn : tg.titleVi}</p>
                  <p className="muted">{t("home.learner.targetDeadline", { date: formatDate(locale, tg.deadline) })}</p>
                  <NextStepView step={tg.next} courseId={tg.courseId} />
                </Card>
              ))}
            </ul>
          </section>
          <section aria-labelledby="certs-title" className="page-section">
            <h2 id="certs-title">{t("home.learner.certs")}</h2>
            {certificates.length === 0 ? (
              <EmptyState title={t("home.learner.noCerts")} action={<LinkButton to="/courses" variant="secondary">{t("certificates.mine.toCourses")}</LinkButton>} />
            ) : (
              <ul className="list-plain home-certs">
                {certificates.map((c) => (
                  <li key={c.serial}>
                    <Link to={`/certificates#${c.serial}`}>{locale === "en" ? c.credentialEn : c.credentialVi}</Link> <code className="small">{c.serial}</code>{" "}
                    <span className="muted small">{formatDate(locale, c.issuedAt)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : (
        <EmptyState title={t("home.learner.noPerson")} />
      )}
    </>
  );
}
