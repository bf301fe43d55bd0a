/**
 * /v/<token> as plain server-rendered HTML, mounted by scripts/server.ts in front of Remix (ADR 0015).
 *
 * The page a printed QR code opens needs no client JavaScript, so it skips Remix's loaders, React streaming and
 * hydration: one live status query (the signature check is remembered, see verifyToken) and a string template.
 * The markup is the same as the Remix route (routes/v.$token.tsx with root.tsx, SiteHeader and VerifyResultView):
 * same head, header, landmarks, headings and texts, minus the scripts; verify-page.server.test.ts renders both and
 * compares them. Security headers come from the server's middleware; the CSP (with a fresh nonce) is set here.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { getRoleGrants, roleNames, validateSessionCookie } from "~/auth/session.server";
import { documentHeadHtml, escapeHtml, routeStylesheets, siteFooterHtml, siteHeaderHtml, type AssetsManifestLike, type PageUser } from "~/components/shell.server";
import { detectLocale, formatDate, makeT, offersEnglish, type Locale, type MessageKey } from "~/i18n";
import { checkTokenPageAllowed, recordTokenFailure, signerIsDemo, verifyToken, type VerifyResult } from "./verify.server";

export interface VerifyPageInput {
  locale: Locale;
  offerEnglish: boolean;
  user: PageUser | null;
  /** pathname + search of the request (the language switch returns here). */
  here: string;
  /** Stylesheets of the root and the /v route, from the build's asset manifest. */
  stylesheets: string[];
  rateLimited: boolean;
  retryAfter: number;
  result: VerifyResult | null;
  signerDemo: boolean;
}

/** certificates/ui.tsx VerifyResultView as HTML. */
export function verifyResultHtml(locale: Locale, result: VerifyResult, signerDemo: boolean): string {
  const t = makeT(locale);
  const e = escapeHtml;
  const f = result.facts;
  const date = (d: string | null) => (d === null ? "—" : formatDate(locale, d));
  const explain =
    result.status === "revoked"
      ? t("certificates.verify.explain.revoked", { date: date(result.statusOn), reason: result.reason ?? "—" })
      : result.status === "suspended"
        ? t("certificates.verify.explain.suspended", { date: date(result.statusOn), reason: result.reason ?? "—" })
        : result.status === "expired"
          ? t("certificates.verify.explain.expired", { date: date(result.statusOn) })
          : t(`certificates.verify.explain.${result.status}` as MessageKey);
  const fact = (dt: string, dd: string, ddAttrs = "") => `<div><dt>${e(dt)}</dt><dd${ddAttrs}>${dd}</dd></div>`;
  let out =
    `<section class="verify-result verify-result--${result.status}" aria-labelledby="verify-status" aria-live="polite">` +
    `<p class="verify-result__label">${e(t("certificates.verify.resultLabel"))}</p>` +
    `<h2 id="verify-status" class="verify-result__status" data-status="${result.status}">${e(t(`certificates.verify.headline.${result.status}` as MessageKey))}</h2>` +
    `<p class="verify-result__explain">${e(explain)}</p>`;
  if (f) {
    out +=
      `<p class="verify-result__compare">${e(t("certificates.verify.compare"))}</p><dl class="facts verify-facts">` +
      fact(t("certificates.field.holder"), e(f.holderName), ` class="verify-facts__name" lang="vi"`) +
      fact(t("certificates.field.credential"), e(locale === "en" ? f.credentialNameEn : f.credentialNameVi)) +
      fact(t("certificates.field.issuer"), e(locale === "en" && f.issuerNameEn ? f.issuerNameEn : f.issuerNameVi)) +
      fact(t("certificates.field.serial"), `<code>${e(f.serial)}</code>`) +
      fact(t("certificates.field.issued"), e(date(f.issuedOn))) +
      fact(t("certificates.field.expires"), e(f.expiresOn === null ? t("certificates.field.noExpiry") : date(f.expiresOn))) +
      (f.source === "recognised" ? fact(t("certificates.field.source"), e(t("certificates.source.recognised"))) : "") +
      `</dl>` +
      (f.nameMasked ? `<p class="muted">${e(t("certificates.verify.nameMasked"))}</p>` : "") +
      (result.nameMatches === true ? `<p class="alert success">${e(t("certificates.verify.nameMatches"))}</p>` : "") +
      (result.nameMatches === false ? `<p class="alert error">${e(t("certificates.verify.nameDiffers"))}</p>` : "");
  }
  if (result.pdfSigner) out += `<p class="muted">${e(t("certificates.verify.pdfSigner", { name: result.pdfSigner.commonName ?? "—" }))}</p>`;
  if (result.demo || signerDemo) out += `<p class="alert cert-demo" role="note">${e(t("certificates.verify.demo"))}</p>`;
  if (result.reasons.length > 0 && (result.status === "altered" || result.status === "unknown")) {
    out += `<details class="verify-details"><summary>${e(t("certificates.verify.details"))}</summary><ul lang="en">${result.reasons.map((r) => `<li>${e(r)}</li>`).join("")}</ul></details>`;
  }
  return out + `</section>`;
}

