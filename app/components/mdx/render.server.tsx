/**
 * Build-time rendering of compiled MDX (mdx-bundler `code`) to static HTML with the course components
 * (docs/decisions/0009-lesson-pages-static-html.md). The code is evaluated here, once per page at build (or on
 * request in development), never in a reader's request or browser: lesson pages need no 'unsafe-eval'.
 */
import { getMDXComponent } from "mdx-bundler/client";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { mdxComponents } from "./components";
import { MdxContext, mdxLabels, type MdxContextValue } from "./context";

export type MdxRenderOptions = {
  /** Language of the page: also the language of the component labels ("Show answer"), like the text around them. */
  lang: "vi" | "en";
  /** e.g. "/course-assets/<slug>"; without it asset paths are left as written. */
  assetBase?: string;
  lessonHref?: MdxContextValue["lessonHref"];
};

/**
 * The inner HTML of a page's `.mdx-body`. useId values are prefixed with "mdx-" so they never collide with the
 * ids React generates for the page around it.
 */
export function renderMdxToHtml(code: string, { lang, assetBase, lessonHref }: MdxRenderOptions): string {
  const Component = getMDXComponent(code);
  const value: MdxContextValue = { assetBase, lessonHref, labels: mdxLabels[lang] };
  return renderToStaticMarkup(
    createElement(MdxContext.Provider, { value }, createElement(Component, { components: mdxComponents })),
    { identifierPrefix: "mdx-" },
  );
}
