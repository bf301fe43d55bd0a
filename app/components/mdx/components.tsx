/**
 * The components course MDX may use (courses/README.md). All render complete, meaningful HTML on the server, so
 * lessons read fine without JavaScript. They are rendered to static HTML at build time (./render.server.tsx);
 * enhance.ts adds the interactive parts (SelfCheck checking, Term dismissal) by event delegation.
 */
import { useId, type AnchorHTMLAttributes, type ImgHTMLAttributes, type ReactNode } from "react";
import { formatIsoDate } from "../../courses/laws";
import { assetUrl, isLessonLink, resolveHref, useMdx } from "./context";
import { optionLetter as letter } from "./self-check";

type WithChildren = { children?: ReactNode };

export function Callout({ type = "note", title, children }: WithChildren & { type?: "note" | "warning" | "law"; title?: string }) {
  const { labels } = useMdx();
  const kind = type === "warning" || type === "law" ? type : "note";
  const fallback = { note: labels.calloutNote, warning: labels.calloutWarning, law: labels.calloutLaw }[kind];
  const heading = title ?? fallback;
  return (
    <div className={`mdx-callout mdx-callout--${kind}`} role="note" aria-label={heading}>
      <p className="mdx-callout__title">{heading}</p>
      <div className="mdx-callout__body">{children}</div>
    </div>
  );
}

export function Figure({ src, alt, caption, width, height }: { src: string; alt: string; caption?: string; width?: number | string; height?: number | string }) {
  const { assetBase } = useMdx();
  return (
    <figure className="mdx-figure">
      <img src={assetUrl(src, assetBase)} alt={alt} width={width} height={height} loading="lazy" decoding="async" />
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

export function Steps({ children }: WithChildren) {
  return <ol className="mdx-steps">{children}</ol>;
}

export function Step({ title, children }: WithChildren & { title?: string }) {
  return (
    <li className="mdx-step">
      {title ? <p className="mdx-step__title">{title}</p> : null}
      <div className="mdx-step__body">{children}</div>
    </li>
  );
}

/**
 * A glossary term. The definition is a CSS tooltip shown on hover and on keyboard focus (tabindex=0), linked
 * with aria-describedby so screen readers read it. Works without JavaScript; with it, Escape hides the tooltip
 * (enhanceMdx in ./enhance.ts sets data-dismissed).
 */
export function Term({ def, children }: WithChildren & { def: string }) {
  const id = useId();
  return (
    <span className="mdx-term">
      <span className="mdx-term__word" tabIndex={0} aria-describedby={id}>
        {children}
      </span>
      <span className="mdx-term__tip" role="tooltip" id={id}>
        {def}
      </span>
    </span>
  );
}

/** A cited legal document: its name, number and issue date (dd/mm/yyyy). The compiler fills title/date from the laws table. */
export function LawRef({ number, date, title, children }: WithChildren & { number: string; date?: string; title?: string }) {
  const { labels } = useMdx();
  const name = children ?? title;
  return (
    <cite className="mdx-lawref">
      {name ? <span className="mdx-lawref__title">{name}</span> : null}
      <span className="mdx-lawref__meta">
        {`${name ? " " : ""}(${labels.lawNumber} ${number}${date ? `, ${labels.lawIssued} ${formatIsoDate(date)}` : ""})`}
      </span>
    </cite>
  );
}

/**
 * An ungraded practice question, rendered once to static HTML at build time. Without JavaScript: the options and a
 * <details> revealing the answer and explanation. enhanceMdx (./enhance.ts) swaps that for the hidden interactive
 * part: radio buttons (checkboxes when several answers are right), a Check button, and a verdict announced
 * through a live region. The answer is in `data-answer`, as it is in the <details> anyway.
 */
export function SelfCheck({ question, options, answer, explanation }: { question: string; options: string[]; answer: number | number[]; explanation?: string }) {
  const { labels } = useMdx();
  const id = useId();
  const correct = Array.isArray(answer) ? answer : [answer];
  const multiple = Array.isArray(answer);
  const answerText = correct.map((i) => `${letter(i)}. ${options[i] ?? ""}`).join("; ");
  const reveal = (
    <>
      <p className="mdx-selfcheck__answer">
        <strong>{`${labels.answer}:`}</strong>
        {` ${answerText}`}
      </p>
      {explanation ? (
        <p className="mdx-selfcheck__explanation">
          <strong>{`${labels.explanation}:`}</strong>
          {` ${explanation}`}
        </p>
      ) : null}
    </>
  );

  return (
    <section className="mdx-selfcheck" aria-labelledby={`${id}-q`} data-answer={correct.join(" ")}>
      <p className="mdx-selfcheck__kicker">{labels.selfCheck}</p>
      <p className="mdx-selfcheck__question" id={`${id}-q`}>
        {question}
      </p>
      <div className="mdx-selfcheck__static">
        <ol className="mdx-selfcheck__options" type="A">
          {options.map((o, i) => (
            <li key={i}>{o}</li>
          ))}
        </ol>
        <details className="mdx-selfcheck__details">
          <summary>{labels.showAnswer}</summary>
          {reveal}
        </details>
      </div>
      <div className="mdx-selfcheck__interactive" hidden>
        <fieldset className="mdx-selfcheck__fieldset">
          <legend className="mdx-selfcheck__legend">{multiple ? labels.chooseMany : labels.chooseOne}</legend>
          {options.map((o, i) => (
            <label key={i} className="mdx-selfcheck__option">
              <input type={multiple ? "checkbox" : "radio"} name={`${id}-o`} value={i} />
              <span>{`${letter(i)}. ${o}`}</span>
            </label>
          ))}
        </fieldset>
        <button type="button" className="mdx-selfcheck__button" disabled>
          {labels.check}
        </button>
        <div className="mdx-selfcheck__result" role="status" aria-live="polite">
          <div className="mdx-selfcheck__reveal" hidden>
            <p className="mdx-selfcheck__verdict mdx-selfcheck__verdict--right" hidden>
              {labels.correct}
            </p>
            <p className="mdx-selfcheck__verdict mdx-selfcheck__verdict--wrong" hidden>
              {labels.incorrect}
            </p>
            {reveal}
          </div>
        </div>
      </div>
    </section>
  );
}

/** Markdown links: `./02-lesson` goes through the page's lessonHref; outside links keep the referrer private. */
export function MdxLink({ href = "", children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement>) {
  const ctx = useMdx();
  const external = /^https?:\/\//.test(href);
  // Marked so the lesson route can carry an explicit ?lang= over to the linked lesson (withLessonLinkLang).
  const lessonLink = isLessonLink(href) ? { "data-lesson-link": "" } : {};
  return (
    <a {...rest} {...lessonLink} href={resolveHref(href, ctx)} rel={external ? "noopener noreferrer" : rest.rel}>
      {children}
    </a>
  );
}

/** Markdown images: served from the course's assets. */
export function MdxImage({ src = "", alt, ...rest }: ImgHTMLAttributes<HTMLImageElement>) {
  const { assetBase } = useMdx();
  return <img {...rest} src={assetUrl(src, assetBase)} alt={alt ?? ""} loading="lazy" decoding="async" />;
}

/** Passed to the compiled MDX so lessons need no imports. */
export const mdxComponents = {
  Callout,
  Figure,
  Steps,
  Step,
  Term,
  LawRef,
  SelfCheck,
  a: MdxLink,
  img: MdxImage,
};
