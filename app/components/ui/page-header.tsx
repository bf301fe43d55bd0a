import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export interface Crumb {
  href: string;
  label: string;
}

/** Where this page sits: links to the pages above it (the current page is the <h1>, not repeated here). */
export function Breadcrumbs({ items, label }: { items: Crumb[]; label: string }) {
  if (items.length === 0) return null;
  return (
    <nav aria-label={label} className="breadcrumbs">
      <ol className="list-plain">
        {items.map((c) => (
          <li key={c.href}>
            <Link to={c.href}>{c.label}</Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The top of a page: breadcrumbs, the one <h1>, a lead line, and tools or actions beside it (below on phones). */
export function PageHeader({ title, lead, crumbs, crumbsLabel, actions, children }: {
  title: ReactNode;
  lead?: ReactNode;
  crumbs?: Crumb[];
  crumbsLabel?: string;
  /** Buttons or forms shown beside the title (stacked under it on narrow screens). */
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <>
      {crumbs && crumbs.length > 0 ? <Breadcrumbs items={crumbs} label={crumbsLabel ?? "Breadcrumbs"} /> : null}
      <div className="page-header">
        <div className="page-header__main">
          <h1>{title}</h1>
          {lead ? <p className="page-header__lead muted">{lead}</p> : null}
          {children}
        </div>
        {actions ? <div className="page-header__actions">{actions}</div> : null}
      </div>
    </>
  );
}
