import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { attemptResult } from "~/assessments/attempts.server";
import { formatDateTime, formatPercent } from "~/assessments/format";
import type { ReviewQuestion } from "~/assessments/review";
import { AttemptIdSchema } from "~/assessments/schemas";
import { requireUser } from "~/auth/session.server";
import { detectLocale, formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/http";
import "~/styles/exams.css";

export const meta: MetaFunction<typeof loader> = ({ data: d, matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  const course = d ? (locale === "en" ? d.view.course.titleEn : d.view.course.titleVi) : "";
  return [{ title: pageTitle(locale, t("exams.result.title", { course })) }, { name: "robots", content: "noindex" }];
};

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const id = AttemptIdSchema.safeParse(args.params.attemptId);
  if (!id.success || !user.personId) throw notFound();
  const locale = detectLocale(args.request.headers.get("Cookie"));
  const result = await attemptResult(user.personId, id.data, locale);
  if (result.kind === "not_found") throw notFound();
  if (result.kind === "open") throw redirect(`/exam/${id.data}`);
  const late = new URL(args.request.url).searchParams.get("late") === "1";
  return data({ view: result.view, late }, { headers: { "Cache-Control": "no-store" } });
}

function markOf(q: ReviewQuestion): MessageKey {
  if (q.correct) return "exams.result.mark.right";
  return q.points > 0 ? "exams.result.mark.partial" : "exams.result.mark.wrong";
}

export default function ExamResult() {
  const { view, late } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const r = view.review;
  const course = locale === "en" ? view.course.titleEn : view.course.titleVi;
  const next = view.next;
  return (
    <div className="exam-result">
      <h1>{t("exams.result.title", { course })}</h1>
      <p className="muted">
        {t("exams.result.attemptNo", { n: view.attemptNo })}
        {view.submittedAt ? ` · ${t("exams.result.submittedAt", { time: formatDateTime(locale, view.submittedAt) })}` : null}
      </p>
      {late ? (
        <div role="alert" className="alert error">
          {t("exams.error.deadline_passed")}
        </div>
      ) : null}

      <section className={`card exam-score ${r.passed ? "exam-score--pass" : "exam-score--fail"}`} aria-labelledby="score-title">
        <h2 id="score-title">{t("exams.result.score")}</h2>
        <p className="exam-score__big">
          <span data-testid="score-percent">{formatPercent(locale, r.percent)}%</span>{" "}
          <span className={`badge ${r.passed ? "exam-badge--pass" : "exam-badge--fail"}`}>
            {t(r.passed ? "exams.outcome.passed" : "exams.outcome.failed")}
          </span>
        </p>
        <p>
          {t("exams.result.points", { score: formatNumber(locale, r.scorePoints), max: formatNumber(locale, r.maxPoints) })}
        </p>
        {view.submitReason ? <p className="muted">{t(`exams.result.reason.${view.submitReason}` as MessageKey)}</p> : null}
      </section>

      {r.passed ? (
        <div className="alert success" role="status">
          <p>{t("exams.result.passed")}</p>
          {view.certificateSerial ? (
            <>
              <p>{t("exams.result.certificate", { serial: view.certificateSerial })}</p>
              <p>
                <Link to={`/certificates#${view.certificateSerial}`} className="button">
                  {t("exams.result.certificateLink", { serial: view.certificateSerial })}
                </Link>
              </p>
            </>
          ) : null}
        </div>
      ) : (
        <div className="alert error" role="status">
          <p>{t("exams.result.failed")}</p>
          {view.attemptsLeft !== null ? (
            <p>{view.attemptsLeft > 0 ? t("exams.result.attemptsLeft", { n: view.attemptsLeft }) : t("exams.result.noAttemptsLeft")}</p>
          ) : null}
          {!next.ok && next.reason === "cooldown" && next.retryAt ? (
            <p data-testid="retry-at">{t("exams.result.retryAt", { time: formatDateTime(locale, next.retryAt) })}</p>
          ) : null}
          {next.ok ? (
            <p>
              {t("exams.result.retryNow")} <Link to={`/courses/${view.course.slug}/exam`}>{t("exams.result.retry")}</Link>
            </p>
          ) : null}
        </div>
      )}

      <section aria-labelledby="review-title">
        <h2 id="review-title">{t("exams.result.reviewTitle")}</h2>
        {view.reviewWithheld ? <p className="muted">{t("exams.result.reviewWithheld")}</p> : null}
        {!view.reviewWithheld && r.policy === "score_only" ? <p className="muted">{t("exams.result.reviewScoreOnly")}</p> : null}
        {r.questions ? (
          <ol className="list-plain exam-review">
            {r.questions.map((q) => (
              <li key={q.id} className="card exam-card">
                <h3 className="exam-review__head">
                  {t("exams.take.question", { n: q.number, total: r.questions!.length })}{" "}
                  <span className={`badge ${q.correct ? "exam-badge--pass" : "exam-badge--fail"}`}>{t(markOf(q))}</span>{" "}
                  <span className="muted">{t("exams.result.questionPoints", { points: formatNumber(locale, q.points), max: formatNumber(locale, q.max) })}</span>
                </h3>
                {q.stem ? <p className="exam-stem">{q.stem}</p> : null}
                <p className="exam-question__text">{q.text}</p>
                <ul className="list-plain exam-review__options">
                  {q.options.map((o) => (
                    <li
                      key={o.id}
                      className={`exam-review__option${o.correct ? " exam-review__option--key" : ""}${o.selected ? " exam-review__option--chosen" : ""}`}
                    >
                      <span>{o.text}</span>
                      {o.selected ? <span className="badge">{t("exams.result.yourAnswer")}</span> : null}
                      {o.correct ? <span className="badge exam-badge--pass">{t("exams.result.rightAnswer")}</span> : null}
                    </li>
                  ))}
                </ul>
                {q.selected.length === 0 ? <p className="muted">{t("exams.result.noAnswer")}</p> : null}
                {q.explanation ? (
                  <p className="exam-review__explanation">
                    <strong>{t("exams.result.explanation")}: </strong>
                    {q.explanation}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        ) : null}
      </section>
      <p>
        <Link to={`/courses/${view.course.slug}/exam`}>{t("exams.result.back")}</Link>
      </p>
    </div>
  );
}
