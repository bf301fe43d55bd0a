/**
 * The app's page shell as plain strings, for the pages served without Remix (ADR 0015 /v, ADR 0017 lessons): the
 * same markup as root.tsx's Layout with components/layout.tsx SiteHeader/SiteFooter, checked byte for byte against
 * the React components in app/certificates/verify-page.server.test.tsx and app/courses/lesson-page.server.test.ts.
 */
import type { Role } from "#db/schema";
import { makeT, type Locale } from "~/i18n";

/** React's text escaping (escapeTextForBrowser), so the output matches the Remix pages byte for byte. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#x27;"));
}

export interface PageUser {
  displayName: string;
  roles: Role[];
}

/** NavLink's rule (react-router, `end` unset): active on its own path and every path below it. */
function isActive(to: string, pathname: string): boolean {
  return pathname === to || pathname.startsWith(to.endsWith("/") ? to : `${to}/`);
}

/**
 * components/layout.tsx SiteHeader as HTML. `here` is pathname + search of the page (the language switch returns
 * there, already URL-encoded as the browser sent it); its pathname decides which navigation link is current.
 */
export function siteHeaderHtml(locale: Locale, user: PageUser | null, offerEnglish: boolean, here: string): string {
  const t = makeT(locale);
  const e = escapeHtml;
  const pathname = here.split("?")[0]!;
  const navLink = (to: string, label: string) =>
    isActive(to, pathname)
      ? `<li><a aria-current="page" class="active" href="${e(to)}">${e(label)}</a></li>`
      : `<li><a class="" href="${e(to)}">${e(label)}</a></li>`;
  const langForm = (value: Locale, inner: string) =>
    `<form method="post" action="/lang" class="inline-form"><input type="hidden" name="locale" value="${value}"/><input type="hidden" name="redirectTo" value="${e(here)}"/>${inner}</form>`;
  let nav: string;
  if (user) {
    const isHr = user.roles.some((r) => r === "hr" || r === "admin");
    const isAdmin = user.roles.includes("admin");
    const isAuthor = user.roles.some((r) => r === "author" || r === "admin");
    nav =
      navLink("/home", t("nav.home")) +
      navLink("/courses", t("nav.courses")) +
      navLink("/certificates", t("nav.certificates")) +
      (isHr ? navLink("/hr", t("nav.hr")) : "") +
      (isAuthor ? navLink("/author", t("nav.author")) : "") +
      (isAdmin ? navLink("/admin", t("nav.admin")) : "") +
      navLink("/account", t("nav.account"));
  } else {
    nav = navLink("/verify", t("nav.verify")) + navLink("/login", t("nav.login"));
  }
  const other: Locale = locale === "vi" ? "en" : "vi";
  return (
    `<header class="site-header"><a class="skip-link" href="#main">${e(t("app.skip"))}</a>` +
    (offerEnglish
      ? `<div class="lang-offer" lang="en">${langForm("en", `This service is in Vietnamese. <button type="submit" class="link-button">Read it in English</button>`)}</div>`
      : "") +
    `<div class="site-header__inner"><a class="brand" href="${user ? "/home" : "/"}"><span class="brand__mark" aria-hidden="true">◆</span><span class="brand__name">${e(t("app.name"))}</span></a>` +
    `<nav aria-label="${e(t("nav.menu"))}" class="site-nav"><ul>${nav}</ul></nav>` +
    `<div class="site-header__tools">${langForm(other, `<button type="submit" class="link-button" lang="${other}">${e(t("lang.switch"))}</button>`)}` +
    (user ? `<form method="post" action="/logout" class="inline-form"><button type="submit" class="link-button">${e(t("nav.logout"))}</button></form>` : "") +
    `</div></div></header>`
  );
}

/** components/layout.tsx SiteFooter as HTML. */
export function siteFooterHtml(locale: Locale): string {
  return `<footer class="site-footer"><p>${escapeHtml(makeT(locale)("footer.text"))}</p></footer>`;
}

/** The document's head as root.tsx renders it (charset, viewport, theme colour, icons), then title and links. */
export function documentHeadHtml(p: { locale: Locale; title: string; stylesheets: readonly string[]; extra?: string }): string {
  const e = escapeHtml;
  return (
    `<!DOCTYPE html><html lang="${p.locale}"><head><meta charSet="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>` +
    `<meta name="theme-color" content="#0b4a8b"/><link rel="icon" href="/favicon.ico" sizes="32x32"/><link rel="icon" href="/favicon.svg" type="image/svg+xml"/>` +
    `<title>${e(p.title)}</title>${p.extra ?? ""}` +
    p.stylesheets.map((href) => `<link rel="stylesheet" href="${e(href)}"/>`).join("") +
    `</head>`
  );
}

/** The part of the Remix build's asset manifest the plain pages need (stylesheets per route). */
export interface AssetsManifestLike {
  routes: Record<string, { css?: string[] } | undefined>;
}

/** Stylesheets in the order Remix links them: root first, then the routes' (deduplicated). */
export function routeStylesheets(assets: AssetsManifestLike, routeIds: readonly string[]): string[] {
  return [...new Set([...(assets.routes["root"]?.css ?? []), ...routeIds.flatMap((id) => assets.routes[id]?.css ?? [])])];
}
