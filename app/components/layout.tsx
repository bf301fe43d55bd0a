import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/react";
import type { Role } from "#db/schema";

interface HeaderUser {
  displayName: string;
  roles: Role[];
}

export function SiteHeader({ user, offerEnglish }: { user: HeaderUser | null; offerEnglish: boolean }) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const here = location.pathname + location.search;
  const isHr = user?.roles.some((r) => r === "hr" || r === "admin");
  const isAdmin = user?.roles.includes("admin");
  const isAuthor = user?.roles.some((r) => r === "author" || r === "admin");
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      {offerEnglish ? (
        <div className="lang-offer" lang="en">
          <Form method="post" action="/lang" className="inline-form" reloadDocument>
            <input type="hidden" name="locale" value="en" />
            <input type="hidden" name="redirectTo" value={here} />
            This service is in Vietnamese.{" "}
            <button type="submit" className="link-button">
              Read it in English
            </button>
          </Form>
        </div>
      ) : null}
      <div className="site-header__inner">
        <Link to={user ? "/home" : "/"} className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          <span className="brand__name">{t("app.name")}</span>
        </Link>
        <nav aria-label={t("nav.menu")} className="site-nav">
          <ul>
            {user ? (
              <>
                <li>
                  <NavLink to="/home">{t("nav.home")}</NavLink>
                </li>
                <li>
                  <NavLink to="/courses">{t("nav.courses")}</NavLink>
                </li>
                <li>
                  <NavLink to="/certificates">{t("nav.certificates")}</NavLink>
                </li>
                {isHr ? (
                  <li>
                    <NavLink to="/hr">{t("nav.hr")}</NavLink>
                  </li>
                ) : null}
                {isAuthor ? (
                  <li>
                    <NavLink to="/author">{t("nav.author")}</NavLink>
                  </li>
                ) : null}
                {isAdmin ? (
                  <li>
                    <NavLink to="/admin">{t("nav.admin")}</NavLink>
                  </li>
                ) : null}
                <li>
                  <NavLink to="/account">{t("nav.account")}</NavLink>
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to="/verify">{t("nav.verify")}</NavLink>
                </li>
                <li>
                  <NavLink to="/login">{t("nav.login")}</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        <div className="site-header__tools">
          {/* A full page load: browsers load the English catalogue before hydration only (entry.client.tsx). */}
          <Form method="post" action="/lang" className="inline-form" reloadDocument>
            <input type="hidden" name="locale" value={locale === "vi" ? "en" : "vi"} />
            <input type="hidden" name="redirectTo" value={here} />
            <button type="submit" className="link-button" lang={locale === "vi" ? "en" : "vi"}>
              {t("lang.switch")}
            </button>
          </Form>
          {user ? (
            <Form
              method="post"
              action="/logout"
              className="inline-form"
              // Lessons cached for offline reading belong to this user: forget them on a shared PC.
              onSubmit={() => navigator.serviceWorker?.controller?.postMessage("clear")}
            >
              <button type="submit" className="link-button">
                {t("nav.logout")}
              </button>
            </Form>
          ) : null}
        </div>
      </div>
    </header>
  );
}

export function SiteFooter() {
  const t = useT();
  return (
    <footer className="site-footer">
      <p>{t("footer.text")}</p>
    </footer>
  );
}
