/**
 * Taking an exam. Without JavaScript: one question per page, a plain form whose buttons save and move on.
 * With JavaScript: every question on one page, each choice saved at once by the autosave queue (retries, seq,
 * local backup), a countdown from the server's deadline and an automatic submit when it reaches zero.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useReducer, useRef, useState, type FormEvent } from "react";
import { loadAttemptForTaking, saveAnswer, type TakingView } from "~/assessments/attempts.server";
import { AutosaveQueue, type QuestionState, type SendResult } from "~/assessments/autosave-queue";
import type { PublicQuestion } from "~/assessments/draw";
import { formatClock, formatCountdown } from "~/assessments/format";
import { decideSubmit } from "~/assessments/exam-submit.server";
import { AttemptIdSchema, SaveFormSchema } from "~/assessments/schemas";
import { requireUser } from "~/auth/session.server";
import { detectLocale, makeT, type Locale, type MessageKey, type T, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { badRequest, notFound } from "~/utils/http";
import "~/styles/exams.css";

export const meta: MetaFunction<typeof loader> = ({ data: d, matches }) => {
  const locale = metaLocale(matches);
  const title = d ? (locale === "en" ? d.view.course.titleEn : d.view.course.titleVi) : "";
  return [{ title: pageTitle(locale, title) }, { name: "robots", content: "noindex" }];
};

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const id = AttemptIdSchema.safeParse(args.params.attemptId);
  if (!id.success || !user.personId) throw notFound();
  const locale = detectLocale(args.request.headers.get("Cookie"));
  const result = await loadAttemptForTaking(user.personId, id.data, locale);
  if (result.kind === "not_found") throw notFound();
  if (result.kind === "closed") throw redirect(`/exam/${id.data}/result`);
  const url = new URL(args.request.url);
  const total = result.view.paper.questionCount;
  const q = Math.min(total, Math.max(1, Number.parseInt(url.searchParams.get("q") ?? "1", 10) || 1));
  const saved = Number.parseInt(url.searchParams.get("saved") ?? "", 10);
  return data({ view: result.view, q, savedFlash: saved >= 1 && saved <= total ? saved : null }, { headers: { "Cache-Control": "no-store" } });
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const id = AttemptIdSchema.safeParse(args.params.attemptId);
  if (!id.success || !user.personId) throw notFound();
  const t = makeT(detectLocale(args.request.headers.get("Cookie")));
  const form = await args.request.formData();
  const intent = form.get("intent");
  if (intent === "submit") {
    // Decided by decideSubmit, which also answers the submit's redirect in front of Remix (ADR 0016).
    const outcome = await decideSubmit(user.personId, id.data, Object.fromEntries(form));
    if (outcome.kind === "invalid") throw badRequest(t("exams.error.invalid"));
    if (outcome.kind === "not_found") throw notFound();
    throw redirect(outcome.location);
  }
  const parsed = SaveFormSchema.safeParse({ ...Object.fromEntries(form), choice: form.getAll("choice") });
  if (!parsed.success) throw badRequest(t("exams.error.invalid"));
  const { questionId, choice, q, go } = parsed.data;
  const result = await saveAnswer(user.personId, id.data, { questionId, selected: choice });
  if (result.ok) {
    const target = go === "next" ? q + 1 : go === "prev" ? q - 1 : q;
    throw redirect(`/exam/${id.data}?q=${Math.max(1, target)}&saved=${q}`);
  }
  if (result.error === "not_found") throw notFound();
  if (result.error === "attempt_closed" || result.error === "deadline_passed") {
    throw redirect(`/exam/${id.data}/result?late=1`);
  }
  return data({ error: t(`exams.error.${result.error}` as MessageKey) }, { status: 400 });
}

// ---------------------------------------------------------------------------------------------------------------

async function sendSave(attemptId: string, questionId: string, selected: string[], seq: number): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(`/exam/${attemptId}/save`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ questionId, selected, seq }),
    });
  } catch {
    return { kind: "failed" };
  }
  // Server trouble, throttling or an ended session: keep the answer and try again later.
  if (res.status === 401) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    return { kind: "failed", message: body.message };
  }
  if (res.status >= 500 || res.status === 429 || res.status === 408) return { kind: "failed" };
  let body: { ok?: boolean; stored?: boolean; seq?: number; savedAt?: number; selected?: string[]; error?: string; message?: string };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    return { kind: "failed" };
  }
  if (res.ok && body.ok) {
    return { kind: "saved", stored: body.stored === true, seq: body.seq ?? seq, savedAt: body.savedAt ?? Date.now(), selected: body.selected ?? selected };
  }
  return { kind: "rejected", error: body.error ?? "invalid", message: body.message ?? "" };
}

function pendingStore(attemptId: string) {
  const key = `exam-pending:${attemptId}`;
  return {
    load() {
      try {
        return JSON.parse(window.localStorage.getItem(key) ?? "{}") as Record<string, { selected: string[]; seq: number }>;
      } catch {
        return {};
      }
    },
    save(pending: Record<string, { selected: string[]; seq: number }>) {
      if (Object.keys(pending).length === 0) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(pending));
    },
  };
}

/** The autosave queue, created after hydration (null during the server render and without JavaScript). */
function useAutosave(view: TakingView, leaving: { current: boolean }): AutosaveQueue | null {
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const [queue, setQueue] = useState<AutosaveQueue | null>(null);
  useEffect(() => {
    const q = new AutosaveQueue({
      initial: view.answers,
      clockOffset: view.serverNow - Date.now(),
      storage: pendingStore(view.attemptId),
      onChange: rerender,
      send: (questionId, selected, seq) => sendSave(view.attemptId, questionId, selected, seq),
    });
    setQueue(q);
    const online = () => q.retryNow();
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (!leaving.current && q.unsaved().length > 0) {
        e.preventDefault();
        e.returnValue = "";
      }
    };
    window.addEventListener("online", online);
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      q.dispose();
      window.removeEventListener("online", online);
      window.removeEventListener("beforeunload", beforeUnload);
    };
    // The queue belongs to one attempt; the loader data of the same attempt never replaces it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view.attemptId]);
  return queue;
}

