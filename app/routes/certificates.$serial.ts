/** GET /certificates/<serial>.pdf — the PAdES-signed PDF, rendered from the record; holder, their HR (scope) or admin. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { orHttpError, viewerOf } from "~/certificates/http.server";
import { certificateForViewer } from "~/certificates/records.server";
import { pdfFileName, publicBaseUrl, renderRecordPdf } from "~/certificates/render.server";
import { notFound } from "~/utils/http";

export async function loader(args: LoaderFunctionArgs) {
  const m = /^([A-Z]{2,5}-\d{4}-\d{6}-[0-9A-Z])\.pdf$/.exec(args.params.serial ?? "");
  if (!m) throw notFound();
  const user = await requireUser(args);
  const viewer = await viewerOf(user);
  const { pdf } = await orHttpError(async () => renderRecordPdf(await certificateForViewer(viewer, m[1]!), publicBaseUrl(args.request)));
  return new Response(pdf as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${pdfFileName(m[1]!)}"`,
      "Content-Length": String(pdf.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
