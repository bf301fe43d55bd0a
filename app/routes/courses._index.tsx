import "~/styles/courses.css";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { ReadingProgress, StatusBadge } from "~/components/courses/progress";
import { getCatalogue } from "~/courses/catalogue.server";
import { AUDIENCE_FILTERS } from "~/courses/progress-core";
import { detectLocale, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useT } from "~/i18n/react";
import { badRequest } from "~/utils/http";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, t("courses.catalogue.title")) }];
};

const QuerySchema = z.object({ audience: z.union([z.literal(""), z.enum(AUDIENCE_FILTERS)]).optional() });

export async function loader(args: LoaderFunctionArgs) {
  const parsed = QuerySchema.safeParse(Object.fromEntries(new URL(args.request.url).searchParams));
  if (!parsed.success) throw badRequest("Unknown audience");
  const user = await requireUser(args);
  const lang = detectLocale(args.request.headers.get("Cookie"));
  return getCatalogue({ personId: user.personId, lang, audience: parsed.data.audience || null });
}

export default function Catalogue() {
  const { courses, hasPerson, myAudiences, audience } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("courses.catalogue.title")}</h1>
      <p className="muted">{t("courses.catalogue.lead")}</p>
      <p className="course-links">
        <Link to="/learning">{t("courses.links.learning")}</Link>
        <Link to="/search">{t("courses.links.search")}</Link>
      </p>
      {!hasPerson ? (
        <p className="alert" role="note">
          {t("courses.noPerson")}
        </p>
      ) : null}
      {myAudiences.length > 0 ? (
        <p>{t("courses.catalogue.forYouLead", { groups: myAudiences.map((a) => t(`courses.audience.${a}` as MessageKey)).join(", ") })}</p>
      ) : null}
      <Form method="get" className="course-filter" aria-label={t("courses.filter.legend")}>
        <div className="field">
          <label htmlFor="audience">{t("courses.filter.label")}</label>
          <select id="audience" name="audience" defaultValue={audience ?? ""}>
            <option value="">{t("courses.filter.any")}</option>
            {AUDIENCE_FILTERS.map((a) => (
              <option key={a} value={a}>
                {t(`courses.audience.${a}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button secondary">
          {t("courses.filter.submit")}
        </button>
      </Form>
      <p className="muted" aria-live="polite">
        {t("courses.catalogue.count", { count: courses.length })}
      </p>
      {courses.length === 0 ? <p>{t("courses.catalogue.empty")}</p> : null}
      <ul className="course-grid list-plain">
        {courses.map((c) => (
          <li key={c.slug} className={`card course-card${c.relevant ? " course-card--relevant" : ""}`}>
            <h2 className="course-card__title">
              <Link to={`/courses/${c.slug}`}>{c.title}</Link>
            </h2>
            <p className="course-card__badges">
              {c.relevant ? <span className="badge course-badge--for-you">{t("courses.catalogue.forYou")}</span> : null}
              <span className="badge">{t(`courses.audience.${c.audience}` as MessageKey)}</span>
              {hasPerson ? <StatusBadge status={c.status} /> : null}
            </p>
            <p>{c.summary}</p>
            <p className="muted course-card__meta">
              {t("courses.meta.lessons", { count: c.lessonCount })} · {t("courses.meta.minutes", { minutes: c.minutes })}
              <br />
              {t("courses.meta.credential", { name: c.credential })}
            </p>
            {hasPerson ? <ReadingProgress read={c.progress.lessonsRead} total={c.progress.lessonsTotal} /> : null}
            <p className="course-card__action">
              <Link to={`/courses/${c.slug}`} className="button secondary" aria-label={`${t("courses.action.open")}: ${c.title}`}>
                {c.status === "not_started" ? t("courses.action.open") : c.status === "in_progress" ? t("courses.action.continue") : t("courses.action.review")}
              </Link>
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
