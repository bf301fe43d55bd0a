/**
 * GET /hr/certificates/export.zip?unit=CODE&… — the PDFs of a unit's certificate list (same filters), streamed as a
 * ZIP while they are rendered. X-Certificate-Count lets the page show progress.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/session.server";
import { filtersFromUrl } from "~/certificates/filters";
import { orHttpError } from "~/certificates/http.server";
import { countUnitCertificates, scopeOfGrants, unitCertificateIdBatches } from "~/certificates/records.server";
import { certificatesZipStream, publicBaseUrl } from "~/certificates/render.server";

export async function loader(args: LoaderFunctionArgs) {
  const { grants } = await requireRole(args, "hr");
  const scope = scopeOfGrants(grants);
  const f = filtersFromUrl(new URL(args.request.url));
  const filters = { unitCode: f.unit || grants[0]!.unitCode, credentialId: f.credential ?? null, status: f.status ?? "all", q: f.q ?? null, year: f.year ?? null };
  const now = Date.now();
  const count = await orHttpError(() => countUnitCertificates(scope, filters, now));
  const stream = certificatesZipStream(unitCertificateIdBatches(scope, filters, 200, now), publicBaseUrl(args.request), { now });
  const day = new Date(now + 7 * 3600_000).toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="chung-nhan-${filters.unitCode}-${day}.zip"`,
      "Cache-Control": "private, no-store",
      "X-Certificate-Count": String(count),
    },
  });
}
