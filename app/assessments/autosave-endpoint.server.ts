/**
 * POST /exam/:attemptId/save — the autosave endpoint's answers, in one place (ADR 0016).
 *
 * Two adapters serve the same URL and both call `answerAutosave`, so they cannot drift:
 *  - the Express handler below (`createAutosaveHandler`), which scripts/server.ts mounts in front of Remix in
 *    production: autosave is three quarters of the requests of an exam rush and needs none of Remix's routing,
 *    loaders or rendering;
 *  - the Remix route app/routes/exam.$attemptId.save.tsx, which `npm run dev` (and any server without the handler)
 *    uses.
 * autosave-endpoint.server.test.ts sends the same requests through both and compares status, body and headers.
 *
 * The answer is checked against the attempt's own paper, the deadline and the owner on the server (saveAnswer);
 * the response says whether this save was stored or a newer one already was. A signed-out request gets a JSON 401
 * (not a login redirect) so the page keeps retrying.
 */
import { randomUUID } from "node:crypto";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import type { z } from "zod";
import { validateSessionCookie } from "~/auth/session.server";
import { detectLocale, makeT, type Locale, type MessageKey } from "~/i18n";
import { saveAnswer } from "./attempts.server";
import { AttemptIdSchema, SaveBodySchema } from "./schemas";

/**
 * The largest autosave body read. A real one is under 2 kB (SaveBodySchema: a question id, at most 20 option ids,
 * a number); anything above this is answered as invalid without reading (or keeping) the rest.
 */
export const MAX_SAVE_BODY_BYTES = 16 * 1024;

const STATUS: Record<string, number> = {
  not_found: 404,
  attempt_closed: 409,
  deadline_passed: 409,
  question_not_in_attempt: 400,
  unknown_option: 400,
  too_many_options: 400,
};

/** Every autosave response carries these headers (besides the server's security headers and X-Request-Id). */
export const AUTOSAVE_HEADERS = { "Cache-Control": "no-store", "Content-Type": "application/json; charset=utf-8" } as const;

export interface AutosaveAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface AutosaveInput {
  /** The signed-in user (null: no valid session). */
  user: { personId: string | null } | null;
  locale: Locale;
  /** The :attemptId route parameter, unchecked. */
  attemptId: string | undefined;
  /**
   * Reads the request body, called only once the caller is known and the id is well-formed. Resolves to null when
   * the body is larger than MAX_SAVE_BODY_BYTES.
   */
  readBody: () => Promise<string | null>;
  now?: number;
}

/** The status and JSON body of an autosave request. */
export async function answerAutosave(input: AutosaveInput): Promise<AutosaveAnswer> {
  const t = makeT(input.locale);
  const { user } = input;
  if (!user) return { status: 401, body: { ok: false, error: "unauthenticated", message: t("exams.error.unauthenticated") } };
  const id = AttemptIdSchema.safeParse(input.attemptId);
  if (!id.success || !user.personId) return { status: 404, body: { ok: false, error: "not_found", message: t("exams.error.not_found") } };
  let body: z.infer<typeof SaveBodySchema>;
  try {
    const text = await input.readBody();
    if (text === null) throw new Error("body too large");
    body = SaveBodySchema.parse(JSON.parse(text));
  } catch {
    return { status: 400, body: { ok: false, error: "invalid", message: t("exams.error.invalid") } };
  }
  const result = await saveAnswer(user.personId, id.data, body, input.now);
  if (result.ok) return { status: 200, body: result };
  return {
    status: STATUS[result.error] ?? 400,
    body: { ok: false, error: result.error, message: t(`exams.error.${result.error}` as MessageKey) },
  };
}

/** UTF-8 text of a body (a leading BOM dropped, as fetch's `text()` does), or null above `max` bytes. */
export function decodeBody(bytes: Uint8Array, max = MAX_SAVE_BODY_BYTES): string | null {
  return bytes.byteLength > max ? null : new TextDecoder().decode(bytes);
}

/**
 * Reads an Express request's body, at most `max` bytes: a declared length above it is refused without reading,
 * and a body that turns out longer than declared stops being kept at the cap. (scripts/server.ts has already
 * refused bodies above the server's limit and bodies without a length.)
 */
export function readBodyCapped(req: ExpressRequest, max = MAX_SAVE_BODY_BYTES): Promise<string | null> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > max ? null : decodeBody(Buffer.concat(chunks, size), max)));
    req.on("error", reject);
  });
}

/** The autosave endpoint as an Express handler (scripts/server.ts mounts it for POST before Remix). */
export function createAutosaveHandler() {
  return async function autosaveHandler(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
    try {
      // As getLoadContext does for Remix requests: a request id, and the session's refreshed or cleared cookie.
      res.setHeader("X-Request-Id", randomUUID());
      const cookie = req.headers.cookie ?? null;
      const { user, setCookies } = await validateSessionCookie(cookie);
      for (const c of setCookies) res.append("Set-Cookie", c);
      const answer = await answerAutosave({
        user,
        locale: detectLocale(cookie),
        attemptId: req.params.attemptId,
        readBody: () => readBodyCapped(req),
      });
      const json = JSON.stringify(answer.body);
      res.statusCode = answer.status;
      res.setHeader("Cache-Control", AUTOSAVE_HEADERS["Cache-Control"]);
      res.setHeader("Content-Type", AUTOSAVE_HEADERS["Content-Type"]);
      res.setHeader("Content-Length", Buffer.byteLength(json));
      res.end(json);
    } catch (error) {
      // Remix's handleError (entry.server.tsx) logs a failed action the same way; the page retries on a 500.
      console.error(`[${new Date().toISOString()}] ${req.method} ${req.path}`, error);
      if (res.headersSent) return next(error);
      res.statusCode = 500;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end("Unexpected Server Error");
    }
  };
}
