/**
 * /v/<token> — the page a certificate's QR code opens. Public, no login. The token carries the signed payload: it
 * is checked offline against the published keys, then the record decides valid / revoked / suspended / expired.
 */
import "~/styles/certificates.css";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { clientIp } from "~/certificates/http.server";
import { VerifyResultView } from "~/certificates/ui";
import { checkTokenPageAllowed, recordTokenFailure, signerIsDemo, verifyToken } from "~/certificates/verify.server";
import { makeT, metaLocale, pageTitle } from "~/i18n";
import { useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, t("certificates.verify.title")) }, { name: "robots", content: "noindex, nofollow" }];
};

const HEADERS = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow" };

export async function loader({ params, context }: LoaderFunctionArgs) {
  const ip = clientIp(context);
  const allowed = checkTokenPageAllowed(ip);
  if (!allowed.ok) {
    return data({ rateLimited: true as const, retryAfter: allowed.retryAfter, result: null, signerDemo: false }, { status: 429, headers: { ...HEADERS, "Retry-After": String(allowed.retryAfter) } });
  }
  const result = await verifyToken(params.token ?? "");
  if (result.status === "altered" || result.status === "unknown") recordTokenFailure(ip);
  return data({ rateLimited: false as const, retryAfter: 0, result, signerDemo: await signerIsDemo() }, { headers: HEADERS });
}

export function headers({ loaderHeaders }: { loaderHeaders: Headers }) {
  return { "Cache-Control": loaderHeaders.get("Cache-Control") ?? "no-store", "X-Robots-Tag": "noindex, nofollow" };
}

export default function VerifyToken() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="verify-page">
      <h1>{t("certificates.verify.title")}</h1>
      {d.rateLimited || !d.result ? (
        <p className="alert error" role="alert">
          {t("certificates.verify.rateLimited", { seconds: d.retryAfter })}
        </p>
      ) : (
        <VerifyResultView result={d.result} signerDemo={d.signerDemo} />
      )}
      <p className="muted verify-page__foot">
        {t("certificates.verify.howItWorks")} <a href="/.well-known/jwks.json">{t("certificates.verify.keysLink")}</a>
      </p>
      <p>
        <Link to="/verify">{t("certificates.verify.other")}</Link>
      </p>
    </div>
  );
}
