import "~/styles/courses.css";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/session.server";
import { getAuthorCoursePreview } from "~/courses/preview.server";
import { detectLocale, formatNumber, makeT, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { ProblemList } from "~/components/courses/problems";
import { notFound } from "~/utils/http";

const ParamsSchema = z.object({ slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/) });

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, data?.course.title ?? "", t("courses.author.title")) }];
};

export async function loader(args: LoaderFunctionArgs) {
  const params = ParamsSchema.safeParse(args.params);
  if (!params.success) throw notFound();
  await requireRole(args, "author");
  const preview = await getAuthorCoursePreview({ slug: params.data.slug, lang: detectLocale(args.request.headers.get("Cookie")) });
  if (!preview) throw notFound();
  return preview;
}

export default function AuthorCoursePreview() {
  const { course, checked } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const base = `/courses/${course.slug}`;
  return (
    <>
      <nav aria-label={t("courses.breadcrumb")} className="course-breadcrumb">
        <Link to="/author">{t("courses.author.back")}</Link>
      </nav>
      <h1>{course.title}</h1>
      <p className="muted">
        {t("courses.author.col.version")}: <code>{course.version}</code> · {t("courses.author.col.words")}: {formatNumber(locale, course.words.vi)} /{" "}
        {formatNumber(locale, course.words.en)}
      </p>
      {course.sourceVersion && course.sourceVersion !== course.version ? <p className="alert">{t("courses.author.sourceChanged", { version: course.sourceVersion })}</p> : null}
      {!checked ? <p className="muted">{t("courses.author.notChecked")}</p> : null}
      <ProblemList kind="error" items={course.errors} />
      <ProblemList kind="warning" items={course.warnings} />
      {checked && course.errors.length + course.warnings.length === 0 ? <p className="alert success">{t("courses.author.noWarnings")}</p> : null}
      <h2>{t("courses.author.lessons")}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col" className="num">{t("courses.author.col.number")}</th>
            <th scope="col">{t("courses.author.col.title")}</th>
            <th scope="col" className="num">{t("courses.author.col.minutes")}</th>
            <th scope="col" className="num">{t("courses.author.col.wordsVi")}</th>
            <th scope="col" className="num">{t("courses.author.col.wordsEn")}</th>
            <th scope="col">{t("courses.author.col.preview")}</th>
          </tr>
        </thead>
        <tbody>
          {course.lessons.map((l) => (
            <tr key={l.slug}>
              <td data-label={t("courses.author.col.number")} className="num">{l.number}</td>
              <td data-label={t("courses.author.col.title")}>{l.title}</td>
              <td data-label={t("courses.author.col.minutes")} className="num">{l.minutes}</td>
              <td data-label={t("courses.author.col.wordsVi")} className="num">{l.words.vi !== undefined ? formatNumber(locale, l.words.vi) : t("courses.author.missing")}</td>
              <td data-label={t("courses.author.col.wordsEn")} className="num">{l.words.en !== undefined ? formatNumber(locale, l.words.en) : t("courses.author.missing")}</td>
              <td data-label={t("courses.author.col.preview")}>
                <Link to={`${base}/${l.slug}?lang=vi`} aria-label={`${l.title} (vi)`}>vi</Link> · <Link to={`${base}/${l.slug}?lang=en`} aria-label={`${l.title} (en)`}>en</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
