import "~/components/mdx/mdx.css";
import "~/styles/courses.css";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { ReadingProgress, StatusBadge } from "~/components/courses/progress";
import { LessonBody } from "~/components/mdx";
import { getCoursePage } from "~/courses/catalogue.server";
import { detectLocale, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/http";

const ParamsSchema = z.object({ slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/) });

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, data?.course.title ?? "") }];
};

export async function loader(args: LoaderFunctionArgs) {
  const params = ParamsSchema.safeParse(args.params);
  if (!params.success) throw notFound();
  const user = await requireUser(args);
  const page = await getCoursePage({ personId: user.personId, slug: params.data.slug, lang: detectLocale(args.request.headers.get("Cookie")) });
  if (!page) throw notFound();
  return page;
}

export default function CoursePage() {
  const { course, overview, lessons, progress, status, resume, examOpen, hasPerson } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const base = `/courses/${course.slug}`;
  const left = progress.lessonsTotal - progress.lessonsRead;
  return (
    <>
      <nav aria-label={t("courses.breadcrumb")} className="course-breadcrumb">
        <Link to="/courses">{t("courses.catalogue.title")}</Link>
      </nav>
      <h1>{course.title}</h1>
      <p className="course-lead">{course.summary}</p>
      <p className="course-card__badges">
        {course.relevant ? <span className="badge course-badge--for-you">{t("courses.catalogue.forYou")}</span> : null}
        <span className="badge">{t(`courses.audience.${course.audience}` as MessageKey)}</span>
        {hasPerson ? <StatusBadge status={status} /> : null}
      </p>
      <p className="muted">
        {t("courses.meta.credential", { name: course.credential })} ·{" "}
        {course.validityMonths ? t("courses.meta.validity", { months: course.validityMonths }) : t("courses.meta.noExpiry")}
      </p>
      {course.prerequisites.length > 0 ? (
        <p>
          {t("courses.course.prerequisites")}{" "}
          {course.prerequisites.map((p, i) => (
            <span key={p.slug}>
              {i > 0 ? ", " : null}
              <Link to={`/courses/${p.slug}`}>{p.title}</Link>
            </span>
          ))}
        </p>
      ) : null}

      <section className="card course-progress-card" aria-labelledby="progress-title">
        <h2 id="progress-title">{t("courses.lesson.progressTitle")}</h2>
        {hasPerson ? (
          <ReadingProgress read={progress.lessonsRead} total={progress.lessonsTotal} />
        ) : (
          <p className="alert" role="note">
            {t("courses.noPerson")}
          </p>
        )}
        {resume ? (
          <p className="course-resume">
            <Link to={`${base}/${resume.slug}`} className="button" id="resume-link">
              {t(`courses.action.${resume.kind}` as MessageKey)}
            </Link>{" "}
            <span className="muted">{t("courses.course.resumeAt", { number: lessons.find((l) => l.slug === resume.slug)!.number, title: resume.title })}</span>
          </p>
        ) : null}
        {course.hasExam ? (
          examOpen ? (
            <div className="course-exam">
              <p>{t("courses.exam.open")}</p>
              <p>
                <Link to={`${base}/exam`} className="button">
                  {t("courses.exam.start")}
                </Link>
              </p>
            </div>
          ) : (
            <p className="muted">{t("courses.exam.locked", { total: progress.lessonsTotal, left })}</p>
          )
        ) : (
          <p className="muted">{t("courses.exam.none")}</p>
        )}
      </section>

      <section aria-labelledby="outline-title">
        <h2 id="outline-title">{t("courses.course.outline")}</h2>
        <ol className="course-outline list-plain">
          {lessons.map((l) => (
            <li key={l.slug} className={`course-outline__item${l.read ? " is-read" : ""}`}>
              <span className="course-outline__number" aria-hidden="true">
                {l.read ? "✓" : l.number}
              </span>
              <div>
                <Link to={`${base}/${l.slug}`} className="course-outline__link">
                  {t("courses.course.lessonTitle", { number: l.number, title: l.title })}
                </Link>
                <p className="muted course-outline__meta">
                  {t("courses.lesson.minutes", { minutes: l.minutes })}
                  {l.read ? <span className="badge course-status--completed">{t("courses.course.read")}</span> : null}
                  {!l.read && l.isLast ? <span className="badge">{t("courses.course.current")}</span> : null}
                  {l.fallback ? <span className="badge">{t("courses.course.onlyIn", { lang: t(`courses.lang.${locale === "vi" ? "en" : "vi"}` as MessageKey) })}</span> : null}
                </p>
                <p className="course-outline__summary">{l.summary}</p>
              </div>
            </li>
          ))}
        </ol>
      </section>

      {overview ? (
        <section aria-labelledby="about-title" className="course-about">
          <h2 id="about-title">{t("courses.course.about")}</h2>
          <div lang={overview.fallbackFrom ?? locale}>
            <LessonBody html={overview.html} />
          </div>
        </section>
      ) : null}
    </>
  );
}
