/** Small shared pieces of the course pages: the reading progress bar and the status badge. */
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/react";

export function ReadingProgress({ read, total, id }: { read: number; total: number; id?: string }) {
  const t = useT();
  const label = t("courses.progress.count", { read, total });
  return (
    <div className="course-progress">
      <progress id={id} max={Math.max(total, 1)} value={read} aria-label={t("courses.progress.label")} aria-valuetext={label} />
      <span className="course-progress__text">{label}</span>
    </div>
  );
}

export type CourseStatus = "not_started" | "in_progress" | "lessons_done" | "completed";

export function StatusBadge({ status }: { status: CourseStatus }) {
  const t = useT();
  return <span className={`badge course-status course-status--${status}`}>{t(`courses.status.${status}` as MessageKey)}</span>;
}
