/** The compiler's errors or warnings as `file:line: message` lines (author preview). */
import type { ContentError } from "~/courses/content-types";
import { useT } from "~/i18n/react";

const formatProblem = (e: ContentError) => (e.line > 0 ? `${e.file}:${e.line}: ${e.message}` : `${e.file}: ${e.message}`);

export function ProblemList({ kind, items }: { kind: "error" | "warning"; items: ContentError[] }) {
  const t = useT();
  if (items.length === 0) return null;
  return (
    <details className={`author-problems author-problems--${kind}`} open>
      <summary>{t(kind === "error" ? "courses.author.errors" : "courses.author.warnings", { count: items.length })}</summary>
      <ul>
        {items.map((e, i) => (
          <li key={i}>
            <code>{formatProblem(e)}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

