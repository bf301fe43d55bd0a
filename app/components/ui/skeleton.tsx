/**
 * A grey placeholder for an area a fetcher is loading. It is hidden from screen readers; the `label` is
 * announced instead (role=status), so a slow phone says "Loading…" rather than nothing.
 */
export function Skeleton({ lines = 3, label }: { lines?: number; label: string }) {
  return (
    <div className="skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: Math.max(1, lines) }, (_, i) => (
        <span key={i} className="skeleton__line" aria-hidden="true" />
      ))}
    </div>
  );
}
