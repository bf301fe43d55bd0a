/**
 * Server entry: streams the HTML with a per-request CSP nonce, and exports `getLoadContext`, which our Express
 * server (scripts/server.ts) calls for every request: it validates the session once, refreshes or clears the
 * cookie, and hands loaders the user, the client address and a request id.
 */
import { PassThrough } from "node:stream";
import { randomBytes, randomUUID } from "node:crypto";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { createAutosaveHandler } from "./assessments/autosave-endpoint.server";
import { createExamStartHandler } from "./assessments/exam-start.server";
import { createExamSubmitHandler } from "./assessments/exam-submit.server";
import { validateSessionCookie, type Auth } from "./auth/session.server";
import { createVerifyTokenHandler, type AssetsManifestLike } from "./certificates/verify-page.server";
import { createLessonPageHandler, lessonPageAssets } from "./courses/lesson-page.server";
import { detectLocale } from "./i18n";
import { RequestLocaleProvider } from "./i18n/react";
import { NonceProvider } from "./utils/nonce";

declare module "@remix-run/node" {
  interface AppLoadContext {
    auth?: Auth;
    ip: string;
    requestId: string;
    cspNonce: string;
  }
}

const ABORT_DELAY = 5_000;

export async function getLoadContext(req: ExpressRequest, res: ExpressResponse): Promise<AppLoadContext> {
  const requestId = randomUUID();
  res.setHeader("X-Request-Id", requestId);
  const { user, session, setCookies } = await validateSessionCookie(req.headers.cookie);
  for (const c of setCookies) res.append("Set-Cookie", c);
  return {
    auth: { user, session },
    ip: req.ip ?? "unknown",
    requestId,
    cspNonce: randomBytes(16).toString("base64"),
  };
}

/**
 * GET /v/:token without Remix (ADR 0015): scripts/server.ts mounts it before the Remix handler, with the build's
 * asset manifest for the stylesheet links. The Remix route stays for `npm run dev` and renders the same page.
 */
export function verifyTokenPage(assets: AssetsManifestLike) {
  return createVerifyTokenHandler(assets, contentSecurityPolicy);
}

/**
 * GET /courses/:slug/:lesson for signed-in readers without Remix (ADR 0017); everything else falls through to the
 * Remix route, which renders the same lesson markup. `buildDir`: where the lesson script's manifest is.
 */
export function lessonPage(assets: AssetsManifestLike, buildDir: string) {
  return createLessonPageHandler(lessonPageAssets(assets, buildDir), contentSecurityPolicy);
}

/**
 * POST /exam/:attemptId/save without Remix (ADR 0016): scripts/server.ts mounts it after the request limits and the
 * cross-site check, before the static files and Remix. The Remix route stays for `npm run dev` and answers the same
 * (both call answerAutosave).
 */
export function autosaveAnswer() {
  return createAutosaveHandler();
}

/**
 * POST /courses/:slug/exam's redirect to the started attempt without Remix (ADR 0016); every other outcome goes on
 * to the Remix route, which decides with the same function and renders the page.
 */
export function examStart() {
  return createExamStartHandler();
}

/**
 * POST /exam/:attemptId's submit redirect without Remix (ADR 0016); anything else posted there (the no-JS save
 * buttons, errors) goes on to the Remix route with its body, unread.
 */
export function examSubmit() {
  return createExamSubmitHandler();
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // Remix's inline scripts carry the nonce. No 'unsafe-inline' and no 'unsafe-eval': lessons are prebuilt HTML
    // (docs/decisions/0009-lesson-pages-static-html.md), nothing evaluates code from strings.
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext?.cspNonce ?? randomBytes(16).toString("base64");
  const bot = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RequestLocaleProvider value={detectLocale(request.headers.get("Cookie"))}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </RequestLocaleProvider>
      </NonceProvider>,
      {
        nonce,
        [bot ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(`[${new Date().toISOString()}] ${request.method} ${new URL(request.url).pathname}`, error);
}
