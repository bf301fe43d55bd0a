/**
 * The lesson page (ADR 0017). One renderer of its markup, used twice:
 * - by the Remix route (routes/courses.$slug.$lesson.tsx) for client navigations, `npm run dev`, and every
 *   answer that is not a lesson (login redirect, 404, 400), and
 * - by the plain handler scripts/server.ts mounts in front of Remix for document requests: the shell as strings
 *   (components/shell.server.ts), no React and no hydration, one small enhancement script
 *   (lesson.entry.client.ts). The lesson's body is the same for every reader, so its gzip is made once and
 *   spliced between the per-reader parts (utils/gzip-splice.server.ts).
 * Behaviour (mark read with and without JS, auto-mark at the end, resume, offline queue, self-checks) lives in
 * lesson-enhance.ts for both.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { z } from "zod";
import { getRoleGrants, roleNames, validateSessionCookie } from "~/auth/session.server";
import { documentHeadHtml, escapeHtml as e, routeStylesheets, siteFooterHtml, siteHeaderHtml, type AssetsManifestLike } from "~/components/shell.server";
import { detectLocale, makeT, offersEnglish, pageTitle, type Locale, type MessageKey } from "~/i18n";
import { takeFlash, type FlashNotice } from "~/utils/flash.server";
import { acceptsGzip, deflatePart, gzipParts, type DeflatedPart } from "~/utils/gzip-splice.server";
import { getLessonPage } from "./catalogue.server";
import type { Lang } from "./content-schema";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const LessonParamsSchema = z.object({ slug: z.string().regex(SLUG), lesson: z.string().regex(SLUG) });
export const LessonQuerySchema = z.object({ lang: z.enum(["vi", "en"]).optional() });

export type LessonData = NonNullable<Awaited<ReturnType<typeof getLessonPage>>> & {
  /** The reader's explicit ?lang= (kept on the mark-read form and links), or null. */
  requestedLang: Lang | null;
};

/** What a lesson page needs besides the lesson: who reads it, in which interface language. */
export async function loadLessonData(input: { personId: string | null; slug: string; lessonSlug: string; requestedLang: Lang | null; cookie: string | null }): Promise<LessonData | null> {
  const lang = input.requestedLang ?? detectLocale(input.cookie);
  const page = await getLessonPage({ personId: input.personId, slug: input.slug, lessonSlug: input.lessonSlug, lang, linkLang: input.requestedLang });
  return page ? { ...page, requestedLang: input.requestedLang } : null;
}

export function lessonTitle(locale: Locale, d: LessonData): string {
  return pageTitle(locale, d.lesson.title, d.course.title);
}

/**
 * The lesson's markup in three parts: before the body, the body (the prebuilt lesson HTML, the same for every
 * reader of this lesson and language), after it. `locale` is the interface language; the lesson itself may be
 * in the other one (?lang= or a missing translation).
 */