/** Whether the screen is a phone's (≤ 40 rem, the breakpoint of the stylesheets); false on the server. */
function useNarrowScreen(): boolean {
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const mq = window.matchMedia("(max-width: 40rem)");
    const update = () => setNarrow(mq.matches);
    update();
    mq.addEventListener("change", update);
    return () => mq.removeEventListener("change", update);
  }, []);
  return narrow;
}

/** Local time aligned to the server's clock, ticking every second once hydrated. */
function useServerNow(serverNow: number): number {
  const [offset] = useState(() => (typeof window === "undefined" ? 0 : serverNow - Date.now()));
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const tick = () => setNow(Date.now() + offset);
    tick();
    const h = window.setInterval(tick, 1000);
    return () => window.clearInterval(h);
  }, [offset]);
  return now;
}

function hintKey(type: PublicQuestion["type"]): MessageKey {
  if (type === "multiple") return "exams.take.hint.multiple";
  if (type === "true_false") return "exams.take.hint.true_false";
  return "exams.take.hint.single";
}

function QuestionFields(props: {
  question: PublicQuestion;
  total: number;
  selected: string[];
  disabled?: boolean;
  onChoose?: (selected: string[]) => void;
  t: T;
}) {
  const { question: q, total, selected, t } = props;
  const multiple = q.type === "multiple";
  const statusId = `q-${q.id}-status`;
  return (
    <fieldset className="exam-question" aria-describedby={statusId} disabled={props.disabled}>
      <legend>
        <span className="exam-question__number">{t("exams.take.question", { n: q.number, total })}</span>
        <span className="muted"> · {t("exams.take.points", { points: q.points })}</span>
      </legend>
      {q.stem ? (
        <div className="exam-stem">
          <p className="exam-stem__label">{t("exams.take.stem")}</p>
          <p>{q.stem.text}</p>
        </div>
      ) : null}
      <p className="exam-question__text">{q.text}</p>
      <p className="muted exam-question__hint">{t(hintKey(q.type))}</p>
      <ul className="exam-options list-plain">
        {q.options.map((o) => {
          const checked = selected.includes(o.id);
          return (
            <li key={o.id}>
              <label className="exam-option">
                {props.onChoose ? (
                  <input
                    type={multiple ? "checkbox" : "radio"}
                    name={`choice-${q.id}`}
                    value={o.id}
                    checked={checked}
                    onChange={(e) => {
                      if (!multiple) props.onChoose?.([o.id]);
                      else props.onChoose?.(e.target.checked ? [...selected, o.id] : selected.filter((id) => id !== o.id));
                    }}
                  />
                ) : (
                  <input type={multiple ? "checkbox" : "radio"} name="choice" value={o.id} defaultChecked={checked} />
                )}
                <span>{o.text}</span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function SaveStatus(props: { id: string; state: QuestionState | undefined; savedAt: number | null; now: number; onRetry?: () => void; t: T; locale: Locale }) {
  const { state, t, locale } = props;
  const id = `q-${props.id}-status`;
  if (!state) {
    return (
      <p id={id} className="exam-save muted">
        {props.savedAt !== null ? t("exams.take.savedAt", { time: formatClock(locale, props.savedAt) }) : t("exams.take.notAnswered")}
      </p>
    );
  }
  if (state.status === "rejected") {
    return (
      <p id={id} className="exam-save exam-save--error" role="alert">
        {state.error?.message}
      </p>
    );
  }
  if (state.status === "retrying") {
    const seconds = Math.max(0, Math.ceil(((state.retryAt ?? props.now) - props.now) / 1000));
    return (
      <p id={id} className="exam-save exam-save--error">
        {state.error?.message ? <>{state.error.message} </> : null}
        {t("exams.take.retrying", { n: state.tries, seconds })}{" "}
        <button type="button" className="link-button" onClick={props.onRetry}>
          {t("exams.take.retryNow")}
        </button>
      </p>
    );
  }
  if (state.status === "pending" || state.status === "saving") {
    return (
      <p id={id} className="exam-save exam-save--pending">
        {t("exams.take.saving")}
      </p>
    );
  }
  if (state.status === "saved" && state.savedAt !== null && state.selected.length > 0) {
    return (
      <p id={id} className="exam-save exam-save--ok">
        <span aria-hidden="true">✓ </span>
        {t("exams.take.savedAt", { time: formatClock(locale, state.savedAt) })}
      </p>
    );
  }
  return (
    <p id={id} className="exam-save muted">
      {t("exams.take.notAnswered")}
    </p>
  );
}

export default function TakeExam() {
  const { view, q, savedFlash } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const leaving = useRef(false);
  const queue = useAutosave(view, leaving);
  const enhanced = queue !== null;
  const now = useServerNow(view.serverNow);
  const remaining = Math.max(0, view.deadlineAt - now);
  const [submitting, setSubmitting] = useState<"candidate" | "deadline" | null>(null);
  const submitForm = useRef<HTMLFormElement>(null);
  const reasonInput = useRef<HTMLInputElement>(null);
  const questions = view.paper.questions;
  const total = view.paper.questionCount;
  // On a phone, one question per screen (with JavaScript too): the others stay in the page, hidden, so autosave
  // and submit work on all of them; a wide screen shows every question in one list.
  const narrow = useNarrowScreen();
  const [shown, setShown] = useState(() => Math.min(Math.max(q, 1), questions.length) - 1);
  const paged = narrow && questions.length > 1;
  const go = (i: number) => {
    setShown(i);
    document.getElementById(`question-${i + 1}`)?.scrollIntoView({ block: "start" });
  };

  const selectedOf = (id: string) => queue?.states.get(id)?.selected ?? view.answers[id]?.selected ?? [];
  const answeredCount = questions.filter((x) => selectedOf(x.id).length > 0).length;

  async function submit(reason: "candidate" | "deadline") {
    if (submitting || !submitForm.current) return;
    setSubmitting(reason);
    // Send what is still unsaved first; at the deadline only the grace period is left for that.
    if (queue) await queue.flush(reason === "deadline" ? Math.max(500, view.graceMs - 500) : 8000);
    if (reasonInput.current) reasonInput.current.value = reason;
    leaving.current = true;
    submitForm.current.submit();
  }

  useEffect(() => {
    if (enhanced && remaining <= 0 && !submitting && !queue?.closed) void submit("deadline");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enhanced, remaining <= 0]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    if (!enhanced) return; // plain POST
    e.preventDefault();
    void submit("candidate");
  };

  const unsaved = queue?.unsaved().length ?? 0;
  const lastSaved = queue?.lastSavedAt() ?? null;
  const minutesLeft = Math.ceil(remaining / 60_000);
  const courseTitle = locale === "en" ? view.course.titleEn : view.course.titleVi;
  const current = questions[q - 1]!;

  return (
    <div className={`exam-take${enhanced ? " exam-take--enhanced" : ""}`}>
      <h1>{t("exams.take.title", { course: courseTitle })}</h1>
      <p className="muted">{t("exams.take.attemptNo", { n: view.attemptNo })}</p>

      <div className="exam-bar">
        <p className={`exam-timer${remaining <= 5 * 60_000 ? " exam-timer--low" : ""}`}>
          <span>{t("exams.take.timeLeft")}: </span>
          <strong role="timer" aria-live="off" data-testid="countdown">
            {formatCountdown(remaining)}
          </strong>
          <span className="muted"> · {t("exams.take.deadline", { time: formatClock(locale, view.deadlineAt) })}</span>
        </p>
        <p className="visually-hidden" aria-live="polite">
          {remaining <= 0 ? "" : minutesLeft <= 1 ? t("exams.take.minutesLeft", { n: 1 }) : minutesLeft <= 5 ? t("exams.take.minutesLeft", { n: 5 }) : ""}
        </p>
        {enhanced ? (
          <p className={`exam-bar__save${unsaved > 0 ? " exam-save--error" : ""}`} role="status" data-testid="save-summary">
            {queue?.closed
              ? queue.closed.message
              : unsaved > 0
                ? t("exams.take.unsaved", { n: unsaved })
                : lastSaved !== null
                  ? t("exams.take.allSaved", { time: formatClock(locale, lastSaved) })
                  : t("exams.take.nothingSaved")}
          </p>
        ) : null}
      </div>

      {actionData?.error ? (
        <div role="alert" className="alert error">
          {actionData.error}
        </div>
      ) : null}
      {remaining <= 0 || submitting === "deadline" ? (
        <div role="alert" className="alert error">
          {t("exams.take.timeUp")}
        </div>
      ) : null}
      {queue?.closed ? (
        <div role="alert" className="alert error">
          {queue.closed.message} <Link to={`/exam/${view.attemptId}/result`}>{t("exams.take.toResult")}</Link>
        </div>
      ) : null}

      {queue ? (
        <>
          <ol className="exam-questions list-plain">
          {questions.map((question, i) => {
            const state = queue.states.get(question.id);
            return (
              <li key={question.id} id={`question-${question.number}`} className="card exam-card" hidden={paged && i !== shown}>
                <QuestionFields
                  question={question}
                  total={total}
                  selected={selectedOf(question.id)}
                  disabled={submitting !== null || queue.closed !== null}
                  onChoose={(selected) => queue.choose(question.id, selected)}
                  t={t}
                />
                <SaveStatus
                  id={question.id}
                  state={state}
                  savedAt={null}
                  now={now}
                  onRetry={() => queue.retryNow()}
                  t={t}
                  locale={locale}
                />
              </li>
            );
          })}
          </ol>
          {paged ? (
            <nav aria-labelledby="exam-pager-title" className="card exam-nav exam-pager">
              <h2 id="exam-pager-title" className="visually-hidden">
                {t("exams.take.nav")}
              </h2>
              <div className="exam-pager__steps">
                <button type="button" className="button secondary" onClick={() => go(shown - 1)} disabled={shown === 0}>
                  {t("exams.take.prevQuestion")}
                </button>
                <button type="button" className="button" onClick={() => go(shown + 1)} disabled={shown === questions.length - 1}>
                  {t("exams.take.nextQuestion")}
                </button>
              </div>
              <ol className="exam-nav__list list-plain">
                {questions.map((question, i) => {
                  const answered = selectedOf(question.id).length > 0;
                  const label = i === shown ? t("exams.take.navCurrent", { n: question.number }) : answered ? t("exams.take.navAnswered", { n: question.number }) : String(question.number);
                  return (
                    <li key={question.id}>
                      <button type="button" aria-label={label} aria-current={i === shown ? "step" : undefined} className={`exam-nav__item${answered ? " exam-nav__item--answered" : ""}`} onClick={() => go(i)}>
                        {question.number}
                      </button>
                    </li>
                  );
                })}
              </ol>
              <p className="muted small">{t("exams.take.pagerHint")}</p>
            </nav>
          ) : null}
        </>
      ) : (
        <>
          {savedFlash ? (
            <p role="status" className="alert success">
              {t("exams.take.savedFlash", {
                n: savedFlash,
                time: formatClock(locale, view.answers[questions[savedFlash - 1]!.id]?.savedAt ?? view.serverNow),
              })}
            </p>
          ) : null}
          <form method="post" className="card exam-card exam-single">
            <input type="hidden" name="intent" value="save" />
            <input type="hidden" name="questionId" value={current.id} />
            <input type="hidden" name="q" value={q} />
            <QuestionFields question={current} total={total} selected={selectedOf(current.id)} t={t} />
            <SaveStatus
              id={current.id}
              state={undefined}
              savedAt={view.answers[current.id]?.selected.length ? view.answers[current.id]!.savedAt : null}
              now={now}
              t={t}
              locale={locale}
            />
            <div className="exam-actions">
              {q < total ? (
                <button type="submit" name="go" value="next" className="primary">
                  {t("exams.take.saveNext")}
                </button>
              ) : null}
              <button type="submit" name="go" value="stay" className={q < total ? "button secondary" : "primary"}>
                {t("exams.take.save")}
              </button>
              {q > 1 ? (
                <button type="submit" name="go" value="prev" className="button secondary">
                  {t("exams.take.savePrev")}
                </button>
              ) : null}
            </div>
          </form>
          <nav aria-labelledby="exam-nav-title" className="card exam-nav">
            <h2 id="exam-nav-title">{t("exams.take.nav")}</h2>
            <ol className="exam-nav__list list-plain">
              {questions.map((question) => {
                const answered = (view.answers[question.id]?.selected.length ?? 0) > 0;
                const label =
                  question.number === q
                    ? t("exams.take.navCurrent", { n: question.number })
                    : answered
                      ? t("exams.take.navAnswered", { n: question.number })
                      : String(question.number);
                return (
                  <li key={question.id}>
                    <a
                      href={`?q=${question.number}`}
                      aria-label={label}
                      aria-current={question.number === q ? "step" : undefined}
                      className={`exam-nav__item${answered ? " exam-nav__item--answered" : ""}`}
                    >
                      {question.number}
                    </a>
                  </li>
                );
              })}
            </ol>
            <p className="muted">{t("exams.take.navHint")}</p>
          </nav>
        </>
      )}

      <section className="card exam-submit" aria-labelledby="submit-title">
        <h2 id="submit-title">{t("exams.take.submitTitle")}</h2>
        <p>{t("exams.take.answered", { n: answeredCount, total })}</p>
        {answeredCount < total ? <p className="exam-save--error">{t("exams.take.unanswered", { n: total - answeredCount })}</p> : null}
        <p className="muted">{t("exams.take.submitHelp")}</p>
        <form method="post" ref={submitForm} onSubmit={onSubmit}>
          <input type="hidden" name="intent" value="submit" />
          <input type="hidden" name="reason" value="candidate" ref={reasonInput} />
          <button type="submit" className="primary" disabled={submitting !== null}>
            {submitting ? t("exams.take.submitting") : t("exams.take.submit")}
          </button>
        </form>
      </section>
    </div>
  );
}
