/**
 * Autosave endpoint (JSON, used by the taking page's fetch queue). The answer is checked against the attempt's
 * own paper, the deadline and the owner on the server; the response says whether this save was stored or a
 * newer one already was. A signed-out request gets a JSON 401 (not a login redirect) so the page keeps retrying.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { saveAnswer } from "~/assessments/attempts.server";
import { AttemptIdSchema, SaveBodySchema } from "~/assessments/schemas";
import { getAuth } from "~/auth/session.server";
import { detectLocale, makeT, type MessageKey } from "~/i18n";

const STATUS: Record<string, number> = {
  not_found: 404,
  attempt_closed: 409,
  deadline_passed: 409,
  question_not_in_attempt: 400,
  unknown_option: 400,
  too_many_options: 400,
};

function reply(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export async function loader() {
  return reply({ ok: false, error: "method_not_allowed" }, 405);
}

export async function action(args: ActionFunctionArgs) {
  const t = makeT(detectLocale(args.request.headers.get("Cookie")));
  const { user } = await getAuth(args);
  if (!user) return reply({ ok: false, error: "unauthenticated", message: t("exams.error.unauthenticated") }, 401);
  const id = AttemptIdSchema.safeParse(args.params.attemptId);
  if (!id.success || !user.personId) return reply({ ok: false, error: "not_found", message: t("exams.error.not_found") }, 404);
  let body: z.infer<typeof SaveBodySchema>;
  try {
    body = SaveBodySchema.parse(await args.request.json());
  } catch {
    return reply({ ok: false, error: "invalid", message: t("exams.error.invalid") }, 400);
  }
  const result = await saveAnswer(user.personId, id.data, body);
  if (result.ok) return reply(result);
  return reply(
    { ok: false, error: result.error, message: t(`exams.error.${result.error}` as MessageKey) },
    STATUS[result.error] ?? 400,
  );
}
