/**
 * Renders compiled MDX (`code` from build/content) with the course components. getMDXComponent evaluates the
 * code with `new Function` (the CSP needs 'unsafe-eval' on lesson pages), so it is memoised per code string.
 */
import { getMDXComponent } from "mdx-bundler/client";
import { useMemo, type ComponentType } from "react";
import { mdxComponents } from "./components";
import { MdxContext, mdxLabels, type MdxContextValue, type MdxLabels } from "./context";

export type LessonBodyProps = {
  code: string;
  /** e.g. "/course-assets/<slug>"; without it asset paths are left as written. */
  assetBase?: string;
  /** UI language of the labels when `labels` is not given; default "vi". */
  lang?: "vi" | "en";
  /** Overrides of individual labels (plug the app's i18n in here). */
  labels?: Partial<MdxLabels>;
  lessonHref?: MdxContextValue["lessonHref"];
  /** Extra or replacement components (e.g. headings with anchor links). */
  components?: Record<string, ComponentType<never>>;
};

export function LessonBody({ code, assetBase, lang = "vi", labels, lessonHref, components }: LessonBodyProps) {
  const Component = useMemo(() => getMDXComponent(code), [code]);
  const value = useMemo<MdxContextValue>(
    () => ({ assetBase, lessonHref, labels: { ...mdxLabels[lang], ...labels } }),
    [assetBase, lessonHref, lang, labels],
  );
  return (
    <MdxContext.Provider value={value}>
      <div className="mdx-body">
        <Component components={{ ...mdxComponents, ...components }} />
      </div>
    </MdxContext.Provider>
  );
}
