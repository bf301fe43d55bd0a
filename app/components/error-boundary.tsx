import { isRouteErrorResponse, Link, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/react";
import type { MessageKey } from "~/i18n";

const KNOWN = [400, 401, 403, 404, 500] as const;

/** The one error boundary: 404/403/401/400/500 (and any other status) in the visitor's language. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const root = useRouteLoaderData<{ requestId?: string | null }>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const known = (KNOWN as readonly number[]).includes(status);
  const title = known ? t(`error.${status}.title` as MessageKey) : t("error.other.title", { status });
  const body = known ? t(`error.${status}.body` as MessageKey) : isRouteErrorResponse(error) ? String(error.data) : t("error.500.body");
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code" aria-hidden="true">
        {status}
      </p>
      <h1 id="error-title">{title}</h1>
      <p>{body}</p>
      {status === 401 ? (
        <p>
          <Link to="/login" className="button">
            {t("nav.login")}
          </Link>
        </p>
      ) : null}
      {root?.requestId && status >= 500 ? <p className="muted">{t("error.requestId", { id: root.requestId })}</p> : null}
      <p>
        <Link to="/" className="button">
          {t("error.backHome")}
        </Link>
      </p>
    </section>
  );
}
