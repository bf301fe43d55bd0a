/**
 * A lesson's prebuilt HTML travels once per document (ADR 0009): on a document request the lesson loader hands it
 * to entry.server through the load context instead of its data, so it is in the page's HTML but not repeated in
 * the hydration data; the browser reads it back from the DOM. Client navigations (`.data` requests) carry it in
 * the loader data as usual.
 */
import { createContext, useContext } from "react";

const PrebuiltHtmlContext = createContext<string | null>(null);
export const PrebuiltHtmlProvider = PrebuiltHtmlContext.Provider;
export const usePrebuiltHtml = () => useContext(PrebuiltHtmlContext);
