/** GET /issuers/<code> — the issuing body's Open Badges 3.0 Profile with its public keys (the badge's issuer.id). Public. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { issuerProfile } from "~/certificates/publish.server";
import { publicBaseUrl } from "~/certificates/render.server";
import { notFound } from "~/utils/http";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  const profile = await issuerProfile(code, publicBaseUrl(request));
  if (!profile) throw notFound(`No issuing body "${code}" has published signing keys here.`);
  return new Response(JSON.stringify(profile, null, 2), {
    headers: {
      "Content-Type": "application/ld+json; charset=utf-8",
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    },
  });
}
