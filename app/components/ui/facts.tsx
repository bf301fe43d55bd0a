import type { ReactNode } from "react";

export interface Fact {
  label: string;
  value: ReactNode;
  /** Language of the value when it differs from the page's (a Vietnamese name on the English page). */
  lang?: string;
  valueClassName?: string;
}

/** Label–value pairs as a description list (certificate facts, account details); null items are skipped. */
export function Facts({ items, className }: { items: (Fact | null | false)[]; className?: string }) {
  return (
    <dl className={["facts", className].filter(Boolean).join(" ")}>
      {items.filter((f): f is Fact => Boolean(f)).map((f) => (
        <div key={f.label}>
          <dt>{f.label}</dt>
          <dd className={f.valueClassName} lang={f.lang}>
            {f.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
