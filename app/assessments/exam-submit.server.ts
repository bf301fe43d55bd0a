/**
 * POST /exam/:attemptId with intent=submit — handing an attempt in, decided in one place (ADR 0016).
 *
 * Every candidate submits once, most of them in the last minutes. The answer is a redirect to the result, which
 * needs nothing of Remix: the Express handler below (mounted by scripts/server.ts before Remix) sends it itself.
 * Anything else posted to the taking page — the no-JS form's "save" buttons, a malformed form, an attempt that is
 * not the caller's, a signed-out request — goes on to the Remix route unchanged, body included, and is answered
 * there as before; nothing has been written by then (a submit that finds no attempt writes nothing).
 * exam-submit.server.test.ts compares both paths.
 */
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { validateSessionCookie } from "~/auth/session.server";
import { sendRedirect } from "~/utils/express-reply.server";
import { submitAttempt } from "./attempts.server";
import { AttemptIdSchema, SubmitFormSchema } from "./schemas";

/** The most a submit form can be: two short fields. Longer bodies are left to the Remix route. */
export const MAX_SUBMIT_BODY_BYTES = 4 * 1024;

export type SubmitOutcome = { kind: "invalid" } | { kind: "not_found" } | { kind: "submitted"; location: string };

/** Submits the caller's attempt (idempotent: a closed attempt is left as it is) from the posted form's fields. */
export async function decideSubmit(personId: string, attemptId: string, fields: Record<string, unknown>, now?: number): Promise<SubmitOutcome> {
  const parsed = SubmitFormSchema.safeParse(fields);
  if (!parsed.success) return { kind: "invalid" };
  const done = await submitAttempt(personId, attemptId, parsed.data.reason, now);
  if (!done) return { kind: "not_found" };
  return { kind: "submitted", location: `/exam/${attemptId}/result` };
}

/**
 * Reads a small body and can put it back: `putBack()` returns the bytes to the request stream, unread, so a later
 * handler (Remix) reads the body as if nobody had. Resolves null when the body is not there to read (no length).
 */
export function readBodyKeepingIt(req: ExpressRequest, length: number): Promise<{ bytes: Buffer; putBack(): void }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("readable", onReadable);
      req.off("error", onError);
      req.off("end", onEnd);
      const bytes = Buffer.concat(chunks, size);
      // Synchronously after the last read(): the stream has not emitted 'end' yet, so the bytes can go back.
      resolve({ bytes, putBack: () => req.unshift(bytes) });
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while (size < length && (chunk = req.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        size += chunk.length;
      }
      if (size >= length) done();
    };
    const onEnd = () => done();
    const onError = (e: unknown) => reject(e);
    req.on("readable", onReadable);
    req.once("end", onEnd);
    req.once("error", onError);
  });
}

/** The submit's redirect as an Express handler; anything else goes on to the Remix route, body and all. */
export function createExamSubmitHandler() {
  return async function examSubmitHandler(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
    try {
      const { user, setCookies } = await validateSessionCookie(req.headers.cookie ?? null);
      for (const c of setCookies) res.append("Set-Cookie", c);
      const id = AttemptIdSchema.safeParse(req.params.attemptId);
      const length = Number(req.headers["content-length"] ?? 0);
      const form = /^application\/x-www-form-urlencoded\b/i.test(req.headers["content-type"] ?? "");
      if (!user?.personId || !id.success || !form || !(length > 0 && length <= MAX_SUBMIT_BODY_BYTES)) return next();
      const body = await readBodyKeepingIt(req, length);
      const fields = new URLSearchParams(body.bytes.toString("utf8"));
      if (fields.get("intent") !== "submit") {
        body.putBack();
        return next();
      }
      const outcome = await decideSubmit(user.personId, id.data, Object.fromEntries(fields));
      if (outcome.kind !== "submitted") {
        body.putBack();
        return next();
      }
      sendRedirect(res, outcome.location);
    } catch (error) {
      next(error);
    }
  };
}
