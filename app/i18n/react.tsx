import { useRouteLoaderData } from "@remix-run/react";
import { makeT, type Locale, type T } from "./index";

/** The current locale, from the root loader (available in every route and in the error boundary). */
export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale?: Locale }>("root");
  return data?.locale ?? "vi";
}

export function useT(): T {
  return makeT(useLocale());
}
