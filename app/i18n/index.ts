/**
 * One i18n function for the whole app (docs/decisions/0004-i18n.md): Vietnamese by default, English on request.
 * The locale is the `lang` cookie (set by the language switch), else Vietnamese. Accept-Language only decides
 * whether to offer English prominently: many office PCs and phones in Viet Nam run an English browser while
 * their users read Vietnamese, so a browser preference must never hide the Vietnamese page.
 */
import { en } from "./en";
import { vi, type MessageKey } from "./vi";

export type { MessageKey } from "./vi";
export const LOCALES = ["vi", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "vi";
export const catalogues: Record<Locale, Record<MessageKey, string>> = { vi, en };

export type Params = Record<string, string | number>;
export type T = (key: MessageKey, params?: Params) => string;

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = catalogues[locale][key] ?? catalogues.vi[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export const makeT = (locale: Locale): T => (key, params) => translate(locale, key, params);

export function isLocale(v: unknown): v is Locale {
  return v === "vi" || v === "en";
}

/**
 * The page's locale inside a route's `meta` function: the root loader's `locale` (matches[0]), else Vietnamese.
 * `meta` runs on the server and in the browser, where the request is not at hand.
 */
export function metaLocale(matches: ReadonlyArray<{ data?: unknown } | undefined>): Locale {
  return (matches[0]?.data as { locale?: Locale } | undefined)?.locale ?? DEFAULT_LOCALE;
}

/** A document title: the page's own parts, most specific first, then the application's name, joined by " · ". */
export function pageTitle(locale: Locale, ...parts: string[]): string {
  return [...parts, translate(locale, "app.name")].join(" · ");
}

/** The locale chosen with the language switch, if any. */
export function cookieLocale(cookieHeader: string | null): Locale | null {
  const cookie = /(?:^|;\s*)lang=(vi|en)(?:;|$)/.exec(cookieHeader ?? "");
  return cookie && isLocale(cookie[1]) ? cookie[1] : null;
}

/** The locale for a request: the visitor's explicit choice, else Vietnamese. */
export function detectLocale(cookieHeader: string | null): Locale {
  return cookieLocale(cookieHeader) ?? DEFAULT_LOCALE;
}

/** Offer English up front: the browser prefers it and the visitor has not chosen a language yet. */
export function offersEnglish(cookieHeader: string | null, acceptLanguage: string | null): boolean {
  return cookieLocale(cookieHeader) === null && browserLocale(acceptLanguage) === "en";
}

/** The browser's preferred locale among ours (used to offer the English version, never to impose it). */
export function browserLocale(acceptLanguage: string | null): Locale {
  const prefs = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...rest] = part.trim().split(";");
      const q = rest.map((r) => /q=([\d.]+)/.exec(r)?.[1]).find(Boolean);
      return { tag: (tag ?? "").toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((p) => p.tag && p.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) {
    const base = p.tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return DEFAULT_LOCALE;
}

export function langCookie(locale: Locale): string {
  return `lang=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

// Intl formatters are expensive to construct (~50 µs each, measured as a fifth of a report page's render time)
// and immutable: one per locale and option set, created on first use.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

const intlLocale = (locale: Locale) => (locale === "vi" ? "vi-VN" : "en-GB");

export function formatDate(locale: Locale, value: Date | number | string): string {
  const d = typeof value === "string" ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return cached(`date:${locale}`, () => new Intl.DateTimeFormat(intlLocale(locale), { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "Asia/Ho_Chi_Minh" })).format(d);
}

export function formatNumber(locale: Locale, n: number): string {
  return cached(`number:${locale}`, () => new Intl.NumberFormat(intlLocale(locale))).format(n);
}

/** A number with exactly `digits` decimals in the locale's notation (12,5 in Vietnamese, 12.5 in English). */
export function formatDecimal(locale: Locale, n: number, digits = 1): string {
  return cached(`decimal${digits}:${locale}`, () => new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: digits, maximumFractionDigits: digits })).format(n);
}
