/**
 * A lesson or course overview body: HTML rendered at build time (render.server.tsx), inserted as is on the
 * server and on the client, then enhanced (SelfCheck, Term) by event delegation. No MDX code runs per request.
 */
import { useEffect, useRef, useState } from "react";
import { enhanceMdx } from "./enhance";
import { usePrebuiltHtml } from "./prebuilt";

export type LessonBodyProps = {
  /**
   * Static HTML from the content build (`CompiledPage.html`): trusted, produced by our compiler only. Null when
   * the document request passed it through the load context (prebuilt.tsx): the server renders it from there
   * and the browser keeps what the server sent.
   */
  html: string | null;
};

export function LessonBody({ html }: LessonBodyProps) {
  const ref = useRef<HTMLDivElement>(null);
  const fromServer = usePrebuiltHtml();
  const [fromDom] = useState(() =>
    html === null && fromServer === null && typeof document !== "undefined" ? (document.querySelector(".mdx-body[data-prebuilt]")?.innerHTML ?? "") : "",
  );
  const body = html ?? fromServer ?? fromDom;
  useEffect(() => (ref.current ? enhanceMdx(ref.current) : undefined), [body]);
  return <div ref={ref} className="mdx-body" data-prebuilt={html === null ? "" : undefined} dangerouslySetInnerHTML={{ __html: body }} />;
}
