import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { formatDateTime, formatPercent } from "~/assessments/format";
import { hrAttemptList } from "~/assessments/reports.server";
import { CourseSlugSchema } from "~/assessments/schemas";
import { requireRole } from "~/auth/session.server";
import type { MessageKey } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { getUnitByCode } from "~/org/units.server";
import { notFound } from "~/utils/http";
import "~/styles/exams.css";

const Query = z.object({
  unit: z.string().trim().min(1).max(40).optional(),
  course: z.union([CourseSlugSchema, z.literal("")]).optional(),
});

export async function loader(args: LoaderFunctionArgs) {
  const url = new URL(args.request.url);
  const query = Query.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) throw notFound();
  if (!query.data.unit) {
    const { grants } = await requireRole(args, "hr");
    throw redirect(`/hr/attempts?unit=${encodeURIComponent(grants[0]!.unitCode)}`);
  }
  const unit = await getUnitByCode(query.data.unit);
  if (!unit) throw notFound();
  await requireRole(args, "hr", unit.id);
  const list = await hrAttemptList(unit, { courseId: query.data.course || undefined });
  return {
    unit: { code: unit.code, nameVi: unit.nameVi, nameEn: unit.nameEn },
    course: query.data.course ?? "",
    ...list,
  };
}

export default function HrAttempts() {
  const { unit, course, rows, total, courses } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const unitName = locale === "en" && unit.nameEn ? unit.nameEn : unit.nameVi;
  const courseTitle = new Map(courses.map((c) => [c.slug, c.title[locale]]));
  return (
    <>
      <h1>{t("exams.hr.title")}</h1>
      <p className="muted">{t("exams.hr.lead", { unit: unitName })}</p>
      <Form method="get" className="form exam-filter">
        <div className="field">
          <label htmlFor="unit">{t("exams.hr.unit")}</label>
          <input id="unit" name="unit" defaultValue={unit.code} autoCapitalize="characters" />
        </div>
        <div className="field">
          <label htmlFor="course">{t("exams.hr.course")}</label>
          <select id="course" name="course" defaultValue={course}>
            <option value="">{t("exams.hr.allCourses")}</option>
            {courses.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.title[locale]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button secondary">
          {t("exams.hr.show")}
        </button>
      </Form>
      {rows.length === 0 ? (
        <p>{t("exams.hr.empty")}</p>
      ) : (
        <>
          <p className="muted">{t("exams.hr.count", { shown: rows.length, total })}</p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("exams.col.person")}</th>
                <th scope="col">{t("exams.col.unit")}</th>
                <th scope="col">{t("exams.col.course")}</th>
                <th scope="col" className="num">{t("exams.col.attempt")}</th>
                <th scope="col">{t("exams.col.status")}</th>
                <th scope="col" className="num">{t("exams.col.score")}</th>
                <th scope="col">{t("exams.col.result")}</th>
                <th scope="col">{t("exams.col.submittedAt")}</th>
                <th scope="col">{t("exams.col.certificate")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td data-label={t("exams.col.person")}>
                    {r.personName} <span className="muted">({r.staffCode})</span>
                  </td>
                  <td data-label={t("exams.col.unit")}>{locale === "en" && r.unitNameEn ? r.unitNameEn : r.unitNameVi}</td>
                  <td data-label={t("exams.col.course")}>{courseTitle.get(r.courseId) ?? r.courseId}</td>
                  <td data-label={t("exams.col.attempt")} className="num">{r.attemptNo}</td>
                  <td data-label={t("exams.col.status")}>{t(`exams.status.${r.status}` as MessageKey)}</td>
                  <td data-label={t("exams.col.score")} className="num">
                    {r.scorePercent === null ? "—" : `${formatPercent(locale, r.scorePercent)}%`}
                  </td>
                  <td data-label={t("exams.col.result")}>
                    {r.passed === null ? "—" : t(r.passed ? "exams.outcome.passed" : "exams.outcome.failed")}
                  </td>
                  <td data-label={t("exams.col.submittedAt")}>{r.submittedAt ? formatDateTime(locale, r.submittedAt) : "—"}</td>
                  <td data-label={t("exams.col.certificate")}>
                    {r.certificateSerial ?? "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
