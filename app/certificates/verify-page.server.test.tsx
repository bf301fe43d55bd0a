/**
 * The HTML /v page (verify-page.server.ts) against the React components the Remix route renders: the same markup
 * for every verdict, locale and header variant, so the fast page cannot drift from the accessible one.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { SiteFooter, SiteHeader } from "~/components/layout";
import type { Locale } from "~/i18n";
import { VerifyResultView } from "./ui";
import { escapeHtml, siteHeaderHtml, verifyPageHtml, verifyPageStylesheets, verifyResultHtml, type PageUser } from "./verify-page.server";
import type { VerifyResult } from "./verify.server";

const facts = {
  serial: "KNS-2026-000001-K",
  holderName: "Nguyễn Thị <Lan> & \"O'Brien\"",
  nameMasked: false,
  credentialNameVi: "Kỹ năng số cơ bản",
  credentialNameEn: "Basic digital skills",
  issuerNameVi: "Bộ Khoa học và Công nghệ",
  issuerNameEn: "Ministry of Science and Technology",
  issuedOn: "2026-01-15",
  expiresOn: null,
  source: "recognised" as const,
};
const base: VerifyResult = { status: "valid", facts, statusOn: null, reason: null, expired: false, demo: false, reasons: [] };
const RESULTS: [string, VerifyResult, boolean][] = [
  ["valid, demo signer", base, true],
  ["valid, expiring, passed", { ...base, facts: { ...facts, expiresOn: "2028-01-15", source: "passed" } }, false],
  ["revoked with an HTML-ish reason", { ...base, status: "revoked", statusOn: "2026-02-01", reason: "Hồ sơ <b>không</b> hợp lệ & sai" }, false],
  ["suspended", { ...base, status: "suspended", statusOn: "2026-02-01", reason: "Đang xác minh" }, false],
  ["expired", { ...base, status: "expired", statusOn: "2026-02-01", expired: true, demo: true }, false],
  ["masked name, name matches", { ...base, facts: { ...facts, holderName: "Nguyễn T. L.", nameMasked: true }, nameMatches: true }, false],
  ["altered with reasons", { ...base, status: "altered", facts: null, reasons: ["The signed data differs.", "Second <reason>"] }, false],
  ["unknown", { ...base, status: "unknown", facts: null, reasons: ["No certificate X was issued here."] }, false],
];

/** Renders `element` as the Remix app would: inside a data router whose "root" route has this loader data. */
async function renderInRouter(element: React.ReactNode, rootData: { locale: Locale; user: unknown; offerEnglish: boolean }, url: string) {
  const handler = createStaticHandler([{ id: "root", path: "/", loader: () => rootData, children: [{ path: "v/:token", element }] }]);
  const context = await handler.query(new Request(`http://localhost${url}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToStaticMarkup(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  return html.replace(/ data-discover="true"/g, "");
}

describe("the /v HTML page matches the Remix components", () => {
  for (const locale of ["vi", "en"] as const) {
    for (const [name, result, signerDemo] of RESULTS) {
      it(`${locale}: ${name}`, async () => {
        const react = await renderInRouter(<VerifyResultView result={result} signerDemo={signerDemo} />, { locale, user: null, offerEnglish: false }, "/v/x");
        expect(verifyResultHtml(locale, result, signerDemo)).toBe(react);
      });
    }
  }

  const USERS: [string, PageUser | null, boolean][] = [
    ["anonymous", null, false],
    ["anonymous, English offered", null, true],
    ["learner", { displayName: "Lan", roles: ["learner"] }, false],
    ["hr + author", { displayName: "Minh", roles: ["hr", "author"] }, false],
    ["admin", { displayName: "Dũng", roles: ["admin"] }, false],
  ];
  for (const locale of ["vi", "en"] as const) {
    for (const [name, user, offerEnglish] of USERS) {
      it(`${locale}: header and footer, ${name}`, async () => {
        const here = "/v/AB_c.d-e?x=<1>";
        const react = await renderInRouter(
          <>
            <SiteHeader user={user} offerEnglish={offerEnglish} />
            <SiteFooter />
          </>,
          { locale, user, offerEnglish },
          here,
        );
        const footer = react.slice(react.indexOf("<footer"));
        expect(siteHeaderHtml(locale, user, offerEnglish, "/v/AB_c.d-e?x=%3C1%3E") + footer).toBe(react);
      });
    }
  }
});

describe("verifyPageHtml", () => {
  it("is a complete document: head like the Remix page, no script at all, names escaped", () => {
    const html = verifyPageHtml({ locale: "vi", offerEnglish: false, user: null, here: "/v/t", stylesheets: ["/assets/root-1.css", "/assets/ui-2.css"], rateLimited: false, retryAfter: 0, result: base, signerDemo: false });
    expect(html.startsWith('<!DOCTYPE html><html lang="vi"><head><meta charSet="utf-8"/>')).toBe(true);
    expect(html).toContain("<title>Xác thực chứng nhận · Học tập số Công vụ</title><meta name=\"robots\" content=\"noindex, nofollow\"/>");
    expect(html).toContain('<link rel="stylesheet" href="/assets/root-1.css"/><link rel="stylesheet" href="/assets/ui-2.css"/></head>');
    expect(html).toContain('<main id="main" class="page"><div class="verify-page"><h1>Xác thực chứng nhận</h1>');
    expect(html).toContain("Nguyễn Thị &lt;Lan&gt; &amp; &quot;O&#x27;Brien&quot;");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<a href="/.well-known/jwks.json">');
  });

  it("rate-limited: the alert with the wait instead of a verdict", () => {
    const html = verifyPageHtml({ locale: "en", offerEnglish: false, user: null, here: "/v/t", stylesheets: [], rateLimited: true, retryAfter: 17, result: null, signerDemo: false });
    expect(html).toContain('<p class="alert error" role="alert">');
    expect(html).toContain("17");
    expect(html).not.toContain("verify-result");
  });

  it("links the root and route stylesheets from the asset manifest, root first, once each", () => {
    expect(verifyPageStylesheets({ routes: { root: { css: ["/a.css"] }, "routes/v.$token": { css: ["/b.css", "/a.css"] } } })).toEqual(["/a.css", "/b.css"]);
  });

  it("escapes like React", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;");
  });
});
