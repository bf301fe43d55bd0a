/**
 * Times on exam pages. Candidates are in Viet Nam and the server renders the first paint, so every time is shown
 * in Asia/Ho_Chi_Minh: the server's HTML and the browser's later updates then always agree.
 */
import type { Locale } from "~/i18n";

const ZONE = "Asia/Ho_Chi_Minh";
const tag = (locale: Locale) => (locale === "vi" ? "vi-VN" : "en-GB");

// Building an Intl formatter costs far more than using one; pages format dozens of times per render.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, kind: "clock" | "time" | "date"): Intl.DateTimeFormat {
  const key = `${locale}:${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === "date"
        ? { day: "2-digit", month: "2-digit", year: "numeric", timeZone: ZONE }
        : { hour: "2-digit", minute: "2-digit", ...(kind === "clock" ? { second: "2-digit" } : {}), hourCycle: "h23", timeZone: ZONE };
    formatters.set(key, (f = new Intl.DateTimeFormat(tag(locale), options)));
  }
  return f;
}

/** 14:05:09 */
export function formatClock(locale: Locale, ms: number): string {
  return formatter(locale, "clock").format(new Date(ms));
}

/** 14:05 25/11/2026 */
export function formatDateTime(locale: Locale, ms: number): string {
  const d = new Date(ms);
  return `${formatter(locale, "time").format(d)} ${formatter(locale, "date").format(d)}`;
}

/** Countdown text: 29:59, or 1:02:03 past an hour; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, "0");
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm.padStart(2, "0")}:${ss}`;
}

/**
 * 72.5 → "72,5" in Vietnamese, "72.5" in English. Rounded down to one decimal like the grade itself, so a shown
 * 70 % can never be a 69.96 % fail.
 */
export function formatPercent(locale: Locale, value: number): string {
  return new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 1 }).format(Math.floor(value * 10 + 1e-6) / 10);
}
