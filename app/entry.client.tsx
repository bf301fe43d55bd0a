/**
 * Browser entry: Remix's default, except that the English catalogue is loaded before hydration when the page
 * is in English. Browser bundles carry Vietnamese only (the default and the fallback); English readers fetch
 * their catalogue as one cacheable chunk (vite.config.ts `catalogueOnDemand`, ADR 0009).
 */
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { loadCatalogue } from "./i18n/load.client";

function hydrate() {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
}

loadCatalogue(document.documentElement.lang).then(hydrate, hydrate);
