/** Route glue for the certificate pages: domain errors → HTTP responses, who is acting, what they may see. */
import type { AppLoadContext } from "@remix-run/node";
import type { User } from "lucia";
import { getRoleGrants } from "~/auth/session.server";
import { CertificateError, type Actor } from "./issue.server";
import { scopeOfGrants, type Viewer } from "./records.server";
import { TimestampError } from "./timestamp.server";

const STATUS: Record<CertificateError["code"], number> = { not_found: 404, forbidden: 403, invalid: 400, conflict: 409 };

/**
 * Runs `fn`; a CertificateError becomes the thrown Response the root error boundary renders (403/404/400/409).
 * An unreachable or misbehaving time-stamping authority (LMS_TSA_URL) is the service's outage, not the request's
 * fault: 503 with Retry-After and a message saying so, and the cause in the server log.
 */
export async function orHttpError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CertificateError) throw new Response(e.message, { status: STATUS[e.code] });
    if (e instanceof TimestampError) {
      console.error(`[${new Date().toISOString()}] certificate PDF not signed: ${e.message}`);
      throw new Response(
        "Dịch vụ cấp dấu thời gian chưa trả lời nên chưa ký được tệp PDF; vui lòng thử lại sau ít phút. / The time-stamping service is not answering, so the PDF cannot be signed now; please try again in a few minutes.",
        { status: 503, headers: { "Retry-After": "60" } },
      );
    }
    throw e;
  }
}

export function actorOf(user: Pick<User, "id" | "username">, context: AppLoadContext | undefined): Actor {
  return { userId: user.id, label: user.username, ip: context?.ip ?? null, requestId: context?.requestId ?? null };
}

/** The signed-in user as a certificate viewer: themselves as holder, plus their hr/admin subtrees. */
export async function viewerOf(user: Pick<User, "id" | "personId">): Promise<Viewer> {
  return { user, scope: scopeOfGrants(await getRoleGrants(user.id)) };
}

export const clientIp = (context: AppLoadContext | undefined) => context?.ip ?? "unknown";
