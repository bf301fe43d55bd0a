import "~/styles/courses.css";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { searchLessons } from "~/courses/search.server";
import { MIN_QUERY_LENGTH, type SnippetPart } from "~/courses/search-core";
import { detectLocale, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, t("courses.search.title")) }];
};

const QuerySchema = z.object({ q: z.string().max(200).catch("") });

export async function loader(args: LoaderFunctionArgs) {
  const { q } = QuerySchema.parse({ q: new URL(args.request.url).searchParams.get("q") ?? "" });
  await requireUser(args);
  return searchLessons({ q, lang: detectLocale(args.request.headers.get("Cookie")) });
}

function Marked({ parts }: { parts: SnippetPart[] }) {
  return (
    <>
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export default function Search() {
  const { q, total, results, tooShort } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h1>{t("courses.search.title")}</h1>
      <Form method="get" role="search" className="search-form">
        <div className="field">
          <label htmlFor="q">{t("courses.search.label")}</label>
          <div className="search-form__row">
            <input id="q" name="q" type="search" defaultValue={q} maxLength={200} aria-describedby="q-hint" />
            <button type="submit" className="primary">
              {t("courses.search.submit")}
            </button>
          </div>
          <p id="q-hint" className="muted search-form__hint">
            {t("courses.search.hint")}
          </p>
        </div>
      </Form>
      <div aria-live="polite">
        {tooShort ? <p>{t("courses.search.tooShort", { min: MIN_QUERY_LENGTH })}</p> : null}
        {q.length >= MIN_QUERY_LENGTH ? <p className="search-count">{total > 0 ? t("courses.search.results", { count: total, q }) : t("courses.search.none", { q })}</p> : null}
      </div>
      {results.length > 0 ? (
        <ol className="list-plain search-results">
          {results.map((r) => (
            <li key={`${r.courseSlug}/${r.lessonSlug}/${r.lang}`} className="card search-result" lang={r.lang}>
              <h2 className="search-result__title">
                <Link to={`/courses/${r.courseSlug}/${r.lessonSlug}${r.lang !== locale ? `?lang=${r.lang}` : ""}`}>
                  <Marked parts={r.title} />
                </Link>
              </h2>
              <p className="muted search-result__where">
                {t("courses.search.lessonOf", { number: r.lessonNumber, course: r.courseTitle })}{" "}
                <span className="badge" lang={locale}>
                  {t(`courses.langName.${r.lang}` as MessageKey)}
                </span>
              </p>
              {r.snippet.length > 0 ? (
                <p className="search-result__snippet">
                  <Marked parts={r.snippet} />
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </>
  );
}
