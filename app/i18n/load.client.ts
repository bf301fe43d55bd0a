/**
 * Loads a locale's catalogue in the browser (entry.client.tsx). Browser bundles get an empty English catalogue
 * (vite.config.ts `catalogueOnDemand`), filled here from a separate chunk before the first render in English.
 * On the server and in tests the catalogue is complete already and this does nothing.
 */
import { catalogues, isLocale } from "./index";

export async function loadCatalogue(locale: string): Promise<void> {
  if (!isLocale(locale) || locale === "vi") return;
  if (Object.keys(catalogues.en).length > 0) return;
  const { en } = await import("./en?on-demand");
  Object.assign(catalogues.en, en);
}
