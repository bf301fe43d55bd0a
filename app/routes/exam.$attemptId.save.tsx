/**
 * Autosave endpoint (JSON, used by the taking page's fetch queue). In production scripts/server.ts answers this URL
 * before Remix with the same domain function (app/assessments/autosave-endpoint.server.ts, ADR 0016); this route
 * serves `npm run dev` and any server without that handler. Same answers either way: see answerAutosave.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { AUTOSAVE_HEADERS, answerAutosave, decodeBody } from "~/assessments/autosave-endpoint.server";
import { getAuth } from "~/auth/session.server";
import { detectLocale } from "~/i18n";

function reply(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: AUTOSAVE_HEADERS });
}

export async function loader() {
  return reply({ ok: false, error: "method_not_allowed" }, 405);
}

export async function action(args: ActionFunctionArgs) {
  const { user } = await getAuth(args);
  const answer = await answerAutosave({
    user,
    locale: detectLocale(args.request.headers.get("Cookie")),
    attemptId: args.params.attemptId,
    readBody: async () => decodeBody(new Uint8Array(await args.request.arrayBuffer())),
  });
  return reply(answer.body, answer.status);
}
