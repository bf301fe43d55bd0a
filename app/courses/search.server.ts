/**
 * Lesson search: an in-memory index of every lesson's plain text (both languages, from build/content), built at
 * the first search and kept until the compiled content changes. Every logged-in reader may read every course, so
 * the index holds everything; results are lessons of current course versions only.
 */
import { loadContentIndex, loadLesson } from "./content.server";
import type { Lang } from "./content-schema";
import type { ContentIndex } from "./content-types";
import { buildSearchIndex, MIN_QUERY_LENGTH, search, type SearchDoc, type SearchIndex } from "./search-core";

let cached: { index: ContentIndex; search: Promise<SearchIndex> } | null = null;

async function build(index: ContentIndex): Promise<SearchIndex> {
  const docs: SearchDoc[] = [];
  for (const c of index.courses) {
    for (const l of c.lessons) {
      // Only languages the lesson is written in: a fallback copy would show the same text twice.
      for (const lang of l.languages) {
        const page = await loadLesson(c.slug, l.slug, lang);
        if (!page || page.fallbackFrom) continue;
        docs.push({
          courseSlug: c.slug,
          courseTitle: c.title[lang],
          lessonSlug: l.slug,
          lessonNumber: l.number,
          lessonTitle: page.frontmatter.title,
          lang,
          text: page.text,
        });
      }
    }
  }
  return buildSearchIndex(docs);
}

/** The search index for the current content (rebuilt when the content index object changes, e.g. in dev). */
export async function getSearchIndex(): Promise<SearchIndex> {
  const index = await loadContentIndex();
  if (!cached || cached.index !== index) {
    const entry = { index, search: build(index) };
    cached = entry;
    entry.search.catch(() => {
      if (cached === entry) cached = null;
    });
  }
  return cached.search;
}

/** Lessons matching `q` (diacritics ignored), best first, with highlighted title and snippet. */
export async function searchLessons(input: { q: string; lang: Lang; limit?: number }) {
  const q = input.q.trim();
  if (q.length < MIN_QUERY_LENGTH) return { q, total: 0, results: [], tooShort: q.length > 0 };
  const { total, results } = search(await getSearchIndex(), q, { preferLang: input.lang, limit: input.limit ?? 30 });
  return { q, total, results, tooShort: false };
}