export function lessonParts(locale: Locale, d: LessonData): { before: string; body: string; after: string } {
  const t = makeT(locale);
  const { course, lesson, prev, next } = d;
  const base = `/courses/${course.slug}`;
  const here = `${base}/${lesson.slug}`;
  const langName = (l: Lang) => t(`courses.lang.${l}` as MessageKey);
  const other: Lang = lesson.lang === "vi" ? "en" : "vi";
  // "Read it in English" is written in the other language (the page's own interface stays in `locale`).
  const otherT = makeT(other);
  const readInOther = otherT("courses.lesson.readIn", { lang: otherT(`courses.lang.${other}` as MessageKey) });
  const hidden = (h: boolean) => (h ? " hidden" : "");

  let before =
    `<div class="lesson" data-course="${e(course.slug)}" data-lesson="${e(lesson.slug)}" data-person="${d.hasPerson ? "1" : ""}" data-read="${d.isRead ? "1" : ""}">` +
    `<nav aria-label="${e(t("courses.breadcrumb"))}" class="course-breadcrumb"><a href="/courses">${e(t("courses.catalogue.title"))}</a><span aria-hidden="true"> › </span><a href="${e(base)}">${e(course.title)}</a></nav>` +
    `<header class="lesson__header"><p class="muted lesson__meta">${e(t("courses.lesson.position", { position: lesson.position, total: course.lessonCount }))} · ${e(t("courses.lesson.minutes", { minutes: lesson.minutes }))}` +
    `<span class="badge course-status--completed" data-lesson-read${hidden(!d.isRead)}>${e(t("courses.course.read"))}</span></p>` +
    `<h1 lang="${lesson.lang}">${e(lesson.title)}</h1>`;
  if (lesson.fallbackFrom) {
    before += `<p class="alert lesson__fallback" role="note">${e(t("courses.lesson.fallback", { missing: langName(other), shown: langName(lesson.lang) }))}</p>`;
  } else if (lesson.languages.includes(other)) {
    before += `<p class="lesson__other-lang"><a href="${e(`${here}?lang=${other}`)}" lang="${other}" hreflang="${other}">${e(readInOther)}</a></p>`;
  }
  before += `</header>`;
  if (lesson.headings.length > 2) {
    before +=
      `<details class="lesson__toc"><summary>${e(t("courses.lesson.toc"))}</summary><ol>` +
      lesson.headings.map((h) => `<li><a href="#${e(h.id)}">${e(h.text)}</a></li>`).join("") +
      `</ol></details>`;
  }
  before += `<article lang="${lesson.lang}" class="lesson__body"><div class="mdx-body">`;

  let after = `</div></article><div class="lesson__end" aria-hidden="true">${e(t("courses.lesson.end"))}</div>`;
  after += `<section id="lesson-progress" class="card lesson__progress" aria-labelledby="lesson-progress-title"><h2 id="lesson-progress-title">${e(t("courses.lesson.progressTitle"))}</h2>`;
  if (!d.hasPerson) {
    after += `<p class="alert" role="note">${e(t("courses.noPerson"))}</p>`;
  } else {
    const { lessonsRead, lessonsTotal } = d.progress;
    const count = (read: number | string) => t("courses.progress.count", { read, total: lessonsTotal });
    after +=
      `<div aria-live="polite" role="status">` +
      `<p class="alert success" data-message="read"${hidden(!d.isRead)}>${e(t("courses.lesson.isRead"))}</p>` +
      `<p class="alert success" data-message="saved" hidden>${e(t("courses.lesson.justRead"))}</p>` +
      `<p class="alert success" data-message="queued" hidden>${e(t("courses.lesson.queued"))}</p>` +
      `<p class="alert error" data-message="error" hidden>${e(t("courses.lesson.error"))}</p></div>`;
    if (!d.isRead) {
      after +=
        `<form method="post" action="${e(here)}" class="lesson__mark"><input type="hidden" name="intent" value="read"/>` +
        (d.requestedLang ? `<input type="hidden" name="lang" value="${d.requestedLang}"/>` : "") +
        `<p class="muted">${e(t("courses.lesson.notRead"))}</p>` +
        `<button type="submit" class="primary" data-saving="${e(t("courses.lesson.saving"))}">${e(t("courses.lesson.markRead"))}</button></form>`;
    }
    after +=
      `<div class="course-progress"><progress max="${Math.max(lessonsTotal, 1)}" value="${lessonsRead}" aria-label="${e(t("courses.progress.label"))}" aria-valuetext="${e(count(lessonsRead))}" data-count="${e(count("{read}"))}"></progress>` +
      `<span class="course-progress__text">${e(count(lessonsRead))}</span></div>`;
    if (course.hasExam) {
      after += `<p data-exam${hidden(!d.examOpen)}><a href="${e(`${base}/exam`)}" class="button">${e(t("courses.exam.start"))}</a></p>`;
    }
  }
  after += `</section><nav aria-label="${e(t("courses.lesson.nav"))}" class="lesson__nav">`;
  const q = d.requestedLang ? `?lang=${d.requestedLang}` : "";
  after += prev
    ? `<a href="${e(`${base}/${prev.slug}${q}`)}" rel="prev" class="lesson__nav-prev"><span class="muted">← ${e(t("courses.lesson.prev"))}</span><span>${e(t("courses.course.lessonTitle", { number: prev.number, title: prev.title }))}</span></a>`
    : `<span></span>`;
  after += next
    ? `<a href="${e(`${base}/${next.slug}${q}`)}" rel="next" class="lesson__nav-next"><span class="muted">${e(t("courses.lesson.next"))} →</span><span>${e(t("courses.course.lessonTitle", { number: next.number, title: next.title }))}</span></a>`
    : `<a href="${e(base)}" class="lesson__nav-next"><span class="muted">${e(t("courses.lesson.backToCourse"))}</span><span>${e(course.title)}</span></a>`;
  after += `</nav></div>`;
  return { before, body: lesson.html, after };
}

/** components/ui/toast.tsx FlashToast as the server renders it (its close button comes with the script). */
export function flashHtml(notice: FlashNotice | null, closeLabel: string): string {
  if (!notice) return "";
  const role = notice.tone === "error" ? `role="alert" aria-live="assertive"` : `role="status" aria-live="polite"`;
  return `<div class="toast toast--${notice.tone}" data-testid="flash" data-close="${e(closeLabel)}"><div class="toast__text" ${role}>${e(notice.text)}</div></div>`;
}

// ---------------------------------------------------------------------------------------------------------------
// The plain document (scripts/server.ts mounts lessonPageHandler in front of Remix).

export interface LessonPageAssets {
  stylesheets: string[];
  /** The enhancement script's URL (the build's hashed file). */
  script: string;
}

/** Written by scripts/build-server.ts next to the server bundle: the built lesson script's URL. */
export const LESSON_SCRIPT_MANIFEST = "lesson-script.json";

