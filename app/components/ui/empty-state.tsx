import type { ReactNode } from "react";

/** What a list shows when it has nothing: a sentence that says why, and what to do about it (an action). */
export function EmptyState({ title, children, action }: { title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state__title">{title}</p>
      {children ? <div className="empty-state__body">{children}</div> : null}
      {action ? <p className="empty-state__action">{action}</p> : null}
    </div>
  );
}
