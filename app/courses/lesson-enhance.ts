/**
 * The lesson page's behaviour in the browser (ADR 0017), plain DOM code on the server-rendered markup of
 * lesson-page.server.ts, so it is the same whether the page came as a plain document (lesson.entry.client.ts
 * runs it) or was rendered by the Remix route after a client navigation (the route's effect runs it):
 * - self-checks and glossary terms (components/mdx/enhance.ts);
 * - "mark as read" without leaving the page, with a saving state and an error message that never loses the form;
 * - auto-mark when the reader reaches the end and stays (through the offline queue: "saved" or "queued");
 * - the visit beacon that sets the course's resume point, and the resume point within the lesson (per device);
 * - delivery of progress queued while offline, now and when the connection returns.
 * Returns its cleanup.
 */
import { enhanceMdx } from "~/components/mdx/enhance";
import { enqueueRead, flushQueue, postRead } from "./offline-queue";

/** The reader must have had the page open this long, and the end of the lesson in view this long, to auto-mark. */
export const MIN_OPEN_MS = 5_000;
export const MIN_AT_END_MS = 1_500;

function newEventId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** localStorage can be missing or refuse (private mode, quota): resume-in-lesson is a nicety, never an error. */
function safeStorage<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

const storage = (): Storage | null => safeStorage(() => window.localStorage);

export function enhanceLessonPage(host: HTMLElement): () => void {
  const root = host.querySelector<HTMLElement>(".lesson[data-lesson]");
  if (!root) return () => undefined;
  const cleanups: (() => void)[] = [];
  const on = <K extends keyof WindowEventMap>(target: Window, type: K, fn: (ev: WindowEventMap[K]) => void, opts?: AddEventListenerOptions) => {
    target.addEventListener(type, fn, opts);
    cleanups.push(() => target.removeEventListener(type, fn, opts));
  };
  const url = `/courses/${root.dataset.course}/${root.dataset.lesson}`;
  const hasPerson = root.dataset.person === "1";
  let done = root.dataset.read === "1";
  const openedAt = Date.now();

  const body = root.querySelector<HTMLElement>(".mdx-body");
  if (body) cleanups.push(enhanceMdx(body));

  const message = (name: "read" | "saved" | "queued" | "error" | null) => {
    for (const p of root.querySelectorAll<HTMLElement>("[data-message]")) p.hidden = p.dataset.message !== name;
  };
  /** The page after a read was recorded (`lessonsRead`: the server's count, when it said). */
  const showRead = (how: "saved" | "queued", progress?: { lessonsRead: number; allRead: boolean }) => {
    done = true;
    message(how);
    const form = root.querySelector<HTMLFormElement>("form.lesson__mark");
    if (form) form.hidden = true;
    const badge = root.querySelector<HTMLElement>("[data-lesson-read]");
    if (badge) badge.hidden = false;
    const bar = root.querySelector<HTMLProgressElement>(".course-progress progress");
    if (bar && how === "saved") {
      const read = progress?.lessonsRead ?? Math.min(Number(bar.max), Number(bar.value) + 1);
      const label = (bar.dataset.count ?? "").replace("{read}", String(read));
      bar.value = read;
      bar.setAttribute("aria-valuetext", label);
      const text = root.querySelector(".course-progress__text");
      if (text) text.textContent = label;
      const exam = root.querySelector<HTMLElement>("[data-exam]");
      if (exam && (progress?.allRead ?? read >= Number(bar.max))) exam.hidden = false;
    }
  };

  // Deliver progress queued while offline: now, and whenever the connection comes back.
  const flush = () => {
    const s = storage();
    if (s) void flushQueue(s, postRead).catch(() => undefined);
  };
  flush();
  on(window, "online", flush);

  // Resume point of the course: tell the server which lesson is open (fire and forget; offline it is skipped).
  if (hasPerson && navigator.onLine) {
    fetch(url, { method: "POST", body: new URLSearchParams({ intent: "visit", js: "1" }), credentials: "same-origin" }).catch(() => undefined);
  }

  // Resume within the lesson on this device: the last section heading scrolled past, restored when the unread
  // lesson is opened again without an explicit #anchor.
  const article = root.querySelector("article.lesson__body");
  if (article) {
    const key = `lms:section:${root.dataset.course}/${root.dataset.lesson}`;
    const saved = safeStorage(() => localStorage.getItem(key));
    if (!done && saved && !window.location.hash) document.getElementById(saved)?.scrollIntoView();
    let pending = false;
    on(
      window,
      "scroll",
      () => {
        if (pending) return;
        pending = true;
        setTimeout(() => {
          pending = false;
          let current: string | null = null;
          for (const h of article.querySelectorAll("h2[id]")) if (h.getBoundingClientRect().top < 120) current = h.id;
          safeStorage(() => (current ? localStorage.setItem(key, current) : localStorage.removeItem(key)));
        }, 500);
      },
      { passive: true },
    );
  }

  // "Mark as read" without leaving the page. Without JavaScript the same form posts and comes back (303).
  const form = root.querySelector<HTMLFormElement>("form.lesson__mark");
  if (form) {
    const onSubmit = (ev: SubmitEvent) => {
      ev.preventDefault();
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      const label = button?.textContent ?? "";
      if (button) {
        button.disabled = true;
        button.textContent = button.dataset.saving ?? label;
      }
      message(null);
      const data = new URLSearchParams(new FormData(form) as unknown as Record<string, string>);
      data.set("js", "1");
      data.set("eventId", newEventId());
      fetch(url, { method: "POST", body: data, credentials: "same-origin" })
        .then(async (r) => {
          const json = (await r.json().catch(() => null)) as { ok?: boolean; progress?: { lessonsRead: number; allRead: boolean } } | null;
          if (!r.ok || !json?.ok) throw new Error(String(r.status));
          showRead("saved", json.progress);
        })
        .catch(() => {
          message("error");
          if (button) {
            button.disabled = false;
            button.textContent = label;
          }
        });
    };
    form.addEventListener("submit", onSubmit);
    cleanups.push(() => form.removeEventListener("submit", onSubmit));
  }

  // Auto-mark when the reader reaches the end of the lesson and stays there a moment.
  const end = root.querySelector(".lesson__end");
  if (end && hasPerson && !done && typeof IntersectionObserver !== "undefined") {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sent = false;
    const send = () => {
      const s = storage();
      if (sent || done || !s) return;
      sent = true;
      enqueueRead(s, { url, eventId: newEventId() });
      void flushQueue(s, postRead).then((left) => showRead(left.some((q) => q.url === url) ? "queued" : "saved"));
    };
    const observer = new IntersectionObserver((entries) => {
      clearTimeout(timer);
      if (entries.some((x) => x.isIntersecting)) timer = setTimeout(send, Math.max(MIN_AT_END_MS, openedAt + MIN_OPEN_MS - Date.now()));
    });
    observer.observe(end);
    cleanups.push(() => {
      clearTimeout(timer);
      observer.disconnect();
    });
  }

  return () => {
    for (const c of cleanups) c();
  };
}
