/** Small UI pieces the report pages share (server-rendered, no JavaScript needed). */
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Badge, DataTable, ProgressBar, type Column } from "~/components/ui";
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
  return (
    <Badge status={status} className={`status status-${status}`}>
      {t(`reports.status.${status}` as MessageKey)}
    </Badge>
  );
}

/** The share of the population holding the credential, with a mark at the target's percentage. */
export function TargetProgress({ percent, targetPercent }: { percent: number; targetPercent: number }) {
  const t = useT();
  const locale = useLocale();
  return (
    <ProgressBar
      value={percent}
      target={targetPercent}
      label={t("reports.progressLabel", { percent: fmtPercent(locale, percent), target: formatNumber(locale, targetPercent) })}
      valueText={fmtPercent(locale, percent)}
    />
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

export type CoverageColumn = "target" | "population" | "holders" | "percent" | "gap" | "pace" | "projected" | "status";

/** One line of a coverage table: what it is about (a target, a unit…) and its figures. */
export interface CoverageItem {
  key: string;
  name: ReactNode;
  row: CoverageRow;
  /** Draw a progress bar toward this target percentage under the name. */
  targetPercent?: number;
}

/**
 * Every coverage table of the report pages (targets of a unit, child units, communes, units at risk, the print
 * summary): the same columns, labels and number formats, stacked into cards on phones (DataTable).
 */
export function CoverageRowsTable({ items, nameHeader, columns, caption, className }: { items: readonly CoverageItem[]; nameHeader: string; columns: readonly CoverageColumn[]; caption?: ReactNode; className?: string }) {
  const t = useT();
  const locale = useLocale();
  const all: Record<CoverageColumn, Column<CoverageItem>> = {
    target: { header: t("reports.col.target"), cell: (i) => i.row.target_code },
    population: { header: t("reports.col.population"), num: true, cell: (i) => formatNumber(locale, i.row.population) },
    holders: { header: t("reports.col.holders"), num: true, cell: (i) => formatNumber(locale, i.row.holders) },
    percent: { header: t("reports.col.percent"), num: true, cell: (i) => fmtPercent(locale, i.row.percent) },
    gap: { header: t("reports.col.gap"), num: true, cell: (i) => formatNumber(locale, i.row.gap) },
    pace: { header: t("reports.col.pace"), num: true, cell: (i) => fmtPace(locale, i.row.certified_last_90_days) },
    projected: { header: t("reports.col.projected"), cell: (i) => (i.row.projected_date ? formatDate(locale, i.row.projected_date) : "—") },
    status: { header: t("reports.col.status"), cell: (i) => <StatusBadge status={i.row.status} /> },
  };
  const name: Column<CoverageItem> = {
    header: nameHeader,
    rowHeader: true,
    stack: true,
    className: "coverage-name",
    cell: (i) => (
      <>
        {i.name}
        {i.targetPercent === undefined ? null : <TargetProgress percent={i.row.percent} targetPercent={i.targetPercent} />}
      </>
    ),
  };
  return <DataTable columns={[name, ...columns.map((c) => all[c])]} rows={items} rowKey={(i) => i.key} caption={caption} className={["coverage-table", "compact", className].filter(Boolean).join(" ")} />;
}

/** The per-target table of a unit: population, holders, %, gap, pace, projection, status. */
export function CoverageTable({ rows, targets, caption }: { rows: CoverageRow[]; targets: { code: string; titleVi: string; titleEn: string; percent: number; deadline: string }[]; caption?: ReactNode }) {
  const t = useT();
  const locale = useLocale();
  return (
    <CoverageRowsTable
      caption={caption}
      nameHeader={t("reports.col.target")}
      columns={["population", "holders", "percent", "gap", "pace", "projected", "status"]}
      items={rows.map((r, i) => {
        const tg = targets[i]!;
        return {
          key: r.target_code,
          row: r,
          targetPercent: tg.percent,
          name: (
            <span className="block">
              <Badge>{r.target_code}</Badge> {locale === "en" ? tg.titleEn : tg.titleVi}
              <span className="muted block small">{t("reports.targetLine", { percent: formatNumber(locale, tg.percent), date: formatDate(locale, tg.deadline) })}</span>
            </span>
          ),
        };
      })}
    />
  );
}

/** A unit's name (linked when `href` is given) followed by its code, as every unit table shows it. */
export function UnitName({ unit, href, extra }: { unit: { code: string; nameVi: string; nameEn: string | null }; href?: string; extra?: ReactNode }) {
  const locale = useLocale();
  const label = unitLabel(unit, locale);
  return (
    <span>
      {href ? <Link to={href}>{label}</Link> : label} <span className="muted small">{unit.code}</span>
      {extra}
    </span>
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
