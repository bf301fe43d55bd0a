import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { examOverview } from "~/assessments/attempts.server";
import { decideStart } from "~/assessments/exam-start.server";
import { formatDateTime, formatPercent } from "~/assessments/format";
import { CourseSlugSchema } from "~/assessments/schemas";
import { requireUser } from "~/auth/session.server";
import { detectLocale, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/http";
import "~/styles/exams.css";

const Params = z.object({ slug: CourseSlugSchema });

export const meta: MetaFunction<typeof loader> = ({ data: d, matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: d?.overview ? pageTitle(locale, t("exams.start.title", { course: d.overview.course.title[locale] })) : t("app.name") }];
};

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const params = Params.safeParse(args.params);
  if (!params.success) throw notFound();
  if (!user.personId) return { overview: null, noPerson: true };
  const overview = await examOverview(user.personId, params.data.slug);
  if (!overview) throw notFound();
  return { overview, noPerson: false };
}

/** Starting: decided by decideStart, which also answers this URL's redirect in front of Remix (ADR 0016). */
export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const outcome = await decideStart(user, args.params.slug);
  const t = makeT(detectLocale(args.request.headers.get("Cookie")));
  if (outcome.kind === "not_found") throw notFound();
  if (outcome.kind === "no_person") return data({ error: t("exams.start.noPerson") }, { status: 403 });
  if (outcome.kind === "started") throw redirect(outcome.location);
  return data({ error: t(`exams.error.${outcome.reason}` as MessageKey) }, { status: 409 });
}

export default function ExamStart() {
  const { overview, noPerson } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  if (noPerson || !overview) {
    return (
      <div role="alert" className="alert error">
        {t("exams.start.noPerson")}
      </div>
    );
  }
  const o = overview;
  const r = o.rules;
  const d = o.decision;
  const canStart = d.ok && (o.lessons.allRead || o.inProgress !== null);
  return (
    <div className="exam-start">
      <h1>{t("exams.start.title", { course: o.course.title[locale] })}</h1>
      {actionData?.error ? (
        <div role="alert" className="alert error">
          {actionData.error}
        </div>
      ) : null}

      {o.passed ? (
        <div className="alert success" role="status">
          <p>{t("exams.start.passed", { percent: formatPercent(locale, o.passed.percent ?? 0) })}</p>
          <p className="exam-actions">
            {o.passed.certificateSerial ? (
              <Link to={`/certificates/${o.passed.certificateSerial}`} className="button">
                {t("exams.start.viewCertificate", { serial: o.passed.certificateSerial })}
              </Link>
            ) : null}
            <Link to={`/exam/${o.passed.attemptId}/result`}>{t("exams.start.viewResult")}</Link>
          </p>
        </div>
      ) : null}

      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title">{t("exams.rules.title")}</h2>
        <dl className="exam-rules">
          <div>
            <dt>{t("exams.rules.questions")}</dt>
            <dd>{t("exams.rules.questionsValue", { n: o.questionCount })}</dd>
          </div>
          <div>
            <dt>{t("exams.rules.time")}</dt>
            <dd>{t("exams.rules.minutes", { n: r.timeLimitMinutes })}</dd>
          </div>
          <div>
            <dt>{t("exams.rules.pass")}</dt>
            <dd>{t("exams.rules.passValue", { percent: r.passPercent })}</dd>
          </div>
          <div>
            <dt>{t("exams.rules.attempts")}</dt>
            <dd>{r.maxAttempts === null ? t("exams.rules.unlimited") : t("exams.rules.attemptsValue", { n: r.maxAttempts })}</dd>
          </div>
          <div>
            <dt>{t("exams.rules.cooldown")}</dt>
            <dd>{r.cooldownMinutes > 0 ? t("exams.rules.minutes", { n: r.cooldownMinutes }) : t("exams.rules.noCooldown")}</dd>
          </div>
          <div>
            <dt>{t("exams.rules.review")}</dt>
            <dd>{t(`exams.review.${r.review}` as MessageKey)}</dd>
          </div>
        </dl>
        <h3>{t("exams.start.howItWorks")}</h3>
        <ul>
          <li>{t("exams.start.note.draw")}</li>
          <li>{t("exams.start.note.autosave")}</li>
          <li>{t("exams.start.note.resume")}</li>
          <li>{t("exams.start.note.deadline")}</li>
          <li>{t("exams.rules.partialCredit")}</li>
        </ul>
      </section>

      <section className="card" aria-labelledby="status-title">
        <h2 id="status-title" className="visually-hidden">
          {t("exams.col.status")}
        </h2>
        <p>
          {t("exams.start.attempts", { used: o.attemptsUsed })}{" "}
          {o.attemptsLeft !== null ? t("exams.start.attemptsLeft", { n: o.attemptsLeft }) : null}
        </p>
        {o.last ? (
          <p>
            {t("exams.start.last", {
              n: o.last.attemptNo,
              percent: formatPercent(locale, o.last.percent ?? 0),
              outcome: t(o.last.passed ? "exams.outcome.passed" : "exams.outcome.failed"),
            })}{" "}
            <Link to={`/exam/${o.last.id}/result`}>{t("exams.start.viewResult")}</Link>
          </p>
        ) : null}
        {o.inProgress ? <p>{t("exams.start.inProgress", { time: formatDateTime(locale, o.inProgress.deadlineAt) })}</p> : null}
        {!o.lessons.allRead && !o.inProgress && !o.passed ? (
          <div className="alert error" role="status">
            <p>{t("exams.start.lessonsUnread", { read: o.lessons.lessonsRead, total: o.lessons.lessonsTotal })}</p>
            <p>
              <Link to={`/courses/${o.course.slug}`}>{t("exams.start.toCourse")}</Link>
            </p>
          </div>
        ) : null}
        {!d.ok && d.reason === "cooldown" && d.retryAt ? (
          <p className="alert error" role="status">
            {t("exams.start.cooldown", { time: formatDateTime(locale, d.retryAt) })}
          </p>
        ) : null}
        {!d.ok && d.reason === "max_attempts" ? (
          <p className="alert error" role="status">
            {t("exams.start.maxAttempts", { n: r.maxAttempts ?? 0 })}
          </p>
        ) : null}
        {canStart ? (
          <Form method="post">
            <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
              {o.inProgress ? t("exams.start.resume") : t("exams.start.begin")}
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}
