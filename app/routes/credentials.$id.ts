/**
 * GET /credentials/<credential-id> — the Achievement (the badge's achievement.id), e.g. /credentials/basic_digital_skills.
 * GET /credentials/<token> — the signed Open Badge credential of a certificate (its id), with the live status in the
 * X-Credential-Status header; revocation is also in the status list its credentialStatus names. Public: the token
 * is the QR code's and cannot be guessed; failed lookups count against the same per-address limit as /v.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { clientIp } from "~/certificates/http.server";
import { achievementDocument, publicCredential } from "~/certificates/publish.server";
import { isCredentialId } from "~/certificates/records.server";
import { publicBaseUrl } from "~/certificates/render.server";
import { checkTokenPageAllowed, recordTokenFailure } from "~/certificates/verify.server";
import { notFound } from "~/utils/http";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const baseUrl = publicBaseUrl(request);
  if (isCredentialId(id)) {
    const achievement = await achievementDocument(id, baseUrl);
    if (!achievement) throw notFound(`There is no achievement "${id}".`);
    return new Response(JSON.stringify(achievement, null, 2), {
      headers: { "Content-Type": "application/ld+json; charset=utf-8", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
    });
  }
  const ip = clientIp(context);
  const allowed = checkTokenPageAllowed(ip);
  if (!allowed.ok) {
    throw new Response(`Too many failed checks from this address; try again in ${allowed.retryAfter} s.`, { status: 429, headers: { "Retry-After": String(allowed.retryAfter) } });
  }
  const found = await publicCredential(id, baseUrl);
  if (!found.ok) {
    recordTokenFailure(ip);
    throw notFound(`No credential here: the certificate token is ${found.result.status}. ${found.result.reasons.join(" ")}`.trim());
  }
  return new Response(JSON.stringify(found.credential, null, 2), {
    headers: {
      // VC 2.0 (W3C REC 2025) registers application/vc for a credential secured with an embedded proof.
      "Content-Type": "application/vc",
      "X-Credential-Status": found.statusOn ? `${found.status}; since=${found.statusOn}` : found.status,
      "Cache-Control": "no-store",
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": "X-Credential-Status",
    },
  });
}
