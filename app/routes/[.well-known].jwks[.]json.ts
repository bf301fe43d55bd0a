/** GET /.well-known/jwks.json — every Ed25519 key that ever signed a certificate, with its validity window. Public. */
import { publishedJwks } from "~/certificates/verify.server";

export async function loader() {
  return new Response(JSON.stringify(await publishedJwks(), null, 2), {
    headers: {
      "Content-Type": "application/jwk-set+json; charset=utf-8",
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    },
  });
}
