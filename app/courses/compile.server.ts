/**
 * The course content compiler: courses/ → build/content/. Validates every course (frontmatter, file layout,
 * languages, components, links, images, laws, exam via an injected validator), compiles each MDX page with
 * mdx-bundler and renders it to static HTML with the course components, and reports ALL problems as `file:line: message` before writing anything. Output is written to a
 * temporary folder and swapped in, so a failed build never leaves half an output behind.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { bundleMDX } from "mdx-bundler";
import { renderMdxToHtml } from "../components/mdx/render.server";
import {
  CourseFrontmatterSchema,
  isKebabSlug,
  LANGS,
  LessonFrontmatterSchema,
  parseLessonFileName,
  TRANSLATED_COURSE_KEYS,
  type CourseFrontmatter,
  type Lang,
  type LessonFileName,
  type LessonFrontmatter,
} from "./content-schema";
import {
  CONTENT_FORMAT,
  type CompiledPage,
  type ContentError,
  type ContentIndex,
  type CourseOverviewPage,
  type CourseSummary,
  type LessonPage,
  type LessonSummary,
} from "./content-types";
import { parseFrontmatter } from "./frontmatter";
import { parseLawsTable, type LawEntry } from "./laws";
import { analyzeTree, type LessonLink, type MdNode, type PageAnalysis } from "./mdx-checks";

export type { ContentError } from "./content-types";

/** Checks exam.yml (app/assessments/exam-schema.ts `parseExamYaml` fits); `exam` is kept in the output. */
export type ExamValidator = (
  text: string,
  file: string,
) => { exam?: unknown; errors: ContentError[]; warnings?: ContentError[] };

export type CompileOptions = {
  coursesDir: string;
  /** Where to write the output; default build/content. */
  outDir?: string;
  /** Set false to compile and validate only (the dev loader does). Default true. Nothing is written on errors. */
  write?: boolean;
  /** Error paths are relative to this; default process.cwd(). */
  rootDir?: string;
  /** Markdown file holding the laws table; default <coursesDir>/README.md. */
  lawsFile?: string;
  validateExam?: ExamValidator;
  /** MDX files compiled at once; default 4. */
  concurrency?: number;
};

export type CompiledLesson = LessonSummary & {
  /** One page per language; a missing language holds a copy of the other with `fallbackFrom` set. */
  pages: Record<Lang, LessonPage>;
};

export type CompiledCourse = {
  slug: string;
  /** Absolute path of courses/<slug>. */
  dir: string;
  version: string;
  frontmatter: Record<Lang, CourseFrontmatter>;
  overview: Record<Lang, CourseOverviewPage>;
  lessons: CompiledLesson[];
  hasExam: boolean;
  /** What validateExam returned for exam.yml (only when a validator was given). */
  exam?: unknown;
  assets: string[];
};

export type CompileResult = { courses: CompiledCourse[]; errors: ContentError[]; warnings: ContentError[] };

/** Per-course result, also used by the dev loader (content.server.ts) to compile one course at a time. */
export type CourseResult = {
  slug: string;
  course?: CompiledCourse;
  errors: ContentError[];
  warnings: ContentError[];
  /** Data for the cross-course checks (prerequisites, order). */
  meta?: { file: string; frontmatter: CourseFrontmatter; keyLine: (key: string) => number };
};

type Shared = {
  rootDir: string;
  laws: ReadonlyMap<string, LawEntry> | null;
  lawsFile: string;
  lawsErrors: ContentError[];
  validateExam?: ExamValidator;
  limit: <T>(task: () => Promise<T>) => Promise<T>;
};

const posix = (p: string) => p.split(path.sep).join("/");

/** Runs at most `n` tasks at once (esbuild is memory-hungry; the machine has 2 cores). */
export function createLimiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (active >= n) return;
    const start = queue.shift();
    if (start) {
      active++;
      start();
    }
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          });
      });
      next();
    });
}

/** Every file of a folder, recursively, as sorted posix paths relative to it. Dot-files are ignored. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string) => {
    const entries = await readdir(path.join(dir, sub), { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(rel);
      else if (e.isFile()) out.push(rel);
    }
  };
  if (existsSync(dir)) await walk("");
  return out.sort();
}

/**
 * The course version: sha256 over the sorted relative paths and bytes of every file in the course folder
 * (MDX, exam.yml, assets; dot-files ignored), first 16 hex characters. Any edit, rename or new file changes it.
 */
