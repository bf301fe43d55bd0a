import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { getCourseAsset } from "~/courses/catalogue.server";
import { notFound } from "~/utils/http";

/** Course images (lessons are for logged-in readers, so are their images). Path traversal is refused (404). */
export async function loader(args: LoaderFunctionArgs) {
  const slug = args.params.slug ?? "";
  const file = args.params["*"] ?? "";
  await requireUser(args);
  const asset = await getCourseAsset(slug, file);
  if (!asset) throw notFound();
  const headers: Record<string, string> = {
    "Content-Type": asset.contentType,
    "Content-Length": String(asset.body.length),
    "Cache-Control": "private, max-age=86400",
  };
  // An SVG opened directly must not run script.
  if (asset.contentType === "image/svg+xml") headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
  return new Response(new Uint8Array(asset.body), { headers });
}
