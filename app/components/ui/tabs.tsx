import { Link } from "@remix-run/react";

export interface TabItem {
  href: string;
  label: string;
  /** The tab of the page being shown. */
  current?: boolean;
  /** Shown beside the label (already formatted for the locale, e.g. "1.234"). */
  count?: string | number;
}

/**
 * Tabs as links: each tab is its own URL, so they work without JavaScript, can be bookmarked and shared, and
 * the back button works. The current tab carries aria-current="page" (the WAI pattern for navigation tabs; the
 * role=tablist pattern is for panels switched in place, which would need JavaScript).
 */
export function Tabs({ items, label }: { items: TabItem[]; label: string }) {
  return (
    <nav className="tabs" aria-label={label}>
      <ul className="tabs__list">
        {items.map((it) => (
          <li key={it.href} className="tabs__item">
            <Link to={it.href} className="tabs__link" aria-current={it.current ? "page" : undefined} preventScrollReset>
              {it.label}
              {it.count === undefined ? null : <span className="tabs__count">{it.count}</span>}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