export async function hashCourseDir(dir: string, files?: string[]): Promise<string> {
  const list = files ?? (await listFiles(dir));
  const h = createHash("sha256");
  for (const rel of list) {
    const bytes = await readFile(path.join(dir, rel));
    h.update(`${rel}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return h.digest("hex").slice(0, 16);
}

/** Reads the laws table once; problems in it are reported as errors of that file. */
export async function loadLaws(lawsFile: string, rootDir: string): Promise<Pick<Shared, "laws" | "lawsFile" | "lawsErrors">> {
  const rel = posix(path.relative(rootDir, lawsFile));
  if (!existsSync(lawsFile)) return { laws: null, lawsFile: rel, lawsErrors: [] };
  const { laws, problems } = parseLawsTable(await readFile(lawsFile, "utf8"));
  return {
    laws: problems.some((p) => p.line === 0) ? null : new Map(laws.map((l) => [l.number, l])),
    lawsFile: rel,
    lawsErrors: problems.map((p) => ({ file: rel, line: p.line, message: p.message })),
  };
}

function firstNonNfcLine(source: string): number {
  const lines = source.split("\n");
  const i = lines.findIndex((l) => l !== l.normalize("NFC"));
  return i + 1;
}

/** Turns an mdx-bundler/esbuild failure into errors with the file's own line numbers. */
function bundleErrors(e: unknown, file: string): ContentError[] {
  const list = (e as { errors?: { text?: string; location?: { line?: number } | null }[] }).errors;
  if (!Array.isArray(list) || list.length === 0) {
    return [{ file, line: 0, message: `MDX could not be compiled: ${e instanceof Error ? e.message : String(e)}` }];
  }
  return list.map((x) => {
    let message = (x.text ?? "unknown error").replace(/^Cannot process MDX file with esbuild:\s*/, "");
    const pos = /^\s*(\d+):(\d+)(?:-\d+:\d+)?:\s*/.exec(message);
    let line = x.location?.line ?? 0;
    if (pos) {
      line = Number(pos[1]);
      message = message.slice(pos[0].length);
    }
    return { file, line, message: `MDX syntax error: ${message.split("\n")[0]!.trim()}` };
  });
}

type PageResult<F> = {
  page?: CompiledPage<F>;
  frontmatter?: F;
  keyLine: (key: string) => number;
  raw?: Record<string, unknown>;
  anchoredLessonLinks: LessonLink[];
  errors: ContentError[];
  warnings: ContentError[];
};

async function compilePage<F>(
  absFile: string,
  shared: Shared,
  schema: typeof CourseFrontmatterSchema | typeof LessonFrontmatterSchema,
  ctx: { lessonIds: ReadonlySet<string>; assets: ReadonlySet<string>; slug: string },
  lang: Lang,
): Promise<PageResult<F>> {
  const file = posix(path.relative(shared.rootDir, absFile));
  const errors: ContentError[] = [];
  const warnings: ContentError[] = [];
  let source = (await readFile(absFile, "utf8")).replace(/^\uFEFF/, "");
  if (source !== source.normalize("NFC")) {
    warnings.push({
      file,
      line: firstNonNfcLine(source),
      message: "text is not Unicode NFC (decomposed diacritics); it was normalised for the build, please save the file as NFC",
    });
    source = source.normalize("NFC");
  }
  const fm = parseFrontmatter(source, file, schema);
  errors.push(...fm.errors);
  const base = { keyLine: fm.keyLine, raw: fm.raw, frontmatter: fm.data as F | undefined };
  if (!fm.yamlOk) return { ...base, anchoredLessonLinks: [], errors, warnings };

  let analysis: PageAnalysis | undefined;
  const checker = () => (tree: unknown) => {
    analysis = analyzeTree(tree as MdNode, {
      file,
      lessonIds: ctx.lessonIds,
      assets: ctx.assets,
      laws: shared.laws,
      lawsFile: shared.lawsFile,
    });
  };
  let code: string | undefined;
  try {
    const result = await shared.limit(() =>
      bundleMDX({
        source,
        cwd: path.dirname(absFile),
        // Frontmatter is parsed (and line-checked) above; stop gray-matter from parsing it a second time.
        grayMatterOptions: (o) => ({ ...o, engines: { yaml: () => ({}) } }),
        mdxOptions: (o) => ({ ...o, remarkPlugins: [...(o.remarkPlugins ?? []), checker] }),
        esbuildOptions: (o) => ({ ...o, logLevel: "silent" }),
      }),
    );
    code = result.code;
  } catch (e) {
    errors.push(...bundleErrors(e, file));
  }
  if (analysis) {
    errors.push(...analysis.errors);
    warnings.push(...analysis.warnings);
  }
  // Rendered once here, never per request (docs/decisions/0009-lesson-pages-static-html.md). A page that fails
  // the checks may also fail to render (a component without its props): the checks' errors say why, then.
  let html = "";
  if (code !== undefined && analysis && fm.data) {
    try {
      html = renderMdxToHtml(code, { lang, assetBase: `/course-assets/${ctx.slug}`, lessonHref: (lesson) => `/courses/${ctx.slug}/${lesson}` });
    } catch (e) {
      if (errors.length === 0) errors.push({ file, line: 0, message: `MDX could not be rendered: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  const page =
    code !== undefined && analysis && fm.data
      ? { html, frontmatter: fm.data as F, headings: analysis.headings, text: analysis.text, wordCount: analysis.wordCount }
      : undefined;
  return { ...base, page, anchoredLessonLinks: analysis?.anchoredLessonLinks ?? [], errors, warnings };
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const TOP_LEVEL = new Set(["course.vi.mdx", "course.en.mdx", "exam.yml", "lessons", "assets", "README.md"]);

async function compileCourseWith(dir: string, shared: Shared): Promise<CourseResult> {
  const slug = path.basename(dir);
  const rel = (p: string) => posix(path.relative(shared.rootDir, path.join(dir, p)));
  const errors: ContentError[] = [];
  const warnings: ContentError[] = [];
  const result = (extra: Partial<CourseResult> = {}): CourseResult => ({ slug, errors, warnings, ...extra });

  if (!isKebabSlug(slug)) {
    errors.push({ file: rel(""), line: 0, message: `course folder name "${slug}" is not a valid slug: use lower-kebab ASCII (a-z, 0-9, single hyphens)` });
    return result();
  }
  const files = await listFiles(dir);
  const version = await hashCourseDir(dir, files);
  for (const top of new Set(files.map((f) => f.split("/")[0]!))) {
    if (!TOP_LEVEL.has(top)) warnings.push({ file: rel(top), line: 0, message: `unexpected file or folder in the course; expected course.<lang>.mdx, lessons/, assets/, exam.yml` });
  }
  const assets = new Set(files.filter((f) => f.startsWith("assets/")).map((f) => f.slice("assets/".length)));

  // Lessons: names, numbering, languages.
  const lessonFiles: (LessonFileName & { name: string })[] = [];
  for (const f of files.filter((x) => x.startsWith("lessons/"))) {
    const name = f.slice("lessons/".length);
    if (name.includes("/")) {
      errors.push({ file: rel(f), line: 0, message: "lessons/ must not contain sub-folders; put images in assets/" });
      continue;
    }
    const parsed = parseLessonFileName(name);
    if ("error" in parsed) errors.push({ file: rel(f), line: 0, message: parsed.error });
    else lessonFiles.push({ ...parsed, name });
  }
  if (lessonFiles.length === 0 && !errors.some((e) => e.file.startsWith(rel("lessons")))) {
    errors.push({ file: rel("lessons"), line: 0, message: "the course has no lessons (expected lessons/01-<slug>.vi.mdx, …)" });
  }
  const byNumber = new Map<string, Set<string>>();
  const bySlug = new Map<string, Set<string>>();
  for (const l of lessonFiles) {
    byNumber.set(l.nn, (byNumber.get(l.nn) ?? new Set()).add(l.slug));
    bySlug.set(l.slug, (bySlug.get(l.slug) ?? new Set()).add(l.nn));
  }
  for (const l of lessonFiles) {
    const slugs = [...byNumber.get(l.nn)!].sort();
    if (slugs.length > 1 && slugs[0] !== l.slug) {
      errors.push({ file: rel(`lessons/${l.name}`), line: 0, message: `duplicate lesson number ${l.nn}: used by ${slugs.map((s) => `${l.nn}-${s}`).join(" and ")}; renumber one of them` });
    }
    const nns = [...bySlug.get(l.slug)!].sort();
    if (nns.length > 1 && nns[0] !== l.nn) {
      errors.push({ file: rel(`lessons/${l.name}`), line: 0, message: `duplicate lesson slug "${l.slug}": used by ${nns.map((n) => `${n}-${l.slug}`).join(" and ")}; lesson slugs must be unique in a course` });
    }
  }
  const numbers = [...byNumber.keys()].map(Number).sort((a, b) => a - b);
  numbers.forEach((n, i) => {
    if (n !== i + 1 && (i === 0 || numbers[i - 1] !== n - 1)) {
      warnings.push({ file: rel("lessons"), line: 0, message: `lesson numbers have a gap: expected ${String(i + 1).padStart(2, "0")}, found ${String(n).padStart(2, "0")}` });
    }
  });
  const lessonIds = new Set(lessonFiles.map((l) => `${l.nn}-${l.slug}`));
  const ctx = { lessonIds, assets, slug };

  // Compile everything of this course (the limiter bounds parallelism across courses).
  const courseFile = (lang: Lang) => path.join(dir, `course.${lang}.mdx`);
  const overviewJobs = LANGS.map(async (lang) => {
    if (!existsSync(courseFile(lang))) {
      errors.push({ file: rel(`course.${lang}.mdx`), line: 0, message: `missing file: every course needs ${LANGS.map((l) => `course.${l}.mdx`).join(" and ")}` });
      return [lang, undefined] as const;
    }
    return [lang, await compilePage<CourseFrontmatter>(courseFile(lang), shared, CourseFrontmatterSchema, ctx, lang)] as const;
  });
  const lessonJobs = lessonFiles.map(async (l) => {
    const r = await compilePage<LessonFrontmatter>(path.join(dir, "lessons", l.name), shared, LessonFrontmatterSchema, ctx, l.lang);
    return [l, r] as const;
  });
  const overviews = new Map<Lang, PageResult<CourseFrontmatter>>();
  for (const [lang, r] of await Promise.all(overviewJobs)) if (r) overviews.set(lang, r);
  const lessonResults = await Promise.all(lessonJobs);
  for (const r of [...overviews.values(), ...lessonResults.map(([, x]) => x)]) {
    errors.push(...r.errors);
    warnings.push(...r.warnings);
  }

  // Course frontmatter must agree between languages, except the translated keys.
  const [viO, enO] = [overviews.get("vi"), overviews.get("en")];
  if (viO?.raw && enO?.raw) {
    const a = viO.frontmatter ?? viO.raw;
    const b = enO.frontmatter ?? enO.raw;
    const keys = viO.frontmatter && enO.frontmatter ? Object.keys({ ...a, ...b }) : Object.keys(a).filter((k) => k in b);
    for (const key of keys) {
      if ((TRANSLATED_COURSE_KEYS as readonly string[]).includes(key)) continue;
      const va = (a as Record<string, unknown>)[key];
      const vb = (b as Record<string, unknown>)[key];
      if (!deepEqual(va, vb)) {
        errors.push({
          file: rel("course.en.mdx"),
          line: enO.keyLine(key) || viO.keyLine(key),
          message: `"${key}" differs between languages: ${JSON.stringify(vb)} here but ${JSON.stringify(va)} in course.vi.mdx; only ${TRANSLATED_COURSE_KEYS.join(" and ")} are translated`,
        });
      }
    }
  }
  const mainFm = viO?.frontmatter ?? enO?.frontmatter;
  const mainO = viO?.frontmatter ? viO : enO;

  // Lessons present in one language only fall back to the other (warning), and should agree on minutes/digcomp.
  type Group = { number: number; nn: string; slug: string; byLang: Partial<Record<Lang, PageResult<LessonFrontmatter>>>; names: Partial<Record<Lang, string>> };
  const groups = new Map<string, Group>();
  for (const [l, r] of lessonResults) {
    const id = `${l.nn}-${l.slug}`;
    const g = groups.get(id) ?? { number: l.number, nn: l.nn, slug: l.slug, byLang: {}, names: {} };
    g.byLang[l.lang] = r;
    g.names[l.lang] = l.name;
    groups.set(id, g);
  }
  for (const [id, g] of groups) {
    const have = LANGS.filter((lang) => g.byLang[lang]);
    for (const lang of LANGS.filter((x) => !g.byLang[x])) {
      warnings.push({ file: rel(`lessons/${g.names[have[0]!]}`), line: 0, message: `lesson ${id} has no ${lang === "vi" ? "Vietnamese" : "English"} file (${id}.${lang}.mdx); ${lang} readers will see this ${have[0]} text with a note` });
    }
    const [a, b] = [g.byLang.vi?.frontmatter, g.byLang.en?.frontmatter];
    if (a && b) {
      for (const key of ["minutes", "digcomp"] as const) {
        if (!deepEqual(a[key] ?? null, b[key] ?? null)) {
          warnings.push({ file: rel(`lessons/${g.names.en}`), line: g.byLang.en!.keyLine(key) || 1, message: `${key} is ${JSON.stringify(b[key] ?? null)} here but ${JSON.stringify(a[key] ?? null)} in ${g.names.vi}; the Vietnamese value is used` });
        }
      }
    }
  }

  // Links to a heading of another lesson: the heading must exist (ids come from the heading text).
  const pageOf = (id: string, lang: Lang) => {
    const g = groups.get(id);
    return g?.byLang[lang]?.page ?? g?.byLang[lang === "vi" ? "en" : "vi"]?.page;
  };
  const linkSources: { lang: Lang; r: PageResult<unknown> }[] = [
    ...[...overviews].map(([lang, r]) => ({ lang, r: r as PageResult<unknown> })),
    ...lessonResults.map(([l, r]) => ({ lang: l.lang, r: r as PageResult<unknown> })),
  ];
  for (const { lang, r } of linkSources) {
    for (const link of r.anchoredLessonLinks) {
      const target = pageOf(link.target, lang);
      if (target && link.anchor && !target.headings.some((h) => h.id === link.anchor)) {
        warnings.push({
          file: linkFile(r, lessonResults, overviews, rel),
          line: link.line,
          message: `link "./${link.target}#${link.anchor}": lesson ${link.target} has no heading with id "${link.anchor}" (ids: ${target.headings.map((h) => h.id).join(", ") || "none"})`,
        });
      }
    }
  }

  // exam.yml: required when the course completes with an exam; its content is checked by the injected validator.
  let exam: unknown;
  const hasExamFile = files.includes("exam.yml");
  if (mainFm?.completion.exam && !hasExamFile) {
    errors.push({ file: rel(`course.${viO?.frontmatter ? "vi" : "en"}.mdx`), line: mainO?.keyLine("completion") ?? 0, message: "completion.exam is true but the course has no exam.yml" });
  }
  if (mainFm && !mainFm.completion.exam && hasExamFile) {
    warnings.push({ file: rel("exam.yml"), line: 0, message: "exam.yml is ignored because completion.exam is false in the course frontmatter" });
  }
  if (hasExamFile && shared.validateExam && mainFm?.completion.exam !== false) {
    const text = (await readFile(path.join(dir, "exam.yml"), "utf8")).replace(/^\uFEFF/, "");
    const r = shared.validateExam(text, rel("exam.yml"));
    errors.push(...r.errors);
    warnings.push(...(r.warnings ?? []));
    exam = r.exam;
  }

  const meta = mainFm && mainO ? { file: rel(`course.${mainO === viO ? "vi" : "en"}.mdx`), frontmatter: mainFm, keyLine: mainO.keyLine } : undefined;
  if (errors.length > 0 || !viO?.page || !enO?.page || !viO.frontmatter || !enO.frontmatter) return result({ meta });

  const lessons: CompiledLesson[] = [...groups.entries()]
    .sort(([, x], [, y]) => x.number - y.number)
    .map(([id, g]) => {
      const own = (lang: Lang) => g.byLang[lang]?.page;
      const pages = Object.fromEntries(
        LANGS.map((lang) => {
          const other: Lang = lang === "vi" ? "en" : "vi";
          const page = own(lang) ?? { ...own(other)!, fallbackFrom: other };
          return [lang, page];
        }),
      ) as Record<Lang, LessonPage>;
      const languages = LANGS.filter((lang) => own(lang));
      const primary = own("vi") ?? own("en")!;
      const pick = <T,>(f: (p: LessonPage) => T) => Object.fromEntries(languages.map((lang) => [lang, f(own(lang)!)])) as Partial<Record<Lang, T>>;
      return {
        id,
        number: g.number,
        slug: g.slug,
        title: pick((p) => p.frontmatter.title),
        summary: pick((p) => p.frontmatter.summary),
        minutes: primary.frontmatter.minutes,
        digcomp: primary.frontmatter.digcomp ?? [],
        languages,
        wordCount: pick((p) => p.wordCount),
        pages,
      };
    });
  const course: CompiledCourse = {
    slug,
    dir,
    version,
    frontmatter: { vi: viO.frontmatter, en: enO.frontmatter },
    overview: { vi: viO.page, en: enO.page },
    lessons,
    hasExam: mainFm!.completion.exam && hasExamFile,
    ...(shared.validateExam && exam !== undefined ? { exam } : {}),
    assets: [...assets],
  };
  return result({ course, meta });
}

function linkFile(
  r: PageResult<unknown>,
  lessons: readonly (readonly [LessonFileName & { name: string }, PageResult<LessonFrontmatter>])[],
  overviews: Map<Lang, PageResult<CourseFrontmatter>>,
  rel: (p: string) => string,
): string {
  const lesson = lessons.find(([, x]) => (x as unknown) === r);
  if (lesson) return rel(`lessons/${lesson[0].name}`);
  for (const [lang, x] of overviews) if ((x as unknown) === r) return rel(`course.${lang}.mdx`);
  return rel("");
}

async function sharedContext(opts: Omit<CompileOptions, "outDir" | "write">): Promise<Shared> {
  const rootDir = path.resolve(opts.rootDir ?? process.cwd());
  const lawsPath = path.resolve(opts.lawsFile ?? path.join(opts.coursesDir, "README.md"));
  return { rootDir, ...(await loadLaws(lawsPath, rootDir)), validateExam: opts.validateExam, limit: createLimiter(opts.concurrency ?? 4) };
}

/** Compiles one course folder (no cross-course checks, no output). */
export async function compileCourse(courseDir: string, opts: Omit<CompileOptions, "outDir" | "write">): Promise<CourseResult> {
  const shared = await sharedContext(opts);
  const r = await compileCourseWith(path.resolve(courseDir), shared);
  if (shared.lawsErrors.length) r.errors.unshift(...shared.lawsErrors);
  return r;
}

/** Checks between courses: prerequisites exist and have no cycles; catalogue order is unique. */
export function crossCheckCourses(results: CourseResult[]): { errors: ContentError[]; warnings: ContentError[] } {
  const errors: ContentError[] = [];
  const warnings: ContentError[] = [];
  const metas = results.filter((r) => r.meta).map((r) => ({ slug: r.slug, ...r.meta! }));
  const known = new Set(results.map((r) => r.slug));
  const graph = new Map<string, string[]>();
  for (const m of metas) {
    const line = m.keyLine("prerequisites");
    for (const p of m.frontmatter.prerequisites) {
      if (p === m.slug) errors.push({ file: m.file, line, message: `a course cannot be its own prerequisite ("${p}")` });
      else if (!known.has(p)) errors.push({ file: m.file, line, message: `prerequisite "${p}" is not a course in courses/ (known: ${[...known].sort().join(", ")})` });
    }
    graph.set(m.slug, m.frontmatter.prerequisites.filter((p) => p !== m.slug && known.has(p)));
  }
  const state = new Map<string, "visiting" | "done">();
  const reported = new Set<string>();
  const dfs = (slug: string, trail: string[]) => {
    if (state.get(slug) === "done") return;
    if (state.get(slug) === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(slug)), slug];
      const m = metas.find((x) => x.slug === slug)!;
      const key = [...cycle].sort().join(",");
      if (!reported.has(key)) {
        reported.add(key);
        errors.push({ file: m.file, line: m.keyLine("prerequisites"), message: `prerequisites form a cycle: ${cycle.join(" → ")}` });
      }
      return;
    }
    state.set(slug, "visiting");
    for (const next of graph.get(slug) ?? []) dfs(next, [...trail, slug]);
    state.set(slug, "done");
  };
  for (const m of metas) dfs(m.slug, []);
  const byOrder = new Map<number, string[]>();
  for (const m of metas) byOrder.set(m.frontmatter.order, [...(byOrder.get(m.frontmatter.order) ?? []), m.slug]);
  for (const m of metas) {
    const same = byOrder.get(m.frontmatter.order)!;
    if (same.length > 1 && same[0] !== m.slug) {
      warnings.push({ file: m.file, line: m.keyLine("order"), message: `order ${m.frontmatter.order} is also used by ${same.filter((s) => s !== m.slug).join(", ")}; the catalogue falls back to the slug` });
    }
  }
  return { errors, warnings };
}

const byPosition = (a: ContentError, b: ContentError) => a.file.localeCompare(b.file) || a.line - b.line;

/** Compiles every course under coursesDir, reporting all errors; writes the output only when there are none. */
export async function compileCourses(opts: CompileOptions): Promise<CompileResult> {
  const coursesDir = path.resolve(opts.coursesDir);
  const shared = await sharedContext(opts);
  const errors: ContentError[] = [...shared.lawsErrors];
  const warnings: ContentError[] = [];
  if (!existsSync(coursesDir) || !(await stat(coursesDir)).isDirectory()) {
    return { courses: [], errors: [{ file: posix(path.relative(shared.rootDir, coursesDir)), line: 0, message: "courses folder not found" }], warnings };
  }
  const dirs = (await readdir(coursesDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => path.join(coursesDir, e.name))
    .sort();
  const results = await Promise.all(dirs.map((d) => compileCourseWith(d, shared)));
  for (const r of results) {
    errors.push(...r.errors);
    warnings.push(...r.warnings);
  }
  const cross = crossCheckCourses(results);
  errors.push(...cross.errors);
  warnings.push(...cross.warnings);
  errors.sort(byPosition);
  warnings.sort(byPosition);
  const courses = results.flatMap((r) => (r.course ? [r.course] : []));
  if (errors.length === 0 && opts.write !== false) {
    await writeContent(path.resolve(shared.rootDir, opts.outDir ?? "build/content"), courses);
  }
  return { courses, errors, warnings };
}

/** The catalogue index: course metadata and lesson lists, no compiled code. */
export function buildContentIndex(courses: CompiledCourse[]): ContentIndex {
  const summaries: CourseSummary[] = courses
    .map((c) => ({
      slug: c.slug,
      version: c.version,
      order: c.frontmatter.vi.order,
      title: { vi: c.frontmatter.vi.title, en: c.frontmatter.en.title },
      summary: { vi: c.frontmatter.vi.summary, en: c.frontmatter.en.summary },
      frontmatter: c.frontmatter,
      lessons: c.lessons.map(({ pages: _pages, ...summary }) => summary),
      hasExam: c.hasExam,
      assets: c.assets,
    }))
    .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
  return { format: CONTENT_FORMAT, courses: summaries };
}

/** Writes build/content atomically: everything goes to a sibling temp folder which then replaces outDir. */
export async function writeContent(outDir: string, courses: CompiledCourse[]): Promise<void> {
  const parent = path.dirname(outDir);
  await mkdir(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = path.join(parent, `.${path.basename(outDir)}.tmp-${stamp}`);
  const old = path.join(parent, `.${path.basename(outDir)}.old-${stamp}`);
  const json = (v: unknown) => JSON.stringify(v);
  try {
    await mkdir(tmp, { recursive: true });
    await writeFile(path.join(tmp, "index.json"), json(buildContentIndex(courses)));
    for (const c of courses) {
      const cdir = path.join(tmp, c.slug);
      await mkdir(cdir, { recursive: true });
      for (const lang of LANGS) {
        await writeFile(path.join(cdir, `_course.${lang}.json`), json(c.overview[lang]));
      }
      for (const l of c.lessons) {
        for (const lang of LANGS) {
          await writeFile(path.join(cdir, `${l.slug}.${lang}.json`), json(l.pages[lang]));
        }
      }
      if (c.exam !== undefined) await writeFile(path.join(cdir, "exam.json"), json(c.exam));
      if (c.assets.length) {
        await cp(path.join(c.dir, "assets"), path.join(cdir, "assets"), {
          recursive: true,
          filter: (src) => !path.basename(src).startsWith("."),
        });
      }
    }
    if (existsSync(outDir)) await rename(outDir, old);
    await rename(tmp, outDir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}

/** `file:line: message` (line left out when it is 0, i.e. the whole file). */
export function formatContentError(e: ContentError): string {
  return e.line > 0 ? `${e.file}:${e.line}: ${e.message}` : `${e.file}: ${e.message}`;
}
