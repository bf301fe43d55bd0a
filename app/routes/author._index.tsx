import "~/styles/courses.css";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { getAuthorPreview } from "~/courses/preview.server";
import { detectLocale, formatNumber, makeT, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { ProblemList } from "~/components/courses/problems";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, t("courses.author.title")) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireRole(args, "author");
  return getAuthorPreview({ lang: detectLocale(args.request.headers.get("Cookie")) });
}

export default function AuthorPreview() {
  const { checked, checkedAt, courses, otherWarnings, otherErrors } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h1>{t("courses.author.title")}</h1>
      <p className="muted">{t("courses.author.lead")}</p>
      <p>
        <Link to="/author/items" className="button secondary">
          {t("nav.author.items")}
        </Link>
      </p>
      <p className="muted">
        {checked ? t("courses.author.checkedAt", { time: new Date(checkedAt).toLocaleString(locale === "vi" ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh" }) }) : t("courses.author.notChecked")}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("courses.author.col.course")}</th>
            <th scope="col">{t("courses.author.col.version")}</th>
            <th scope="col" className="num">{t("courses.author.col.lessons")}</th>
            <th scope="col" className="num">{t("courses.author.col.words")}</th>
            <th scope="col" className="num">{t("courses.author.col.warnings")}</th>
            <th scope="col" className="num">{t("courses.author.col.errors")}</th>
          </tr>
        </thead>
        <tbody>
          {courses.map((c) => (
            <tr key={c.slug}>
              <td data-label={t("courses.author.col.course")}>
                <Link to={`/author/${c.slug}`}>{c.title}</Link>
              </td>
              <td data-label={t("courses.author.col.version")}>
                <code>{c.version}</code>
              </td>
              <td data-label={t("courses.author.col.lessons")} className="num">{c.lessons.length}</td>
              <td data-label={t("courses.author.col.words")} className="num">
                {formatNumber(locale, c.words.vi)} / {formatNumber(locale, c.words.en)}
              </td>
              <td data-label={t("courses.author.col.warnings")} className="num">{c.warnings.length}</td>
              <td data-label={t("courses.author.col.errors")} className="num">{c.errors.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {otherErrors.length + otherWarnings.length > 0 ? (
        <section aria-labelledby="other-title">
          <h2 id="other-title">{t("courses.author.other")}</h2>
          <ProblemList kind="error" items={otherErrors} />
          <ProblemList kind="warning" items={otherWarnings} />
        </section>
      ) : null}
    </>
  );
}
