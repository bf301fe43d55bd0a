import { useRouteLoaderData } from "@remix-run/react";
import { createContext, useContext } from "react";
import { detectLocale, makeT, type Locale, type T } from "./index";

/**
 * The request's locale as seen by entry.server. Needed where the root loader did not run (a 404 for an
 * unknown URL renders the root error boundary without loader data).
 */
const RequestLocaleContext = createContext<Locale | null>(null);
export const RequestLocaleProvider = RequestLocaleContext.Provider;

/** The current locale: from the root loader when it ran, else from the request or the browser's cookie. */
export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale?: Locale }>("root");
  const fromRequest = useContext(RequestLocaleContext);
  if (data?.locale) return data.locale;
  if (fromRequest) return fromRequest;
  if (typeof document !== "undefined") return detectLocale(document.cookie);
  return "vi";
}

export function useT(): T {
  return makeT(useLocale());
}
