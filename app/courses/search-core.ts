/**
 * Diacritic-insensitive search over lesson text (pure). Vietnamese readers often type without tones ("du lieu"
 * for "dữ liệu", "dang ky" for "đăng ký"), so both the text and the query are folded: Unicode marks removed,
 * đ/Đ → d, lower case, runs of white space → one space. Matching works paragraph by paragraph, so a snippet is
 * always one readable piece of one paragraph, with the hits marked.
 */

const MARKS = /\p{M}/gu;
const foldCache = new Map<string, string>();

/** Folds one code point (cached: lesson text uses a few hundred distinct characters). */
function foldCodePoint(ch: string): string {
  let f = foldCache.get(ch);
  if (f === undefined) {
    f = ch.normalize("NFD").replace(MARKS, "").replace(/[đĐ]/g, "d").toLowerCase().replace(MARKS, "");
    if (/^\s+$/u.test(f)) f = " ";
    foldCache.set(ch, f);
  }
  return f;
}

/** "Dữ  LIỆU đăng ký" → "du lieu dang ky". */
export function fold(text: string): string {
  return foldWithMap(text).folded;
}

/**
 * Folds `text` and records, for every folded UTF-16 unit, the range of the original it came from, so a match in
 * the folded text can be marked in the original. Combining marks and collapsed spaces extend the previous range.
 */
export function foldWithMap(text: string): { folded: string; starts: number[]; ends: number[] } {
  let folded = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldCodePoint(ch);
    const emit = f === " " ? (folded.length > 0 && !folded.endsWith(" ") ? " " : "") : f;
    if (emit === "") {
      if (ends.length > 0) ends[ends.length - 1] = i + ch.length;
    } else {
      for (let k = 0; k < emit.length; k++) {
        starts.push(i);
        ends.push(i + ch.length);
      }
      folded += emit;
    }
    i += ch.length;
  }
  // A trailing collapsed space carries no meaning.
  if (folded.endsWith(" ")) {
    folded = folded.slice(0, -1);
    starts.pop();
    ends.pop();
  }
  return { folded, starts, ends };
}

export type SearchDoc = {
  courseSlug: string;
  courseTitle: string;
  lessonSlug: string;
  lessonNumber: number;
  lessonTitle: string;
  lang: "vi" | "en";
  /** Plain text, paragraphs separated by newlines. */
  text: string;
};

type IndexedDoc = SearchDoc & { foldedTitle: string; paragraphs: string[]; foldedParagraphs: string[]; foldedAll: string };

export type SearchIndex = { docs: IndexedDoc[] };

export function buildSearchIndex(docs: SearchDoc[]): SearchIndex {
  return {
    docs: docs.map((d) => {
      const paragraphs = d.text
        .split(/\n+/)
        .map((p) => p.trim())
        .filter(Boolean);
      const foldedParagraphs = paragraphs.map(fold);
      return { ...d, foldedTitle: fold(d.lessonTitle), paragraphs, foldedParagraphs, foldedAll: foldedParagraphs.join("\n") };
    }),
  };
}

export type SnippetPart = { text: string; hit: boolean };

export type SearchResult = {
  courseSlug: string;
  courseTitle: string;
  lessonSlug: string;
  lessonNumber: number;
  lessonTitle: string;
  lang: "vi" | "en";
  score: number;
  /** The lesson title with hits marked. */
  title: SnippetPart[];
  /** A piece of the best-matching paragraph with hits marked; empty when only the title matched. */
  snippet: SnippetPart[];
};

export type ParsedQuery = { phrase: string; terms: string[] };

const MAX_TERMS = 8;
/** Shorter queries are not searched (one letter matches nearly every lesson). */
export const MIN_QUERY_LENGTH = 2;

/** Folds the query and splits it into terms; terms shorter than 2 characters are dropped unless alone. */
export function parseQuery(query: string): ParsedQuery | null {
  const phrase = fold(query.slice(0, 200))
    .replace(/[^\p{L}\p{N} ]+/gu, " ")
    .replace(/ +/g, " ")
    .trim();
  if (phrase === "") return null;
  const all = [...new Set(phrase.split(" "))];
  const terms = (all.length === 1 ? all : all.filter((t) => t.length >= 2)).slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  return { phrase, terms };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const WORD = "\\p{L}\\p{N}";

/** Whole-word match, except that the last word the reader typed may be the start of a word. */
function termRegex(term: string, prefix: boolean): RegExp {
  return new RegExp(`(?<![${WORD}])${escapeRe(term)}${prefix ? "" : `(?![${WORD}])`}`, "gu");
}

function phraseRegex(phrase: string): RegExp {
  return new RegExp(`(?<![${WORD}])${escapeRe(phrase)}`, "gu");
}

type Matchers = { phrase: RegExp | null; terms: RegExp[] };

function matchers(q: ParsedQuery): Matchers {
  return {
    phrase: q.terms.length > 1 ? phraseRegex(q.phrase) : null,
    terms: q.terms.map((t, i) => termRegex(t, i === q.terms.length - 1)),
  };
}

function countMatches(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(s)) n++;
  return n;
}

/**
 * Folded ranges of the hits in `folded`, merged and sorted: the whole phrase where it occurs (marking every
 * lone "du" as well would be noise), else each term.
 */
