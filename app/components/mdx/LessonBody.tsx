/**
 * A course overview body (or any page body): HTML rendered at build time (render.server.tsx), inserted as is on
 * the server and on the client, then enhanced (SelfCheck, Term) by event delegation. No MDX code runs per request.
 * Lessons have their own page renderer (courses/lesson-page.server.ts, ADR 0017).
 */
import { useEffect, useRef } from "react";
import { enhanceMdx } from "./enhance";

export type LessonBodyProps = {
  /** Static HTML from the content build (`CompiledPage.html`): trusted, produced by our compiler only. */
  html: string;
};

export function LessonBody({ html }: LessonBodyProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => (ref.current ? enhanceMdx(ref.current) : undefined), [html]);
  return <div ref={ref} className="mdx-body" dangerouslySetInnerHTML={{ __html: html }} />;
}
