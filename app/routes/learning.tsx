import "~/styles/courses.css";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { ReadingProgress, StatusBadge } from "~/components/courses/progress";
import { getMyLearning, type LearningCourse } from "~/courses/catalogue.server";
import { detectLocale, formatDate, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, t("courses.learning.title")) }];
};

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  return getMyLearning({ personId: user.personId, lang: detectLocale(args.request.headers.get("Cookie")) });
}

function CourseRow({ c }: { c: LearningCourse }) {
  const t = useT();
  const locale = useLocale();
  return (
    <li className="card learning-item">
      <h3 className="learning-item__title">
        <Link to={`/courses/${c.slug}`}>{c.title}</Link>
      </h3>
      <p className="course-card__badges">
        <StatusBadge status={c.status} />
        {c.lastVisitedAt ? <span className="muted">{t("courses.learning.lastVisited", { date: formatDate(locale, c.lastVisitedAt) })}</span> : null}
      </p>
      <ReadingProgress read={c.progress.lessonsRead} total={c.progress.lessonsTotal} />
      {c.resume ? (
        <p>
          <Link to={`/courses/${c.slug}/${c.resume.slug}`} className="button secondary">
            {t(`courses.action.${c.resume.kind}` as MessageKey)}
          </Link>{" "}
          <span className="muted">{c.resume.title}</span>
        </p>
      ) : null}
      {c.status === "lessons_done" ? (
        <p>
          <Link to={`/courses/${c.slug}/exam`}>{t("courses.exam.start")}</Link>
        </p>
      ) : null}
    </li>
  );
}

export default function Learning() {
  const { hasPerson, inProgress, completed } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("courses.learning.title")}</h1>
      <p className="muted">{t("courses.learning.lead")}</p>
      {!hasPerson ? (
        <p className="alert" role="note">
          {t("courses.noPerson")}
        </p>
      ) : (
        <>
          <section aria-labelledby="in-progress-title">
            <h2 id="in-progress-title">{t("courses.learning.inProgress")}</h2>
            {inProgress.length === 0 ? (
              <p>
                {t("courses.learning.noneInProgress")} <Link to="/courses">{t("courses.learning.browse")}</Link>
              </p>
            ) : (
              <ul className="list-plain learning-list">
                {inProgress.map((c) => (
                  <CourseRow key={c.slug} c={c} />
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="completed-title">
            <h2 id="completed-title">{t("courses.learning.completed")}</h2>
            {completed.length === 0 ? (
              <p className="muted">{t("courses.learning.noneCompleted")}</p>
            ) : (
              <ul className="list-plain learning-list">
                {completed.map((c) => (
                  <CourseRow key={c.slug} c={c} />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
