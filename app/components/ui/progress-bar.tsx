/**
 * An accessible progress bar (role=progressbar with its value and a text label), with an optional mark at a
 * target percentage. Plain HTML and CSS: it needs no JavaScript and prints.
 */
export function ProgressBar({ value, max = 100, label, valueText, target, tone }: { value: number; max?: number; label: string; valueText?: string; target?: number; tone?: "success" | "warning" | "danger" }) {
  const safeMax = max > 0 ? max : 1;
  const clamped = Math.max(0, Math.min(safeMax, value));
  const pct = (clamped / safeMax) * 100;
  const targetPct = target === undefined ? null : Math.max(0, Math.min(100, (target / safeMax) * 100));
  return (
    <div
      className={["progress", tone ? `progress--${tone}` : null].filter(Boolean).join(" ")}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={safeMax}
      aria-valuenow={Math.round(clamped * 10) / 10}
      aria-valuetext={valueText}
    >
      <div className="progress__bar" style={{ width: `${pct}%` }} />
      {targetPct === null ? null : <div className="progress__target" style={{ left: `${targetPct}%` }} />}
    </div>
  );
}