/** Stylesheets of the lesson route (and of the course page, which links the same course and MDX styles). */
export function lessonPageAssets(assets: AssetsManifestLike, buildDir: string): LessonPageAssets {
  const file = path.join(buildDir, "server", LESSON_SCRIPT_MANIFEST);
  let script: string;
  try {
    script = (JSON.parse(readFileSync(file, "utf8")) as { src: string }).src;
  } catch {
    throw new Error(`${file} is missing or unreadable: run \`npm run build\` (scripts/build-server.ts writes it)`);
  }
  return { stylesheets: routeStylesheets(assets, ["routes/courses.$slug.$lesson", "routes/courses.$slug._index"]), script };
}

/** The whole document in three strings around the lesson body (which is `parts.body`). */
export function lessonDocument(p: {
  locale: Locale;
  offerEnglish: boolean;
  user: { displayName: string; roles: import("#db/schema").Role[] } | null;
  here: string;
  assets: LessonPageAssets;
  flash: FlashNotice | null;
  data: LessonData;
}): { head: string; body: string; tail: string } {
  const t = makeT(p.locale);
  const parts = lessonParts(p.locale, p.data);
  const head =
    documentHeadHtml({ locale: p.locale, title: lessonTitle(p.locale, p.data), stylesheets: p.assets.stylesheets }) +
    `<body>${siteHeaderHtml(p.locale, p.user, p.offerEnglish, p.here)}<main id="main" class="page">${flashHtml(p.flash, t("ui.toast.close"))}<div class="lesson-host">` +
    parts.before;
  const tail = parts.after + `</div></main>${siteFooterHtml(p.locale)}<script type="module" src="${e(p.assets.script)}"></script></body></html>`;
  return { head, body: parts.body, tail };
}

/** Deflated lesson bodies, by course/lesson/language/link language; checked against the text (content can change). */
const bodies = new Map<string, { html: string; part: DeflatedPart }>();
const MAX_BODIES = 2_000;

function deflatedBody(key: string, html: string): DeflatedPart {
  const hit = bodies.get(key);
  if (hit && hit.html === html) return hit.part;
  const part = deflatePart(html, 9);
  if (bodies.size >= MAX_BODIES) bodies.delete(bodies.keys().next().value!);
  bodies.set(key, { html, part });
  return part;
}

export type CspBuilder = (nonce: string) => string;

/**
 * Express handler for GET/HEAD /courses/:slug/:lesson. It answers the common case — a signed-in reader, a lesson
 * that exists — and passes everything else (signed out, unknown lesson, a bad ?lang=, /courses/x/exam) to Remix,
 * which redirects to the login or shows the error page as for any other route.
 */
export function createLessonPageHandler(assets: LessonPageAssets, csp: CspBuilder) {
  return async function lessonPage(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
    try {
      const params = LessonParamsSchema.safeParse(req.params);
      const query = LessonQuerySchema.safeParse(req.query);
      if (!params.success || !query.success || params.data.lesson === "exam") return next();
      const cookie = req.headers.cookie ?? null;
      const { user, setCookies } = await validateSessionCookie(cookie);
      if (!user) return next();
      const requestedLang = query.data.lang ?? null;
      const [data, grants] = await Promise.all([
        loadLessonData({ personId: user.personId, slug: params.data.slug, lessonSlug: params.data.lesson, requestedLang, cookie }),
        getRoleGrants(user.id),
      ]);
      if (!data) return next();
      const locale = detectLocale(cookie);
      const flash = takeFlash(cookie, locale);
      const doc = lessonDocument({
        locale,
        offerEnglish: offersEnglish(cookie, req.headers["accept-language"] ?? null),
        user: { displayName: user.displayName, roles: roleNames(grants) },
        here: req.originalUrl,
        assets,
        flash: flash.notice,
        data,
      });
      for (const c of setCookies) res.append("Set-Cookie", c);
      if (flash.setCookie) res.append("Set-Cookie", flash.setCookie);
      res.status(200);
      res.setHeader("X-Request-Id", randomUUID());
      res.setHeader("Content-Security-Policy", csp(randomBytes(16).toString("base64")));
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.setHeader("Cache-Control", "private, no-cache");
      res.setHeader("Vary", "Accept-Encoding, Cookie");
      if (!acceptsGzip(req.headers["accept-encoding"])) {
        // A client that takes no gzip (rare: a script, a proxy) gets the page uncompressed.
        res.end(req.method === "HEAD" ? undefined : doc.head + doc.body + doc.tail);
        return;
      }
      const key = `${data.course.slug}/${data.lesson.slug}/${data.lesson.lang}/${requestedLang ?? ""}`;
      const gz = gzipParts([deflatePart(doc.head), deflatedBody(key, doc.body), deflatePart(doc.tail)]);
      res.setHeader("Content-Encoding", "gzip");
      res.setHeader("Content-Length", String(gz.length));
      res.end(req.method === "HEAD" ? undefined : gz);
    } catch (error) {
      next(error);
    }
  };
}
