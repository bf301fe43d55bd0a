import "~/components/mdx/mdx.css";
import "~/styles/courses.css";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { ReadingProgress } from "~/components/courses/progress";
import { LessonBody } from "~/components/mdx";
import { getLessonPage } from "~/courses/catalogue.server";
import { markLessonRead, recordLessonVisit, UnknownLessonError } from "~/courses/progress.server";
import { enqueueRead, flushQueue, postRead } from "~/courses/offline-queue";
import { detectLocale, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useT } from "~/i18n/react";
import { badRequest, notFound } from "~/utils/http";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ParamsSchema = z.object({ slug: z.string().regex(SLUG), lesson: z.string().regex(SLUG) });
const QuerySchema = z.object({ lang: z.enum(["vi", "en"]).optional() });
/**
 * POST body. `eventId`: id of the client event (the offline queue replays events with it; a replay never counts
 * twice). `js=1`: sent by the enhanced page, which wants data back instead of a redirect.
 */
const ActionSchema = z.object({
  intent: z.enum(["read", "visit"]),
  eventId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/)
    .optional(),
  js: z.literal("1").optional(),
  lang: z.enum(["vi", "en"]).optional(),
});

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, data?.lesson.title ?? "", data?.course.title ?? "") }];
};

export async function loader(args: LoaderFunctionArgs) {
  const params = ParamsSchema.safeParse(args.params);
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(args.request.url).searchParams));
  if (!params.success) throw notFound();
  if (!query.success) throw badRequest("Unknown language");
  const user = await requireUser(args);
  const lang = query.data.lang ?? detectLocale(args.request.headers.get("Cookie"));
  const page = await getLessonPage({ personId: user.personId, slug: params.data.slug, lessonSlug: params.data.lesson, lang, linkLang: query.data.lang ?? null });
  if (!page) throw notFound();
  // "Read it in English" is written in the other language, whose catalogue browsers do not load (ADR 0009).
  const other = page.lesson.lang === "vi" ? "en" : "vi";
  const otherT = makeT(other);
  const readInOther = otherT("courses.lesson.readIn", { lang: otherT(`courses.lang.${other}` as MessageKey) });
  const data = { ...page, readInOther, requestedLang: query.data.lang ?? null };
  // A document carries the lesson HTML once, in the page, not again in the hydration data (prebuilt.tsx).
  if (args.context.documentRequest && args.context.prebuilt) {
    args.context.prebuilt.html = page.lesson.html;
    return { ...data, lesson: { ...page.lesson, html: null } };
  }
  return data;
}

export async function action(args: ActionFunctionArgs) {
  const params = ParamsSchema.safeParse(args.params);
  if (!params.success) throw notFound();
  const form = ActionSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!form.success) throw badRequest("Bad progress event");
  const user = await requireUser(args);
  if (!user.personId) return data({ ok: false as const, error: "no_person" as const }, { status: 409 });
  const target = { personId: user.personId, courseId: params.data.slug, lessonSlug: params.data.lesson };
  try {
    if (form.data.intent === "visit") {
      await recordLessonVisit(target);
      return { ok: true as const, outcome: "visited" as const };
    }
    const result = await markLessonRead({ ...target, eventId: form.data.eventId });
    if (form.data.js) return { ok: true as const, outcome: result.outcome, progress: result.progress };
    // Without JavaScript: back to the lesson (post/redirect/get), scrolled to the progress box.
    const lang = form.data.lang ? `?lang=${form.data.lang}` : "";
    throw redirect(`/courses/${params.data.slug}/${params.data.lesson}${lang}#lesson-progress`, 303);
  } catch (e) {
    if (!(e instanceof UnknownLessonError)) throw e;
    // A background request (visit beacon, auto-mark) must never replace the page with an error page.
    if (form.data.js || form.data.intent === "visit") return data({ ok: false as const, error: "unknown_lesson" as const }, { status: 404 });
    throw notFound();
  }
}

/** A visit beacon changes nothing on screen: do not reload the page's data after it. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "visit" ? false : defaultShouldRevalidate;

function newEventId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** localStorage can be missing or refuse (private mode, quota): resume-in-lesson is a nicety, never an error. */
function safeStorage<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/** The reader must have had the page open this long, and the end of the lesson in view this long, to auto-mark. */
const MIN_OPEN_MS = 5_000;
const MIN_AT_END_MS = 1_500;

