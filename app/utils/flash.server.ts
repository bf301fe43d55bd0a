/**
 * Flash messages: a one-time notice ("Saved") carried across a POST → redirect → GET in a short-lived cookie.
 * The action calls `redirectWithFlash`; the root loader reads the notice with `takeFlash`, returns it to the
 * page (shown by <FlashToast>, aria-live) and clears the cookie in the same response, so it shows once.
 *
 * The cookie holds only a message key and its parameters, never text: the page translates it into the reader's
 * language, and a forged cookie can show nothing but one of our own messages (React escapes the parameters).
 * Not signed for that reason (docs/decisions/0013-design-system.md).
 */
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { catalogues, makeT, type Locale, type MessageKey } from "~/i18n";

export const FLASH_COOKIE = "flash";
const MAX_AGE_SECONDS = 60;

const FlashSchema = z.object({
  key: z.string().max(120).refine((k) => k in catalogues.vi, "unknown message key"),
  params: z.record(z.string().max(40), z.union([z.string().max(500), z.number()])).optional(),
  tone: z.enum(["success", "info", "error"]).default("success"),
});

export type FlashTone = "success" | "info" | "error";
export interface Flash {
  key: MessageKey;
  params?: Record<string, string | number>;
  tone?: FlashTone;
}

/** What the page shows: the text already translated, and an id so the toast restarts for each new flash. */
export interface FlashNotice {
  id: string;
  text: string;
  tone: FlashTone;
}

function attributes(maxAge: number): string {
  const secure = process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1";
  return `Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function flashCookie(flash: Flash): string {
  const value = Buffer.from(JSON.stringify({ key: flash.key, params: flash.params, tone: flash.tone ?? "success" })).toString("base64url");
  return `${FLASH_COOKIE}=${value}; ${attributes(MAX_AGE_SECONDS)}`;
}

export const clearFlashCookie = (): string => `${FLASH_COOKIE}=; ${attributes(0)}`;

/** The flash in a Cookie header, or null (absent, or not one of ours: ignored, and cleared by the caller). */
export function readFlash(cookieHeader: string | null): { flash: Flash | null; present: boolean } {
  const m = new RegExp(`(?:^|;\\s*)${FLASH_COOKIE}=([A-Za-z0-9_-]*)`).exec(cookieHeader ?? "");
  if (!m) return { flash: null, present: false };
  try {
    const parsed = FlashSchema.safeParse(JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")));
    return { flash: parsed.success ? (parsed.data as Flash) : null, present: true };
  } catch {
    return { flash: null, present: true };
  }
}

/**
 * For the root loader: the notice to show (translated) and the Set-Cookie header that clears it, or nulls when
 * the request carries no flash cookie.
 */
export function takeFlash(cookieHeader: string | null, locale: Locale): { notice: FlashNotice | null; setCookie: string | null } {
  const { flash, present } = readFlash(cookieHeader);
  if (!present) return { notice: null, setCookie: null };
  const notice = flash
    ? { id: Buffer.from(`${flash.key}${JSON.stringify(flash.params ?? {})}${Date.now()}`).toString("base64url").slice(-16), text: makeT(locale)(flash.key, flash.params), tone: flash.tone ?? "success" }
    : null;
  return { notice, setCookie: clearFlashCookie() };
}

/** Redirect after a successful POST with a notice for the next page. */
export function redirectWithFlash(to: string, flash: Flash, init: { headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", flashCookie(flash));
  return redirect(to, { headers });
}
