import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { formatDateTime, formatPercent } from "~/assessments/format";
import { courseItemAnalysis } from "~/assessments/reports.server";
import { CourseSlugSchema } from "~/assessments/schemas";
import { requireRole } from "~/auth/session.server";
import { makeT, type Locale, type MessageKey } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/http";
import "~/styles/exams.css";

const Params = z.object({ slug: CourseSlugSchema });

export const meta: MetaFunction<typeof loader> = ({ data: d, matches }) => {
  const locale = (matches[0]?.data as { locale?: Locale } | undefined)?.locale ?? "vi";
  const t = makeT(locale);
  return [{ title: d ? `${t("exams.items.courseTitle", { course: d.course.title[locale] })} · ${t("app.name")}` : t("app.name") }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { grants } = await requireRole(args, "author");
  const params = Params.safeParse(args.params);
  if (!params.success) throw notFound();
  const analysis = await courseItemAnalysis(grants, params.data.slug);
  if (!analysis) throw notFound();
  return analysis;
}

const ratio = (locale: Locale, v: number | null) =>
  v === null ? "—" : new Intl.NumberFormat(locale === "vi" ? "vi-VN" : "en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);

export default function CourseItemAnalysis() {
  const { course, attempts, passes, minAttempts, items, list } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <p>
        <Link to="/author/items">← {t("exams.items.back")}</Link>
      </p>
      <h1>{t("exams.items.courseTitle", { course: course.title[locale] })}</h1>
      <p>{t("exams.items.summary", { attempts, passes })}</p>
      <ul className="muted">
        <li>{t("exams.items.legend.facility")}</li>
        <li>{t("exams.items.legend.discrimination")}</li>
        <li>{t("exams.items.minAttempts", { n: minAttempts })}</li>
      </ul>
      <table className="table exam-items">
        <thead>
          <tr>
            <th scope="col">{t("exams.items.col.question")}</th>
            <th scope="col" className="num">{t("exams.items.col.n")}</th>
            <th scope="col" className="num">{t("exams.items.col.facility")}</th>
            <th scope="col" className="num">{t("exams.items.col.discrimination")}</th>
            <th scope="col">{t("exams.items.col.options")}</th>
            <th scope="col">{t("exams.items.col.flags")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td data-label={t("exams.items.col.question")}>
                <strong>{item.id}</strong> <span className="muted">· {item.topicTitle[locale]}</span>
                <br />
                {item.text[locale]}
              </td>
              <td data-label={t("exams.items.col.n")} className="num">{item.n}</td>
              <td data-label={t("exams.items.col.facility")} className="num">{ratio(locale, item.facility)}</td>
              <td data-label={t("exams.items.col.discrimination")} className="num">{ratio(locale, item.discrimination)}</td>
              <td data-label={t("exams.items.col.options")}>
                <ul className="list-plain exam-dist">
                  {item.options.map((o) => (
                    <li key={o.id}>
                      <span className="exam-dist__label">
                        {o.id}. {o.text[locale]} {o.correct ? <strong>{t("exams.items.keyMark")}</strong> : null}
                      </span>
                      <span className="exam-dist__bar" aria-hidden="true">
                        <span className={o.correct ? "exam-dist__fill exam-dist__fill--key" : "exam-dist__fill"} style={{ width: `${Math.round(o.share * 100)}%` }} />
                      </span>
                      <span className="exam-dist__value">
                        {o.count} ({formatPercent(locale, o.share * 100)}%)
                      </span>
                    </li>
                  ))}
                </ul>
                {item.unanswered > 0 ? <p className="muted">{t("exams.items.unanswered", { n: item.unanswered })}</p> : null}
              </td>
              <td data-label={t("exams.items.col.flags")}>
                {item.flags.length === 0
                  ? "—"
                  : item.flags.map((f) => (
                      <span key={f} className="badge exam-badge--fail">
                        {t(`exams.items.flag.${f}` as MessageKey)}
                      </span>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t("exams.items.attemptsTitle")}</h2>
      {list.rows.length === 0 ? (
        <p>{t("exams.items.empty")}</p>
      ) : (
        <>
          <p className="muted">{t("exams.hr.count", { shown: list.rows.length, total: list.total })}</p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("exams.col.person")}</th>
                <th scope="col">{t("exams.col.unit")}</th>
                <th scope="col" className="num">{t("exams.col.attempt")}</th>
                <th scope="col">{t("exams.col.status")}</th>
                <th scope="col" className="num">{t("exams.col.score")}</th>
                <th scope="col">{t("exams.col.submittedAt")}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.id}>
                  <td data-label={t("exams.col.person")}>{r.personName}</td>
                  <td data-label={t("exams.col.unit")}>{locale === "en" && r.unitNameEn ? r.unitNameEn : r.unitNameVi}</td>
                  <td data-label={t("exams.col.attempt")} className="num">{r.attemptNo}</td>
                  <td data-label={t("exams.col.status")}>{t(`exams.status.${r.status}` as MessageKey)}</td>
                  <td data-label={t("exams.col.score")} className="num">
                    {r.scorePercent === null ? "—" : `${formatPercent(locale, r.scorePercent)}%`}
                  </td>
                  <td data-label={t("exams.col.submittedAt")}>{r.submittedAt ? formatDateTime(locale, r.submittedAt) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
