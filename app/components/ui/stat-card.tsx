import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** A big number with its label and, optionally, a line about the target and anything below (a progress bar). */
export function StatCard({ label, value, target, badge, href, children, as: Tag = "section", headingLevel = 2, className }: {
  label: ReactNode;
  value: ReactNode;
  target?: ReactNode;
  badge?: ReactNode;
  /** Makes the label a link to the detail page. */
  href?: string;
  children?: ReactNode;
  as?: "section" | "li" | "div";
  headingLevel?: 2 | 3;
  className?: string;
}) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <Tag className={["card", "stat-card", className].filter(Boolean).join(" ")}>
      {badge ? <p className="stat-card__badges">{badge}</p> : null}
      <H className="stat-card__label">{href ? <Link to={href}>{label}</Link> : label}</H>
      <p className="stat">{value}</p>
      {target ? <p className="stat-card__target">{target}</p> : null}
      {children}
    </Tag>
  );
}
