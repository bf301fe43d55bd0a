/**
 * The components course MDX may use (courses/README.md). All render complete, meaningful HTML on the server, so
 * lessons read fine without JavaScript; SelfCheck adds interactive checking once hydrated.
 */
import { useEffect, useId, useState, type AnchorHTMLAttributes, type ImgHTMLAttributes, type ReactNode } from "react";
import { formatIsoDate } from "../../courses/laws";
import { assetUrl, resolveHref, useMdx } from "./context";
import { isSelfCheckCorrect, optionLetter as letter } from "./self-check";

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
 * with aria-describedby so screen readers read it; Escape hides it again. Works without JavaScript.
 */
export function Term({ def, children }: WithChildren & { def: string }) {
  const id = useId();
  const [dismissed, setDismissed] = useState(false);
  return (
    <span className="mdx-term" data-dismissed={dismissed ? "" : undefined} onMouseLeave={() => setDismissed(false)}>
      <span
        className="mdx-term__word"
        tabIndex={0}
        aria-describedby={id}
        onKeyDown={(e) => {
          if (e.key === "Escape") setDismissed(true);
        }}
        onBlur={() => setDismissed(false)}
      >
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
 * An ungraded practice question. Server HTML (and no-JS browsers): the options and a <details> revealing the
 * answer and explanation. Once hydrated: radio buttons (checkboxes when several answers are right), a Check
 * button, and a result announced through a live region.
 */
export function SelfCheck({ question, options, answer, explanation }: { question: string; options: string[]; answer: number | number[]; explanation?: string }) {
  const { labels } = useMdx();
  const id = useId();
  const correct = Array.isArray(answer) ? answer : [answer];
  const multiple = Array.isArray(answer);
  const [hydrated, setHydrated] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [checked, setChecked] = useState(false);
  useEffect(() => setHydrated(true), []);

  const answerText = correct.map((i) => `${letter(i)}. ${options[i] ?? ""}`).join("; ");
  const isRight = checked && isSelfCheckCorrect(selected, answer);
  const toggle = (i: number) => {
    setChecked(false);
    setSelected((s) => (multiple ? (s.includes(i) ? s.filter((x) => x !== i) : [...s, i].sort()) : [i]));
  };
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
    <section className="mdx-selfcheck" aria-labelledby={`${id}-q`}>
      <p className="mdx-selfcheck__kicker">{labels.selfCheck}</p>
      <p className="mdx-selfcheck__question" id={`${id}-q`}>
        {question}
      </p>
      {!hydrated ? (
        <>
          <ol className="mdx-selfcheck__options" type="A">
            {options.map((o, i) => (
              <li key={i}>{o}</li>
            ))}
          </ol>
          <details className="mdx-selfcheck__details">
            <summary>{labels.showAnswer}</summary>
            {reveal}
          </details>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (selected.length > 0) setChecked(true);
          }}
        >
          <fieldset className="mdx-selfcheck__fieldset">
            <legend className="mdx-selfcheck__legend">{multiple ? labels.chooseMany : labels.chooseOne}</legend>
            {options.map((o, i) => {
              const state = checked ? (correct.includes(i) ? "correct" : selected.includes(i) ? "wrong" : undefined) : undefined;
              return (
                <label key={i} className="mdx-selfcheck__option" data-state={state}>
                  <input
                    type={multiple ? "checkbox" : "radio"}
                    name={`${id}-o`}
                    value={i}
                    checked={selected.includes(i)}
                    onChange={() => toggle(i)}
                  />
                  <span>{`${letter(i)}. ${o}`}</span>
                </label>
              );
            })}
          </fieldset>
          <button type="submit" className="mdx-selfcheck__button" disabled={selected.length === 0}>
            {labels.check}
          </button>
          <div className="mdx-selfcheck__result" role="status" aria-live="polite">
            {checked ? (
              <>
                <p className={isRight ? "mdx-selfcheck__verdict mdx-selfcheck__verdict--right" : "mdx-selfcheck__verdict mdx-selfcheck__verdict--wrong"}>
                  {isRight ? labels.correct : labels.incorrect}
                </p>
                {reveal}
              </>
            ) : null}
          </div>
        </form>
      )}
    </section>
  );
}

/** Markdown links: `./02-lesson` goes through the page's lessonHref; outside links keep the referrer private. */
export function MdxLink({ href = "", children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement>) {
  const ctx = useMdx();
  const external = /^https?:\/\//.test(href);
  return (
    <a {...rest} href={resolveHref(href, ctx)} rel={external ? "noopener noreferrer" : rest.rel}>
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
