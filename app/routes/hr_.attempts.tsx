import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { formatDateTime, formatPercent } from "~/assessments/format";
import { hrAttemptList } from "~/assessments/reports.server";
import { CourseSlugSchema } from "~/assessments/schemas";
import { requireRole } from "~/auth/session.server";
import type { MessageKey } from "~/i18n";
import { Badge, DataTable, EmptyState, PageHeader } from "~/components/ui";
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
      <PageHeader crumbs={[{ href: "/hr", label: t("reports.home.title") }]} crumbsLabel={t("reports.breadcrumbs")} title={t("exams.hr.title")} lead={t("exams.hr.lead", { unit: unitName })} />
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
        <EmptyState title={t("exams.hr.empty")} />
      ) : (
        <>
          <p className="muted">{t("exams.hr.count", { shown: rows.length, total })}</p>
          <DataTable
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                header: t("exams.col.person"),
                cell: (r) => (
                  <>
                    {r.personName} <span className="muted">({r.staffCode})</span>
                  </>
                ),
              },
              { header: t("exams.col.unit"), cell: (r) => (locale === "en" && r.unitNameEn ? r.unitNameEn : r.unitNameVi) },
              { header: t("exams.col.course"), cell: (r) => courseTitle.get(r.courseId) ?? r.courseId },
              { header: t("exams.col.attempt"), num: true, cell: (r) => r.attemptNo },
              { header: t("exams.col.status"), cell: (r) => t(`exams.status.${r.status}` as MessageKey) },
              { header: t("exams.col.score"), num: true, cell: (r) => (r.scorePercent === null ? "—" : `${formatPercent(locale, r.scorePercent)}%`) },
              {
                header: t("exams.col.result"),
                cell: (r) => (r.passed === null ? "—" : <Badge status={r.passed ? "passed" : "failed"}>{t(r.passed ? "exams.outcome.passed" : "exams.outcome.failed")}</Badge>),
              },
              { header: t("exams.col.submittedAt"), cell: (r) => (r.submittedAt ? formatDateTime(locale, r.submittedAt) : "—") },
              { header: t("exams.col.certificate"), cell: (r) => r.certificateSerial ?? "—" },
            ]}
          />
        </>
      )}
    </>
  );
}
