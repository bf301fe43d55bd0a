/** Targets, pass/miss, failures and the printed table of `npm run bench`. */
import type { BenchRow } from "./types";

export interface ParsedTarget {
  op: ">=" | ">" | "<=" | "<" | "=";
  value: number;
}

/** "≥ 1,500", ">=1500", "< 50", "≤ 10", "= 0", or a bare number (meaning "≤"). Null when it cannot be read. */
export function parseTarget(target: string | number | undefined): ParsedTarget | null {
  if (target === undefined) return null;
  if (typeof target === "number") return Number.isFinite(target) ? { op: "<=", value: target } : null;
  const m = /^\s*(≥|>=|>|≤|<=|<|==|=)?\s*([-+]?[\d,_]*\.?\d+)\s*[a-zA-Z/%µ ]*$/.exec(target);
  if (!m) return null;
  const ops: Record<string, ParsedTarget["op"]> = { "≥": ">=", ">=": ">=", ">": ">", "≤": "<=", "<=": "<=", "<": "<", "==": "=", "=": "=" };
  return { op: ops[m[1] ?? "<="]!, value: Number(m[2]!.replace(/[,_]/g, "")) };
}

/** "pass", "miss", or "" when the row has no (readable) target. */
export function judge(row: Pick<BenchRow, "value" | "target">): "pass" | "miss" | "" {
  const t = parseTarget(row.target);
  if (!t || !Number.isFinite(row.value)) return t ? "miss" : "";
  const v = row.value;
  const ok = t.op === ">=" ? v >= t.value : t.op === ">" ? v > t.value : t.op === "<=" ? v <= t.value : t.op === "<" ? v < t.value : v === t.value;
  return ok ? "pass" : "miss";
}

const FAILURE_METRICS = new Set(["errors", "non-2xx", "failed", "no responses"]);

/** Why a scenario failed (errors or unexpected statuses), or null. */
export function failureOf(rows: BenchRow[]): string | null {
  const bad = rows.filter((r) => FAILURE_METRICS.has(r.metric) && !(r.value === 0));
  if (bad.length === 0) return null;
  return bad.map((r) => `${r.metric} = ${formatValue(r.value)}`).join(", ");
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const digits = abs >= 100 || Number.isInteger(v) ? 0 : abs >= 10 ? 1 : 2;
  return v.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export interface JudgedRow extends BenchRow {
  ok: "pass" | "miss" | "";
}

export function renderTable(rows: JudgedRow[]): string {
  const head = ["scenario", "metric", "value", "unit", "target", "ok?"];
  const cells = rows.map((r) => [r.scenario, r.metric, formatValue(r.value), r.unit, r.target === undefined ? "" : String(r.target), r.ok === "" ? "" : r.ok === "pass" ? "PASS" : "miss"]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((s, i) => (i === 2 ? s.padStart(widths[i]!) : s.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}
