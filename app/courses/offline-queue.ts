/**
 * Progress made offline (browser side). A "lesson read" event is queued in localStorage with its event id, then
 * delivered with a plain form POST whenever the browser is online; the server ignores a replayed event id, so a
 * retry never double counts. Nothing here runs on the server.
 */
export interface QueuedRead {
  url: string; // the lesson URL the action lives on
  eventId: string;
}

const KEY = "lms:progress-queue";

type Store = Pick<Storage, "getItem" | "setItem">;

export function readQueue(store: Store): QueuedRead[] {
  try {
    const parsed = JSON.parse(store.getItem(KEY) ?? "[]") as unknown;
    return Array.isArray(parsed) ? parsed.filter((q): q is QueuedRead => typeof q?.url === "string" && typeof q?.eventId === "string") : [];
  } catch {
    return [];
  }
}

export function enqueueRead(store: Store, item: QueuedRead): void {
  const queue = readQueue(store).filter((q) => q.url !== item.url);
  queue.push(item);
  store.setItem(KEY, JSON.stringify(queue));
}

/**
 * Sends every queued event. Delivered (2xx) and refused (4xx: unknown lesson, account without a person) events
 * leave the queue; network failures and 5xx stay for the next try. Returns what is still queued.
 */
export async function flushQueue(store: Store, send: (q: QueuedRead) => Promise<number>): Promise<QueuedRead[]> {
  const settled = new Set<string>();
  for (const q of readQueue(store)) {
    let status = 0;
    try {
      status = await send(q);
    } catch {
      status = 0;
    }
    if (status !== 0 && status < 500) settled.add(q.eventId);
  }
  // Re-read: events queued while we were sending stay queued.
  const remaining = readQueue(store).filter((q) => !settled.has(q.eventId));
  store.setItem(KEY, JSON.stringify(remaining));
  return remaining;
}

/** The browser's sender: the same POST the no-JS form makes, as a form body. */
export async function postRead(q: QueuedRead): Promise<number> {
  const body = new URLSearchParams({ intent: "read", eventId: q.eventId, js: "1" });
  const response = await fetch(q.url, { method: "POST", body, credentials: "same-origin", redirect: "manual" });
  return response.type === "opaqueredirect" ? 200 : response.status;
}
