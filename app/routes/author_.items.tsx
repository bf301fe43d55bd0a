import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { authorCourseList } from "~/assessments/reports.server";
import { requireRole } from "~/auth/session.server";
import { formatNumber } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import "~/styles/exams.css";

export async function loader(args: LoaderFunctionArgs) {
  const { grants } = await requireRole(args, "author");
  return { courses: await authorCourseList(grants) };
}

export default function ItemAnalysisIndex() {
  const { courses } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h1>{t("exams.items.title")}</h1>
      <p className="muted">{t("exams.items.lead")}</p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("exams.items.col.course")}</th>
            <th scope="col" className="num">{t("exams.items.col.attempts")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("exams.items.open")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {courses.map((c) => (
            <tr key={c.slug}>
              <td data-label={t("exams.items.col.course")}>{c.title[locale]}</td>
              <td data-label={t("exams.items.col.attempts")} className="num">{formatNumber(locale, c.closedAttempts)}</td>
              <td data-label={t("exams.items.open")}>
                <Link to={`/author/items/${c.slug}`}>{t("exams.items.open")}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