function hitRanges(m: Matchers, folded: string): [number, number][] {
  const ranges: [number, number][] = [];
  const phraseHere = m.phrase !== null && countMatches(m.phrase, folded) > 0;
  for (const re of phraseHere ? [m.phrase!] : m.terms) {
    re.lastIndex = 0;
    let x: RegExpExecArray | null;
    while ((x = re.exec(folded))) {
      if (x[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      ranges.push([x.index, x.index + x[0].length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Splits `original[from, to)` into parts, marking the hits (given in original coordinates). */
function parts(original: string, from: number, to: number, hits: [number, number][]): SnippetPart[] {
  const out: SnippetPart[] = [];
  let pos = from;
  for (const [s0, e0] of hits) {
    const s = Math.max(s0, from);
    const e = Math.min(e0, to);
    if (e <= s) continue;
    if (s > pos) out.push({ text: original.slice(pos, s), hit: false });
    out.push({ text: original.slice(s, e), hit: true });
    pos = e;
  }
  if (pos < to) out.push({ text: original.slice(pos, to), hit: false });
  return out;
}

/** Marks hits in a whole short string (a title). */
export function highlight(original: string, q: ParsedQuery): SnippetPart[] {
  const { folded, starts, ends } = foldWithMap(original);
  const hits = hitRanges(matchers(q), folded).map(([s, e]) => [starts[s]!, ends[e - 1]!] as [number, number]);
  return parts(original, 0, original.length, hits);
}

/**
 * A window of about `width` characters of `paragraph` around its first hit, cut at word boundaries, with "…"
 * where it was cut and every hit inside it marked.
 */
export function makeSnippet(paragraph: string, q: ParsedQuery, width = 180): SnippetPart[] {
  const m = matchers(q);
  const { folded, starts, ends } = foldWithMap(paragraph);
  const hits = hitRanges(m, folded).map(([s, e]) => [starts[s]!, ends[e - 1]!] as [number, number]);
  if (hits.length === 0) return [];
  // Prefer the phrase as the window's anchor, else the first hit.
  let anchor = hits[0]!;
  if (m.phrase) {
    m.phrase.lastIndex = 0;
    const x = m.phrase.exec(folded);
    if (x) anchor = [starts[x.index]!, ends[x.index + x[0].length - 1]!];
  }
  let from = 0;
  let to = paragraph.length;
  if (paragraph.length > width) {
    const before = Math.floor((width - (anchor[1] - anchor[0])) / 3);
    from = Math.max(0, anchor[0] - Math.max(before, 20));
    to = Math.min(paragraph.length, from + width);
    if (to - from < width) from = Math.max(0, to - width);
    if (from > 0) {
      const sp = paragraph.indexOf(" ", from);
      if (sp !== -1 && sp < anchor[0]) from = sp + 1;
    }
    if (to < paragraph.length) {
      const sp = paragraph.lastIndexOf(" ", to);
      if (sp > anchor[1]) to = sp;
    }
  }
  const out = parts(paragraph, from, to, hits);
  if (from > 0) out.unshift({ text: "…", hit: false });
  if (to < paragraph.length) out.push({ text: "…", hit: false });
  return out;
}

export type SearchOptions = { limit?: number; preferLang?: "vi" | "en" };

/**
 * Every lesson (in each language it is written in) containing the query's words side by side, or, when none
 * does, all of them anywhere; best first: the whole phrase counts most, a hit in the title more than one in the
 * text, and the reader's language breaks ties.
 */
export function search(index: SearchIndex, query: string, opts: SearchOptions = {}): { query: ParsedQuery | null; total: number; results: SearchResult[] } {
  const q = parseQuery(query);
  if (!q) return { query: null, total: 0, results: [] };
  const m = matchers(q);
  let scored: { doc: IndexedDoc; score: number; phrase: boolean }[] = [];
  for (const doc of index.docs) {
    let score = 0;
    let all = true;
    for (const re of m.terms) {
      const inTitle = countMatches(re, doc.foldedTitle);
      const inText = countMatches(re, doc.foldedAll);
      if (inTitle + inText === 0) {
        all = false;
        break;
      }
      score += inTitle * 20 + Math.min(inText, 20);
    }
    if (!all) continue;
    let phrase = false;
    if (m.phrase) {
      const n = countMatches(m.phrase, doc.foldedTitle) * 5 + Math.min(countMatches(m.phrase, doc.foldedAll), 20);
      phrase = n > 0;
      score += n * 10;
    }
    if (opts.preferLang && doc.lang === opts.preferLang) score += 1;
    scored.push({ doc, score, phrase });
  }
  // Vietnamese syllables are short and common: when some lessons hold the words as typed, side by side, lessons
  // that merely contain each syllable somewhere are noise. Otherwise every lesson holding all words is a hit.
  if (scored.some((s) => s.phrase)) scored = scored.filter((s) => s.phrase);
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      a.doc.courseSlug.localeCompare(b.doc.courseSlug) ||
      a.doc.lessonNumber - b.doc.lessonNumber ||
      a.doc.lang.localeCompare(b.doc.lang),
  );
  const limit = opts.limit ?? 30;
  const results = scored.slice(0, limit).map(({ doc, score }) => {
    // The paragraph with the phrase, else the one with the most distinct terms.
    let best = -1;
    let bestScore = 0;
    doc.foldedParagraphs.forEach((p, i) => {
      let s = m.phrase && countMatches(m.phrase, p) > 0 ? 100 : 0;
      for (const re of m.terms) if (countMatches(re, p) > 0) s += 1;
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    });
    return {
      courseSlug: doc.courseSlug,
      courseTitle: doc.courseTitle,
      lessonSlug: doc.lessonSlug,
      lessonNumber: doc.lessonNumber,
      lessonTitle: doc.lessonTitle,
      lang: doc.lang,
      score,
      title: highlight(doc.lessonTitle, q),
      snippet: best >= 0 ? makeSnippet(doc.paragraphs[best]!, q) : [],
    };
  });
  return { query: q, total: scored.length, results };
}
