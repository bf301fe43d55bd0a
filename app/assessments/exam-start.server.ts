/**
 * POST /courses/:slug/exam — starting (or resuming) an exam, decided in one place (ADR 0016).
 *
 * At the start of an exam every candidate posts here within seconds. The common answer is a redirect to the
 * attempt, which needs nothing of Remix: the Express handler below (mounted by scripts/server.ts before Remix)
 * sends that redirect itself. Every other outcome — signed out, unknown course, no roster person, a refusal
 * (lessons unread, cooldown, no attempts left, passed) — is a page the Remix route renders, so the handler hands
 * the request on and the route decides again with the same function (a refusal changes nothing, so deciding twice
 * gives the same page). exam-start.server.test.ts compares both paths.
 */
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { validateSessionCookie } from "~/auth/session.server";
import { sendRedirect } from "~/utils/express-reply.server";
import { startAttempt, type StartResult } from "./attempts.server";
import { CourseSlugSchema } from "./schemas";

export type StartOutcome =
  | { kind: "not_found" }
  | { kind: "no_person" }
  | { kind: "started"; location: string }
  | { kind: "refused"; reason: Extract<StartResult, { ok: false }>["reason"] };

/** What starting means for this signed-in user and the :slug parameter (unchecked). */
export async function decideStart(user: { personId: string | null }, slugParam: string | undefined, now?: number): Promise<StartOutcome> {
  const slug = CourseSlugSchema.safeParse(slugParam);
  if (!slug.success) return { kind: "not_found" };
  if (!user.personId) return { kind: "no_person" };
  const result = await startAttempt(user.personId, slug.data, now);
  if (!result) return { kind: "not_found" };
  if (result.ok) return { kind: "started", location: `/exam/${result.attemptId}` };
  return { kind: "refused", reason: result.reason };
}

/** The start endpoint's redirect as an Express handler; anything else goes on to the Remix route. */
export function createExamStartHandler() {
  return async function examStartHandler(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
    try {
      const { user, setCookies } = await validateSessionCookie(req.headers.cookie ?? null);
      // The session's refreshed cookie goes out whoever answers (getLoadContext finds the session fresh already).
      for (const c of setCookies) res.append("Set-Cookie", c);
      if (!user) return next();
      const outcome = await decideStart(user, req.params.slug);
      if (outcome.kind !== "started") return next();
      sendRedirect(res, outcome.location);
    } catch (error) {
      next(error);
    }
  };
}
