import type { ReactNode } from "react";

export interface Column<R> {
  /** Column header; also the label shown beside the value when the table stacks into cards (≤ 40 rem). */
  header: string;
  cell: (row: R, index: number) => ReactNode;
  /** Right-aligned tabular figures. */
  num?: boolean;
  /** The cell names the row (rendered as <th scope="row">). */
  rowHeader?: boolean;
  className?: string;
  /** Long content (a paragraph, a list): on phones the label goes above the value instead of beside it. */
  stack?: boolean;
}

/**
 * A table that turns into one card per row on narrow screens, each value labelled with its column header
 * (data-label + CSS ::before), so a 360 px phone never scrolls sideways. Cell contents are wrapped in one
 * element so a cell holding several nodes (a link and a code) stays one flex item beside its label.
 */
export function DataTable<R>({ columns, rows, rowKey, caption, label, className, rowClassName }: {
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R, index: number) => string;
  caption?: ReactNode;
  /** Accessible name when there is no visible caption. */
  label?: string;
  className?: string;
  rowClassName?: (row: R) => string | undefined;
}) {
  return (
    <table className={["table", "data-table", className].filter(Boolean).join(" ")} aria-label={caption ? undefined : label}>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col" className={[c.num ? "num" : null, c.className].filter(Boolean).join(" ") || undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={rowKey(r, i)} className={rowClassName?.(r)}>
            {columns.map((c) => {
              const props = { "data-label": c.header, className: [c.num ? "num" : null, c.stack ? "stack" : null, c.className].filter(Boolean).join(" ") || undefined };
              const content = <span className="cell">{c.cell(r, i)}</span>;
              return c.rowHeader ? (
                <th key={c.header} scope="row" {...props}>
                  {content}
                </th>
              ) : (
                <td key={c.header} {...props}>
                  {content}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