/** The whole document: root.tsx Layout + routes/v.$token.tsx, without scripts. */
export function verifyPageHtml(p: VerifyPageInput): string {
  const t = makeT(p.locale);
  const e = escapeHtml;
  const main =
    `<div class="verify-page"><h1>${e(t("certificates.verify.title"))}</h1>` +
    (p.rateLimited || !p.result
      ? `<p class="alert error" role="alert">${e(t("certificates.verify.rateLimited", { seconds: p.retryAfter }))}</p>`
      : verifyResultHtml(p.locale, p.result, p.signerDemo)) +
    `<p class="muted verify-page__foot">${e(t("certificates.verify.howItWorks"))} <a href="/.well-known/jwks.json">${e(t("certificates.verify.keysLink"))}</a></p>` +
    `<p><a href="/verify">${e(t("certificates.verify.other"))}</a></p></div>`;
  return (
    documentHeadHtml({ locale: p.locale, title: `${t("certificates.verify.title")} · ${t("app.name")}`, stylesheets: p.stylesheets, extra: `<meta name="robots" content="noindex, nofollow"/>` }) +
    `<body>${siteHeaderHtml(p.locale, p.user, p.offerEnglish, p.here)}<main id="main" class="page">${main}</main>${siteFooterHtml(p.locale)}</body></html>`
  );
}

export type { AssetsManifestLike, PageUser };
export { escapeHtml, siteHeaderHtml };

/** Stylesheets in the order Remix links them: root first, then the route's. */
export function verifyPageStylesheets(assets: AssetsManifestLike): string[] {
  return routeStylesheets(assets, ["routes/v.$token"]);
}

/** The CSP of every document (entry.server.tsx contentSecurityPolicy). */
export type CspBuilder = (nonce: string) => string;

/**
 * Express handler for GET/HEAD /v/:token. Same answers, status codes and headers as the Remix route: 200 with the
 * verdict (valid, revoked, …; unknown and altered too), 429 with Retry-After once an address has used up its
 * failed checks.
 */
export function createVerifyTokenHandler(assets: AssetsManifestLike, csp: CspBuilder) {
  const stylesheets = verifyPageStylesheets(assets);
  return async function verifyTokenPage(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
    try {
      const cookie = req.headers.cookie ?? null;
      const { user, setCookies } = await validateSessionCookie(cookie);
      for (const c of setCookies) res.append("Set-Cookie", c);
      const ip = req.ip ?? "unknown";
      const allowed = checkTokenPageAllowed(ip);
      let result: VerifyResult | null = null;
      if (allowed.ok) {
        result = await verifyToken(req.params.token ?? "");
        if (result.status === "altered" || result.status === "unknown") recordTokenFailure(ip);
      }
      const roles = user ? roleNames(await getRoleGrants(user.id)) : [];
      const html = verifyPageHtml({
        locale: detectLocale(cookie),
        offerEnglish: offersEnglish(cookie, req.headers["accept-language"] ?? null),
        user: user ? { displayName: user.displayName, roles } : null,
        here: req.originalUrl,
        stylesheets,
        rateLimited: !allowed.ok,
        retryAfter: allowed.retryAfter,
        result,
        signerDemo: result ? await signerIsDemo() : false,
      });
      res.status(allowed.ok ? 200 : 429);
      if (!allowed.ok) res.setHeader("Retry-After", String(allowed.retryAfter));
      res.setHeader("X-Request-Id", randomUUID());
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("X-Robots-Tag", "noindex, nofollow");
      res.setHeader("Content-Security-Policy", csp(randomBytes(16).toString("base64")));
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.end(req.method === "HEAD" ? undefined : html);
    } catch (error) {
      next(error);
    }
  };
}
