/** GET /status/<issuing unit>/<list> — the signed Bitstring Status List credential (revoked or suspended bits). Public. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicBaseUrl } from "~/certificates/render.server";
import { statusListCredential } from "~/certificates/status.server";
import { notFound } from "~/utils/http";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const unit = params.unit ?? "";
  const listId = params.listId ?? "";
  if (!/^[A-Za-z0-9]{1,16}$/.test(unit) || !/^\d{1,5}$/.test(listId)) throw notFound();
  const credential = await statusListCredential(unit, Number(listId), publicBaseUrl(request));
  if (!credential) throw notFound();
  return new Response(JSON.stringify(credential), {
    headers: {
      "Content-Type": "application/vc",
      "Cache-Control": "public, max-age=60",
      "Access-Control-Allow-Origin": "*",
    },
  });
}
