import "@fontsource/be-vietnam-pro/400.css";
import "@fontsource/be-vietnam-pro/600.css";
import "@fontsource/be-vietnam-pro/700.css";
import "./styles/app.css";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import type { Role } from "#db/schema";
import { getAuth, getRoleGrants, roleNames } from "./auth/session.server";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { SiteFooter, SiteHeader } from "./components/layout";
import { FlashToast } from "./components/ui";
import { detectLocale, makeT, offersEnglish, type Locale } from "./i18n";
import { useLocale, useT } from "./i18n/react";
import { takeFlash, type FlashNotice } from "./utils/flash.server";
import { useNonce } from "./utils/nonce";

export async function loader(args: LoaderFunctionArgs) {
  const { request, context } = args;
  const cookie = request.headers.get("Cookie");
  const locale = detectLocale(cookie);
  // Offer English up front to a browser that prefers it and has not chosen yet.
  const offerEnglish = offersEnglish(cookie, request.headers.get("Accept-Language"));
  const { user } = await getAuth(args);
  const roles = user ? roleNames(await getRoleGrants(user.id)) : [];
  // A notice left by the previous POST (shown once: the same response clears the cookie).
  const flash = takeFlash(cookie, locale);
  const body = {
    locale,
    offerEnglish,
    requestId: context?.requestId ?? null,
    user: user ? { displayName: user.displayName, username: user.username, roles } : null,
    flash: flash.notice,
  };
  return flash.setCookie ? data(body, { headers: { "Set-Cookie": flash.setCookie } }) : body;
}

export type RootData = {
  locale: Locale;
  offerEnglish: boolean;
  requestId: string | null;
  user: { displayName: string; username: string; roles: Role[] } | null;
  flash: FlashNotice | null;
};

export const meta: MetaFunction = ({ data }) => {
  const locale = (data as RootData | undefined)?.locale ?? "vi";
  return [{ title: makeT(locale)("app.name") }, { name: "description", content: makeT(locale)("app.tagline") }];
};

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<RootData>("root");
  const nonce = useNonce();
  const locale: Locale = useLocale();
  const t = useT();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b4a8b" />
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        <SiteHeader user={data?.user ?? null} offerEnglish={data?.offerEnglish ?? false} />
        <main id="main" className="page">
          {data?.flash ? <FlashToast key={data.flash.id} notice={data.flash} closeLabel={t("ui.toast.close")} /> : null}
          {children}
        </main>
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  // Offline reading: the service worker keeps lessons the learner opened (public/sw.js).
  useEffect(() => {
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  }, []);
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
