/** GET /certificates/<serial>/openbadge.json — the signed Open Badges 3.0 credential; holder, their HR (scope) or admin. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { orHttpError, viewerOf } from "~/certificates/http.server";
import { certificateForViewer } from "~/certificates/records.server";
import { openBadgeForRecord, publicBaseUrl } from "~/certificates/render.server";
import { parseSerial } from "~/certificates/serial";
import { notFound } from "~/utils/http";

export async function loader(args: LoaderFunctionArgs) {
  const parsed = parseSerial(args.params.serial ?? "");
  if (!parsed.ok || parsed.value.serial !== args.params.serial) throw notFound();
  const user = await requireUser(args);
  const viewer = await viewerOf(user);
  const credential = await orHttpError(async () => openBadgeForRecord(await certificateForViewer(viewer, parsed.value.serial), publicBaseUrl(args.request)));
  return new Response(JSON.stringify(credential, null, 2), {
    headers: {
      "Content-Type": "application/ld+json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${parsed.value.serial}.openbadge.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
