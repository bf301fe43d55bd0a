/** Small UI pieces the report pages share (server-rendered, no JavaScript needed). */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatDate, formatDecimal, formatNumber, type Locale, type MessageKey } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { pacePerWeek, type CoverageRow, type CoverageStatus } from "./coverage";

export function fmtPercent(locale: Locale, n: number): string {
  return formatDecimal(locale, n, 1) + "%";
}

export function fmtPace(locale: Locale, certifiedLast90Days: number): string {
  return formatDecimal(locale, pacePerWeek(certifiedLast90Days), 1);
}

export function StatusBadge({ status }: { status: CoverageStatus }) {
  const t = useT();
  return <span className={`badge status status-${status}`}>{t(`reports.status.${status}` as MessageKey)}</span>;
}

/** A bar for the share held, with a mark at the target's percentage. */
export function Progress({ percent, targetPercent, label }: { percent: number; targetPercent: number; label: string }) {
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <div className="progress" role="img" aria-label={label}>
      <div className="progress__bar" style={{ width: `${clamped}%` }} />
      <div className="progress__target" style={{ left: `${Math.max(0, Math.min(100, targetPercent))}%` }} />
    </div>
  );
}

export function unitLabel(u: { nameVi: string; nameEn: string | null }, locale: Locale): string {
  return locale === "en" && u.nameEn ? u.nameEn : u.nameVi;
}

/** The date a report is computed for, as a plain GET form (other query parameters are kept). */
export function AsOfForm({ asOf, keep = {} }: { asOf: string; keep?: Record<string, string | undefined> }) {
  const t = useT();
  return (
    <Form method="get" className="asof-form" aria-label={t("reports.asOf.label")}>
      {Object.entries(keep).map(([k, v]) => (v === undefined ? null : <input key={k} type="hidden" name={k} value={v} />))}
      <div className="field">
        <label htmlFor="asOf">{t("reports.asOf.label")}</label>
        <input id="asOf" name="asOf" type="date" defaultValue={asOf} required />
      </div>
      <button type="submit" className="button secondary">
        {t("reports.asOf.apply")}
      </button>
    </Form>
  );
}

export function ExportLinks({ href, label }: { href: (format: "csv" | "xlsx") => string; label: string }) {
  const t = useT();
  return (
    <p className="export-links">
      <span className="muted">{label}</span>{" "}
      <a href={href("csv")} download className="button secondary small">
        {t("reports.export.csv")}
      </a>{" "}
      <a href={href("xlsx")} download className="button secondary small">
        {t("reports.export.xlsx")}
      </a>
    </p>
  );
}

/** The per-target table of a unit: population, holders, %, gap, pace, projection, status. */
export function CoverageTable({ rows, targets, caption }: { rows: CoverageRow[]; targets: { code: string; titleVi: string; titleEn: string; percent: number; deadline: string }[]; caption?: ReactNode }) {
  const t = useT();
  const locale = useLocale();
  return (
    <table className="table coverage-table">
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">{t("reports.col.target")}</th>
          <th scope="col" className="num">{t("reports.col.population")}</th>
          <th scope="col" className="num">{t("reports.col.holders")}</th>
          <th scope="col" className="num">{t("reports.col.percent")}</th>
          <th scope="col" className="num">{t("reports.col.gap")}</th>
          <th scope="col" className="num">{t("reports.col.pace")}</th>
          <th scope="col">{t("reports.col.projected")}</th>
          <th scope="col">{t("reports.col.status")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => {
          const tg = targets[i]!;
          return (
            <tr key={r.target_code}>
              <th scope="row" data-label={t("reports.col.target")}>
                <span className="badge">{r.target_code}</span> {locale === "en" ? tg.titleEn : tg.titleVi}
                <span className="muted block">
                  {t("reports.targetLine", { percent: formatNumber(locale, tg.percent), date: formatDate(locale, tg.deadline) })}
                </span>
                <Progress percent={r.percent} targetPercent={tg.percent} label={t("reports.progressLabel", { percent: fmtPercent(locale, r.percent), target: formatNumber(locale, tg.percent) })} />
              </th>
              <td data-label={t("reports.col.population")} className="num">{formatNumber(locale, r.population)}</td>
              <td data-label={t("reports.col.holders")} className="num">{formatNumber(locale, r.holders)}</td>
              <td data-label={t("reports.col.percent")} className="num">{fmtPercent(locale, r.percent)}</td>
              <td data-label={t("reports.col.gap")} className="num">{formatNumber(locale, r.gap)}</td>
              <td data-label={t("reports.col.pace")} className="num">{fmtPace(locale, r.certified_last_90_days)}</td>
              <td data-label={t("reports.col.projected")}>{r.projected_date ? formatDate(locale, r.projected_date) : "—"}</td>
              <td data-label={t("reports.col.status")}>
                <StatusBadge status={r.status} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Rows of targets that concern somebody here; targets with an empty population are named apart. */
export function applicable<R extends { population: number; target_code: string }, T>(rows: readonly R[], targets: readonly T[]): { rows: R[]; targets: T[]; skipped: string[] } {
  const out = { rows: [] as R[], targets: [] as T[], skipped: [] as string[] };
  rows.forEach((r, i) => {
    if (r.population > 0) {
      out.rows.push(r);
      out.targets.push(targets[i]!);
    } else out.skipped.push(r.target_code);
  });
  return out;
}

export function NotApplicable({ codes }: { codes: string[] }) {
  const t = useT();
  if (codes.length === 0) return null;
  return <p className="not-applicable">{t("reports.notApplicable", { codes: codes.join(", ") })}</p>;
}
