/**
 * Charts rendered on the server (no JavaScript): an SVG line of holders over time against the target line and
 * the deadline, with its data as a table; and child units as CSS bars with their figures written out.
 */
import { useId } from "react";
import { Link } from "@remix-run/react";
import { formatDate, formatNumber } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { toDayNumber } from "./dates";
import { fmtPercent, StatusBadge } from "./ui";
import type { CoverageStatus } from "./coverage";

const W = 640;
const H = 320;
const M = { left: 56, right: 20, top: 20, bottom: 44 };

export interface LineChartProps {
  series: { date: string; holders: number }[];
  required: number;
  population: number;
  deadline: string;
  asOf: string;
  projected: string | null;
  targetCode: string;
}

function niceMax(v: number): number {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function CoverageLineChart(props: LineChartProps) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const { series, required, population, deadline, asOf, projected } = props;
  if (series.length === 0) return null;
  const start = toDayNumber(series[0]!.date);
  const asOfDay = toDayNumber(asOf);
  const deadlineDay = toDayNumber(deadline);
  const projectedDay = projected ? toDayNumber(projected) : null;
  // Show until the deadline (and a projection a little past it), never less than the series itself.
  const end = Math.max(asOfDay, deadlineDay, Math.min(projectedDay ?? 0, deadlineDay + 365)) + 15;
  const yMax = niceMax(Math.max(population, required, ...series.map((p) => p.holders), 1));
  const x = (day: number) => M.left + ((Math.min(day, end) - start) / (end - start)) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
  const points = series.map((p) => `${x(toDayNumber(p.date)).toFixed(1)},${y(p.holders).toFixed(1)}`).join(" ");
  const last = series[series.length - 1]!;
  const years: number[] = [];
  for (let yr = new Date(start * 86_400_000).getUTCFullYear() + 1; Date.UTC(yr, 0, 1) / 86_400_000 <= end; yr++) years.push(yr);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * yMax));
  const title = t("reports.chart.title", { target: props.targetCode });
  const desc = t("reports.chart.desc", {
    holders: formatNumber(locale, last.holders),
    date: formatDate(locale, last.date),
    required: formatNumber(locale, required),
    deadline: formatDate(locale, deadline),
    projected: projected ? formatDate(locale, projected) : t("reports.chart.noProjection"),
  });
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="chart__svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} className="chart__grid" />
            <text x={M.left - 6} y={y(v) + 5} textAnchor="end" className="chart__label">
              {formatNumber(locale, v)}
            </text>
          </g>
        ))}
        {years.map((yr) => {
          const d = Date.UTC(yr, 0, 1) / 86_400_000;
          return (
            <g key={yr}>
              <line x1={x(d)} x2={x(d)} y1={M.top} y2={H - M.bottom} className="chart__grid" />
              <text x={x(d)} y={H - M.bottom + 20} textAnchor="middle" className="chart__label">
                {yr}
              </text>
            </g>
          );
        })}
        <line x1={M.left} x2={W - M.right} y1={y(required)} y2={y(required)} className="chart__target" />
        <text x={M.left + 4} y={y(required) - 6} className="chart__label chart__label--target">
          {t("reports.chart.targetLine", { n: formatNumber(locale, required) })}
        </text>
        <line x1={x(deadlineDay)} x2={x(deadlineDay)} y1={M.top} y2={H - M.bottom} className="chart__deadline" />
        <text x={x(deadlineDay) - 4} y={H - M.bottom - 6} textAnchor="end" className="chart__label chart__label--deadline">
          {t("reports.chart.deadline", { date: formatDate(locale, deadline) })}
        </text>
        {projectedDay !== null ? (
          <line
            x1={x(toDayNumber(last.date))}
            y1={y(last.holders)}
            x2={x(projectedDay)}
            y2={y(projectedDay <= end ? required : last.holders + ((required - last.holders) * (end - toDayNumber(last.date))) / (projectedDay - toDayNumber(last.date)))}
            className="chart__projection"
          />
        ) : null}
        <polyline points={points} className="chart__line" />
        {series.map((p) => (
          <circle key={p.date} cx={x(toDayNumber(p.date))} cy={y(p.holders)} r={3.5} className="chart__point" />
        ))}
        <line x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} className="chart__axis" />
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} className="chart__axis" />
      </svg>
      <figcaption>
        <ul className="chart__legend list-plain">
          <li>
            <span className="legend legend--line" aria-hidden="true" /> {t("reports.chart.legendHolders")}
          </li>
          <li>
            <span className="legend legend--target" aria-hidden="true" /> {t("reports.chart.legendTarget")}
          </li>
          <li>
            <span className="legend legend--deadline" aria-hidden="true" /> {t("reports.chart.legendDeadline")}
          </li>
          {projectedDay !== null ? (
            <li>
              <span className="legend legend--projection" aria-hidden="true" /> {t("reports.chart.legendProjection")}
            </li>
          ) : null}
        </ul>
        <p className="muted">{desc}</p>
        <details>
          <summary>{t("reports.chart.dataTable")}</summary>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("reports.chart.date")}</th>
                <th scope="col" className="num">{t("reports.col.holders")}</th>
              </tr>
            </thead>
            <tbody>
              {series.map((p) => (
                <tr key={p.date}>
                  <td data-label={t("reports.chart.date")}>{formatDate(locale, p.date)}</td>
                  <td data-label={t("reports.col.holders")} className="num">{formatNumber(locale, p.holders)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}

export interface Bar {
  code: string;
  label: string;
  percent: number;
  holders: number;
  population: number;
  status: CoverageStatus;
  href: string;
}

/** Child units as horizontal bars (CSS widths), each with its figures in text; the target as a mark. */
export function ChildBarChart({ bars, targetPercent, title }: { bars: Bar[]; targetPercent: number; title: string }) {
  const t = useT();
  const locale = useLocale();
  if (bars.length === 0) return null;
  return (
    <figure className="bars" aria-label={title}>
      <figcaption className="bars__title">{title}</figcaption>
      <ol className="list-plain">
        {bars.map((b) => (
          <li key={b.code} className="bars__item">
            <div className="bars__head">
              <Link to={b.href}>{b.label}</Link>
              <span className="bars__value">
                {fmtPercent(locale, b.percent)} · {t("reports.bars.of", { holders: formatNumber(locale, b.holders), population: formatNumber(locale, b.population) })} <StatusBadge status={b.status} />
              </span>
            </div>
            <div className="progress" aria-hidden="true">
              <div className="progress__bar" style={{ width: `${Math.max(0, Math.min(100, b.percent))}%` }} />
              <div className="progress__target" style={{ left: `${Math.max(0, Math.min(100, targetPercent))}%` }} />
            </div>
          </li>
        ))}
      </ol>
    </figure>
  );
}
