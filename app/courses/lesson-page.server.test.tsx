/**
 * The lesson page (ADR 0017): the plain handler scripts/server.ts mounts in front of Remix and the Remix route
 * render one markup; the handler answers only signed-in readers of existing lessons and leaves the rest to Remix;
 * its gzip (a cached body spliced between per-reader parts) decodes to the same document as without gzip.
 */
import zlib from "node:zlib";
import { eq } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "#db/schema";
import { SiteHeader } from "~/components/layout";
import { siteHeaderHtml } from "~/components/shell.server";
import { getDatabase } from "~/db.server";
import type { Locale } from "~/i18n";
import { loader } from "~/routes/courses.$slug.$lesson";
import { createPerson, createTestContent, lesson, type TestContent } from "../../tests/factories/courses";
import { makeUserWithSession } from "../../tests/factories/reports";
import { getLessonPage } from "./catalogue.server";
import { createLessonPageHandler, lessonParts, type LessonData } from "./lesson-page.server";
import { markLessonRead } from "./progress.server";

let content: TestContent;
let reader: { cookie: string; personId: string };
const ASSETS = { stylesheets: ["/assets/root-x.css", "/assets/courses-y.css"], script: "/assets/lesson-ABC.js" };
const csp = (nonce: string) => `script-src 'self' 'nonce-${nonce}'`;

beforeAll(async () => {
  content = await createTestContent([
    {
      slug: "du-lieu",
      title: { vi: "Quản lý <dữ liệu> & \"chia sẻ\"", en: "Data management" },
      lessons: [lesson("mot", "## Phần một\n\nNội dung **một**.", "## Part one\n\nContent one."), lesson("hai"), { slug: "ba", vi: { title: "Chỉ tiếng Việt", body: "Chỉ có tiếng Việt." } }],
    },
  ]);
  const db = await getDatabase();
  const u = await makeUserWithSession("doc.bai.hoc", "learner", "01");
  const personId = await createPerson();
  await db.write((tx) => tx.update(users).set({ personId }).where(eq(users.id, u.userId)));
  reader = { cookie: u.cookie, personId };
});
afterAll(async () => {
  await content.cleanup();
});

type Sent = { status: number; headers: Record<string, string[]>; body: Buffer | string | undefined; next: unknown };

async function serve(path: string, opts: { cookie?: string | null; gzip?: boolean; method?: string } = {}): Promise<Sent> {
  const url = new URL(path, "http://x");
  const [, , slug, lessonSlug] = url.pathname.split("/");
  const sent: Sent = { status: 0, headers: {}, body: undefined, next: "not called" };
  const req = {
    method: opts.method ?? "GET",
    params: { slug, lesson: lessonSlug },
    query: Object.fromEntries(url.searchParams),
    originalUrl: url.pathname + url.search,
    headers: { cookie: opts.cookie === undefined ? reader.cookie : (opts.cookie ?? undefined), "accept-encoding": opts.gzip === false ? "identity" : "gzip, deflate, br" },
  };
  const res = {
    status(s: number) {
      sent.status = s;
      return res;
    },
    setHeader(k: string, v: string) {
      sent.headers[k.toLowerCase()] = [v];
    },
    append(k: string, v: string) {
      (sent.headers[k.toLowerCase()] ??= []).push(v);
    },
    end(b?: Buffer | string) {
      sent.body = b;
    },
  };
  await createLessonPageHandler(ASSETS, csp)(req as never, res as never, (err?: unknown) => {
    sent.next = err ?? null;
  });
  return sent;
}

const text = (s: Sent) => (Buffer.isBuffer(s.body) ? zlib.gunzipSync(s.body).toString("utf8") : String(s.body));

describe("the plain lesson handler", () => {
  it("answers a signed-in reader with the whole page; gzip and identity give the same document", async () => {
    const gz = await serve("/courses/du-lieu/mot");
    expect(gz.next).toBe("not called");
    expect(gz.status).toBe(200);
    expect(gz.headers["content-encoding"]).toEqual(["gzip"]);
    expect(gz.headers["content-security-policy"]![0]).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]+'$/);
    const plain = await serve("/courses/du-lieu/mot", { gzip: false });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(text(gz)).toBe(text(plain));
    // Twice: the second answer splices the cached body.
    expect(text(await serve("/courses/du-lieu/mot"))).toBe(text(plain));
    const html = text(plain);
    expect(html).toMatch(/^<!DOCTYPE html><html lang="vi">/);
    expect(html).toContain("<title>Bài mot · Quản lý &lt;dữ liệu&gt; &amp; &quot;chia sẻ&quot; · ");
    expect(html).toContain(`<link rel="stylesheet" href="/assets/root-x.css"/><link rel="stylesheet" href="/assets/courses-y.css"/>`);
    expect(html).toContain(`<script type="module" src="/assets/lesson-ABC.js"></script></body></html>`);
    expect(html).not.toMatch(/__remix|<script>/);
    expect(html).toContain("<strong>một</strong>");
  });

  it("renders the same lesson markup as the Remix route (one renderer)", async () => {
    const plain = text(await serve("/courses/du-lieu/mot?lang=en", { gzip: false }));
    const data = (await loader({ request: new Request("http://x/courses/du-lieu/mot?lang=en", { headers: { Cookie: reader.cookie } }), params: { slug: "du-lieu", lesson: "mot" }, context: {} as never })) as { html: string; title: string };
    expect(plain).toContain(`<div class="lesson-host">${data.html}</div></main>`);
    expect(plain).toContain(`<title>${data.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")}</title>`);
    expect(data.html).toContain(`<article lang="en" class="lesson__body">`);
  });

  it("leaves everything else to Remix: signed out, unknown lesson or course, a bad ?lang=, the exam page, HEAD answers headers only", async () => {
    for (const [path, cookie] of [
      ["/courses/du-lieu/mot", null],
      ["/courses/du-lieu/mot", "lms_session=khong-hop-le"],
      ["/courses/du-lieu/khong-co", undefined],
      ["/courses/khong-co/mot", undefined],
      ["/courses/du-lieu/mot?lang=fr", undefined],
      ["/courses/du-lieu/exam", undefined],
      ["/courses/Du-Lieu/mot", undefined],
    ] as const) {
      const s = await serve(path, { cookie });
      expect([path, cookie, s.next, s.status]).toEqual([path, cookie, null, 0]);
    }
    const head = await serve("/courses/du-lieu/mot", { method: "HEAD" });
    expect([head.status, head.body]).toEqual([200, undefined]);
  });
});

