/**
 * A lesson (ADR 0017). Document requests of signed-in readers are answered in front of Remix by the plain handler
 * in courses/lesson-page.server.ts; this route renders the same markup (one renderer) for client navigations,
 * `npm run dev` and the answers that are not a lesson page (login redirect, 404, 400). The action records
 * progress: "visit" (resume point) and "read" (with JS: JSON; without: post/redirect/get back to the lesson).
 */
import "~/components/mdx/mdx.css";
import "~/styles/courses.css";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { enhanceLessonPage } from "~/courses/lesson-enhance";
import { LessonParamsSchema as ParamsSchema, LessonQuerySchema as QuerySchema, lessonParts, lessonTitle, loadLessonData } from "~/courses/lesson-page.server";
import { markLessonRead, recordLessonVisit, UnknownLessonError } from "~/courses/progress.server";
import { detectLocale } from "~/i18n";
import { badRequest, notFound } from "~/utils/http";

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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader(args: LoaderFunctionArgs) {
  const params = ParamsSchema.safeParse(args.params);
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(args.request.url).searchParams));
  if (!params.success) throw notFound();
  if (!query.success) throw badRequest("Unknown language");
  const user = await requireUser(args);
  const cookie = args.request.headers.get("Cookie");
  const page = await loadLessonData({ personId: user.personId, slug: params.data.slug, lessonSlug: params.data.lesson, requestedLang: query.data.lang ?? null, cookie });
  if (!page) throw notFound();
  const locale = detectLocale(cookie);
  const parts = lessonParts(locale, page);
  return { title: lessonTitle(locale, page), html: parts.before + parts.body + parts.after };
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
export const shouldRevalidate = ({ formData, defaultShouldRevalidate }: { formData?: FormData; defaultShouldRevalidate: boolean }) =>
  formData?.get("intent") === "visit" ? false : defaultShouldRevalidate;

export default function LessonPage() {
  const { html } = useLoaderData<typeof loader>();
  const host = useRef<HTMLDivElement>(null);
  // The markup is the server's (lesson-page.server.ts); its behaviour is plain DOM code shared with the plain page.
  useEffect(() => (host.current ? enhanceLessonPage(host.current) : undefined), [html]);
  return <div ref={host} className="lesson-host" dangerouslySetInnerHTML={{ __html: html }} />;
}
