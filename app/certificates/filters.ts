/** Query-string filters of the HR certificate list and its export (shared by both routes). */
import { z } from "zod";
import type { CredentialId } from "#db/schema/learning";

/** The credential ids (kept here so client bundles need not import the database schema; a test checks equality). */
export const CREDENTIAL_OPTIONS = [
  "basic_digital_skills",
  "ai_public_service",
  "basic_data_management",
  "commune_digital_assist",
  "leadership_dx",
] as const satisfies readonly CredentialId[];

export const LIST_STATUS_FILTERS = ["all", "valid", "expiring", "expired", "suspended", "revoked"] as const;
export type ListStatusFilter = (typeof LIST_STATUS_FILTERS)[number];

const FiltersSchema = z.object({
  unit: z.string().trim().max(40).optional(),
  credential: z.enum(CREDENTIAL_OPTIONS).optional().catch(undefined),
  status: z.enum(LIST_STATUS_FILTERS).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2999).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});
export type ListFilters = z.infer<typeof FiltersSchema>;

/** Parses the list filters; anything malformed is dropped (a bad link shows the unfiltered list, never a 500). */
export function filtersFromUrl(url: URL): ListFilters {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ""));
  const parsed = FiltersSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** The same filters as a query string (without the page), e.g. for the export link. */
export function filtersQuery(f: ListFilters & { unit: string }): string {
  const p = new URLSearchParams({ unit: f.unit });
  for (const k of ["credential", "status", "q", "year"] as const) if (f[k] !== undefined && f[k] !== "" && !(k === "status" && f[k] === "all")) p.set(k, String(f[k]));
  return p.toString();
}