export default function LessonPage() {
  const { course, lesson, prev, next, isRead, hasPerson, progress, examOpen, requestedLang, readInOther } = useLoaderData<typeof loader>();
  const t = useT();
  const base = `/courses/${course.slug}`;
  const read = useFetcher<typeof action>({ key: `read:${course.slug}/${lesson.slug}` });
  const [hydrated, setHydrated] = useState(false);
  const sentinel = useRef<HTMLDivElement>(null);
  const openedAt = useRef(Date.now());
  const saving = read.state !== "idle";
  const failed = read.state === "idle" && read.data !== undefined && !read.data.ok;
  // Auto-marking goes through the offline queue: "saved" when the server has it, "queued" while offline.
  const [autoRead, setAutoRead] = useState<null | "saved" | "queued">(null);
  const justRead = (read.data?.ok && read.data.outcome !== "visited") || autoRead !== null;
  const done = isRead || Boolean(justRead);

  // Deliver progress queued while offline: now, and whenever the connection comes back.
  useEffect(() => {
    const flush = () => void flushQueue(localStorage, postRead).catch(() => undefined);
    flush();
    window.addEventListener("online", flush);
    return () => window.removeEventListener("online", flush);
  }, []);

  useEffect(() => setHydrated(true), []);

  // Resume point: tell the server which lesson is open (a POST, since loaders never write).
  useEffect(() => {
    if (!hasPerson) return;
    openedAt.current = Date.now();
    // A plain fire-and-forget POST: offline or on a dropped connection the lesson must still render (a failed
    // fetcher would replace the page with the error boundary), and no loader needs to revalidate.
    if (!navigator.onLine) return;
    fetch(`${base}/${lesson.slug}`, { method: "POST", body: new URLSearchParams({ intent: "visit", js: "1" }), credentials: "same-origin" }).catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hasPerson, base, lesson.slug]);

  // Resume within the lesson on this device: remember the last section heading scrolled past, and go back to it
  // when the unread lesson is opened again without an explicit #anchor.
  useEffect(() => {
    const key = `lms:section:${course.slug}/${lesson.slug}`;
    const article = document.querySelector("article.lesson__body");
    if (!article) return;
    const saved = safeStorage(() => localStorage.getItem(key));
    if (!done && saved && !window.location.hash) document.getElementById(saved)?.scrollIntoView();
    let pending = false;
    const onScroll = () => {
      if (pending) return;
      pending = true;
      setTimeout(() => {
        pending = false;
        let current: string | null = null;
        for (const h of article.querySelectorAll("h2[id]")) if (h.getBoundingClientRect().top < 120) current = h.id;
        safeStorage(() => (current ? localStorage.setItem(key, current) : localStorage.removeItem(key)));
      }, 500);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [course.slug, lesson.slug]);

  // Auto-mark when the reader reaches the end of the lesson and stays there a moment.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasPerson || done || typeof IntersectionObserver === "undefined") return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sent = false;
    const send = () => {
      if (sent) return;
      sent = true;
      const url = `${base}/${lesson.slug}`;
      enqueueRead(localStorage, { url, eventId: newEventId() });
      void flushQueue(localStorage, postRead).then((left) => setAutoRead(left.some((q) => q.url === url) ? "queued" : "saved"));
    };
    const observer = new IntersectionObserver((entries) => {
      const visible = entries.some((e) => e.isIntersecting);
      clearTimeout(timer);
      if (visible) timer = setTimeout(send, Math.max(MIN_AT_END_MS, openedAt.current + MIN_OPEN_MS - Date.now()));
    });
    observer.observe(el);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hasPerson, done, base, lesson.slug]);

  const other = lesson.lang === "vi" ? "en" : "vi";
  const langName = (l: "vi" | "en") => t(`courses.lang.${l}` as MessageKey);
  return (
    <div className="lesson">
      <nav aria-label={t("courses.breadcrumb")} className="course-breadcrumb">
        <Link to="/courses">{t("courses.catalogue.title")}</Link>
        <span aria-hidden="true"> › </span>
        <Link to={base}>{course.title}</Link>
      </nav>
      <header className="lesson__header">
        <p className="muted lesson__meta">
          {t("courses.lesson.position", { position: lesson.position, total: course.lessonCount })} · {t("courses.lesson.minutes", { minutes: lesson.minutes })}
          {done ? <span className="badge course-status--completed">{t("courses.course.read")}</span> : null}
        </p>
        <h1 lang={lesson.lang}>{lesson.title}</h1>
        {lesson.fallbackFrom ? (
          <p className="alert lesson__fallback" role="note">
            {t("courses.lesson.fallback", { missing: langName(lesson.lang === "vi" ? "en" : "vi"), shown: langName(lesson.lang) })}
          </p>
        ) : lesson.languages.includes(other) ? (
          <p className="lesson__other-lang">
            <Link to={`?lang=${other}`} lang={other} hrefLang={other} replace>
              {readInOther}
            </Link>
          </p>
        ) : null}
      </header>

      {lesson.headings.length > 2 ? (
        <details className="lesson__toc">
          <summary>{t("courses.lesson.toc")}</summary>
          <ol>
            {lesson.headings.map((h) => (
              <li key={h.id}>
                <a href={`#${h.id}`}>{h.text}</a>
              </li>
            ))}
          </ol>
        </details>
      ) : null}

      <article lang={lesson.lang} className="lesson__body">
        <LessonBody html={lesson.html} />
      </article>
      <div ref={sentinel} className="lesson__end" aria-hidden="true">
        {t("courses.lesson.end")}
      </div>

      <section id="lesson-progress" className="card lesson__progress" aria-labelledby="lesson-progress-title">
        <h2 id="lesson-progress-title">{t("courses.lesson.progressTitle")}</h2>
        {!hasPerson ? (
          <p className="alert" role="note">
            {t("courses.noPerson")}
          </p>
        ) : (
          <>
            <div aria-live="polite" role="status">
              {done ? (
                <p className="alert success">{autoRead === "queued" ? t("courses.lesson.queued") : justRead ? t("courses.lesson.justRead") : t("courses.lesson.isRead")}</p>
              ) : null}
              {failed ? <p className="alert error">{t("courses.lesson.error")}</p> : null}
            </div>
            {!done ? (
              <read.Form method="post" action={`${base}/${lesson.slug}`} className="lesson__mark">
                <input type="hidden" name="intent" value="read" />
                {requestedLang ? <input type="hidden" name="lang" value={requestedLang} /> : null}
                {hydrated ? <input type="hidden" name="js" value="1" /> : null}
                <p className="muted">{t("courses.lesson.notRead")}</p>
                <button type="submit" className="primary" disabled={saving}>
                  {saving ? t("courses.lesson.saving") : t("courses.lesson.markRead")}
                </button>
              </read.Form>
            ) : null}
            <ReadingProgress read={Math.max(progress.lessonsRead, read.data && "progress" in read.data ? (read.data.progress?.lessonsRead ?? 0) : 0)} total={progress.lessonsTotal} />
            {examOpen ? (
              <p>
                <Link to={`${base}/exam`} className="button">
                  {t("courses.exam.start")}
                </Link>
              </p>
            ) : null}
          </>
        )}
      </section>

      <nav aria-label={t("courses.lesson.nav")} className="lesson__nav">
        {prev ? (
          <Link to={`${base}/${prev.slug}`} rel="prev" className="lesson__nav-prev">
            <span className="muted">← {t("courses.lesson.prev")}</span>
            <span>{t("courses.course.lessonTitle", { number: prev.number, title: prev.title })}</span>
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`${base}/${next.slug}`} rel="next" className="lesson__nav-next">
            <span className="muted">{t("courses.lesson.next")} →</span>
            <span>{t("courses.course.lessonTitle", { number: next.number, title: next.title })}</span>
          </Link>
        ) : (
          <Link to={base} className="lesson__nav-next">
            <span className="muted">{t("courses.lesson.backToCourse")}</span>
            <span>{course.title}</span>
          </Link>
        )}
      </nav>
    </div>
  );
}
