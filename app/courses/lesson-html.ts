/**
 * Per-request touches to a page's prebuilt HTML (CompiledPage.html). Pure string work on trusted compiler output.
 */
import type { Lang } from "./content-schema";

// MdxLink writes the marker immediately before href.
const LESSON_LINK = / data-lesson-link="" href="([^"?#]*)(#[^"]*)?"/g;

/**
 * Links to other lessons (marked `data-lesson-link` by MdxLink) keep an explicit `?lang=` choice, so a reader who
 * asked for the English text stays in English when following one. Without a choice the HTML is returned as is.
 */
export function withLessonLinkLang(html: string, lang: Lang | null): string {
  if (!lang) return html;
  return html.replace(LESSON_LINK, (_m, href: string, hash: string | undefined) => ` data-lesson-link="" href="${href}?lang=${lang}${hash ?? ""}"`);
}
