import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { formatDateTime, formatPercent } from "~/assessments/format";
import { courseItemAnalysis } from "~/assessments/reports.server";
import { CourseSlugSchema } from "~/assessments/schemas";
import { requireRole } from "~/auth/session.server";
import { makeT, type Locale, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { DataTable } from "~/components/ui";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/http";
import "~/styles/exams.css";

const Params = z.object({ slug: CourseSlugSchema });

export const meta: MetaFunction<typeof loader> = ({ data: d, matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: d ? pageTitle(locale, t("exams.items.courseTitle", { course: d.course.title[locale] })) : t("app.name") }];
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
      <DataTable
        className="exam-items compact"
        rows={items}
        rowKey={(item) => item.id}
        columns={[
          {
            header: t("exams.items.col.question"),
            rowHeader: true,
            stack: true,
            cell: (item) => (
              <>
                <strong>{item.id}</strong> <span className="muted">· {item.topicTitle[locale]}</span>
                <br />
                {item.text[locale]}
              </>
            ),
          },
          { header: t("exams.items.col.n"), num: true, cell: (item) => item.n },
          { header: t("exams.items.col.facility"), num: true, cell: (item) => ratio(locale, item.facility) },
          { header: t("exams.items.col.discrimination"), num: true, cell: (item) => ratio(locale, item.discrimination) },
          {
            header: t("exams.items.col.options"),
            stack: true,
            cell: (item) => (
              <>
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
              </>
            ),
          },
          {
            header: t("exams.items.col.flags"),
            cell: (item) =>
              item.flags.length === 0
                ? "—"
                : item.flags.map((f) => (
                    <span key={f} className="badge exam-badge--fail">
                      {t(`exams.items.flag.${f}` as MessageKey)}
                    </span>
                  )),
          },
        ]}
      />

      <h2>{t("exams.items.attemptsTitle")}</h2>
      {list.rows.length === 0 ? (
        <p>{t("exams.items.empty")}</p>
      ) : (
        <>
          <p className="muted">{t("exams.hr.count", { shown: list.rows.length, total: list.total })}</p>
          <DataTable
            rows={list.rows}
            rowKey={(r) => r.id}
            columns={[
              { header: t("exams.col.person"), cell: (r) => r.personName },
              { header: t("exams.col.unit"), cell: (r) => (locale === "en" && r.unitNameEn ? r.unitNameEn : r.unitNameVi) },
              { header: t("exams.col.attempt"), num: true, cell: (r) => r.attemptNo },
              { header: t("exams.col.status"), cell: (r) => t(`exams.status.${r.status}` as MessageKey) },
              { header: t("exams.col.score"), num: true, cell: (r) => (r.scorePercent === null ? "—" : `${formatPercent(locale, r.scorePercent)}%`) },
              { header: t("exams.col.submittedAt"), cell: (r) => (r.submittedAt ? formatDateTime(locale, r.submittedAt) : "—") },
            ]}
          />
        </>
      )}
    </>
  );
}