describe("lesson markup", () => {
  async function data(lessonSlug: string, lang: "vi" | "en" = "vi", requestedLang: "vi" | "en" | null = null, personId: string | null = reader.personId): Promise<LessonData> {
    const page = await getLessonPage({ personId, slug: "du-lieu", lessonSlug, lang, linkLang: requestedLang });
    return { ...page!, requestedLang };
  }
  const all = (p: { before: string; body: string; after: string }) => p.before + p.body + p.after;

  it("unread: the mark-as-read form (no JS needed), hidden messages for the script, the count template", async () => {
    const html = all(lessonParts("vi", await data("hai")));
    expect(html).toContain(`<form method="post" action="/courses/du-lieu/hai" class="lesson__mark"><input type="hidden" name="intent" value="read"/>`);
    expect(html).toContain(`<p class="alert success" data-message="read" hidden>`);
    expect(html).toContain(`data-count="Đã đọc {read}/3 bài"`);
    expect(html).toContain(`<a href="/courses/du-lieu/mot" rel="prev"`);
    expect(html).toContain(`<a href="/courses/du-lieu/ba" rel="next"`);
    expect(html).toContain(`<a href="/courses/du-lieu/hai?lang=en" lang="en" hreflang="en">Read it in English</a>`);
  });

  it("read: no form, the read message and badge shown; the reader's ?lang= is kept on the form and links", async () => {
    await markLessonRead({ personId: reader.personId, courseId: "du-lieu", lessonSlug: "mot" });
    const read = all(lessonParts("vi", await data("mot")));
    expect(read).not.toContain("<form");
    expect(read).toContain(`<p class="alert success" data-message="read">`);
    expect(read).toContain(`<span class="badge course-status--completed" data-lesson-read>`);
    expect(read).toContain(`<progress max="3" value="1"`);
    const en = all(lessonParts("vi", await data("hai", "en", "en")));
    expect(en).toContain(`<input type="hidden" name="lang" value="en"/>`);
    expect(en).toContain(`href="/courses/du-lieu/ba?lang=en" rel="next"`);
  });

  it("a missing translation shows the note; an account without a person reads without progress", async () => {
    const fallback = all(lessonParts("en", await data("ba", "en")));
    expect(fallback).toContain(`<p class="alert lesson__fallback" role="note">This lesson has no English version yet; the text below is in Vietnamese.</p>`);
    expect(fallback).toContain(`<h1 lang="vi">`);
    const noPerson = all(lessonParts("vi", await data("hai", "vi", null, null)));
    expect(noPerson).toContain(`data-person=""`);
    expect(noPerson).not.toContain("<form");
    expect(noPerson).not.toContain("<progress");
  });
});

describe("the shell's header on a lesson matches SiteHeader (the current section is marked)", () => {
  async function reactHeader(locale: Locale, url: string) {
    const user = { displayName: "Lan", roles: ["learner" as const] };
    const handler = createStaticHandler([{ id: "root", path: "/", loader: () => ({ locale, user, offerEnglish: false }), children: [{ path: "courses/:slug/:lesson", element: <SiteHeader user={user} offerEnglish={false} /> }] }]);
    const context = await handler.query(new Request(`http://localhost${url}`));
    if (context instanceof Response) throw new Error("unexpected redirect");
    return renderToStaticMarkup(<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />).replace(/ data-discover="true"/g, "");
  }
  for (const locale of ["vi", "en"] as const) {
    it(locale, async () => {
      const html = siteHeaderHtml(locale, { displayName: "Lan", roles: ["learner"] }, false, "/courses/du-lieu/mot?lang=en");
      expect(html).toContain(`<a aria-current="page" class="active" href="/courses">`);
      expect(html).toBe(await reactHeader(locale, "/courses/du-lieu/mot?lang=en"));
    });
  }
});
