import { Link, useRouteLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/react";
import type { RootData } from "~/root";

export default function Landing() {
  const t = useT();
  const root = useRouteLoaderData<RootData>("root");
  return (
    <>
      <section className="hero" aria-labelledby="landing-title">
        <h1 id="landing-title">{t("landing.title")}</h1>
        <p>{t("landing.lead")}</p>
        <Link to={root?.user ? "/home" : "/login"} className="button">
          {root?.user ? t("nav.home") : t("landing.cta")}
        </Link>
      </section>
      <div className="grid">
        <section className="card">
          <h2>{t("landing.learn.title")}</h2>
          <p>{t("landing.learn.body")}</p>
        </section>
        <section className="card">
          <h2>{t("landing.verify.title")}</h2>
          <p>{t("landing.verify.body")}</p>
        </section>
        <section className="card">
          <h2>{t("landing.hr.title")}</h2>
          <p>{t("landing.hr.body")}</p>
        </section>
      </div>
    </>
  );
}
