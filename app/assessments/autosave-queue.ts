/**
 * The browser side of autosave, kept free of React and of `fetch` so its promises (no answer silently dropped, a
 * late retry never beats a newer answer) are tested with a fake transport and a fake clock.
 *
 * - Every choice gets a sequence number max(previous + 1, server-aligned clock); the server stores a save only
 *   when its seq is higher than the stored one.
 * - One request per question at a time; the newest choice is sent when the previous request returns.
 * - A network failure or a 5xx/429 is retried with exponential backoff (1 s, 2 s, 4 s … 15 s, with jitter) and
 *   shown; a 4xx is shown and not retried; "attempt closed"/"deadline passed" stop the whole queue.
 * - Unsaved choices are mirrored to `storage` (localStorage) so a closed tab or a crash re-sends them on reload.
 */

export type SendResult =
  | { kind: "saved"; stored: boolean; seq: number; savedAt: number; selected: string[] }
  | { kind: "rejected"; error: string; message: string }
  /** network trouble, a server error or an ended session: retried; `message` says why when the server said so */
  | { kind: "failed"; message?: string };

export type QuestionStatus = "idle" | "pending" | "saving" | "saved" | "retrying" | "rejected";

export type QuestionState = {
  selected: string[];
  /** seq of the newest local choice */
  seq: number;
  /** highest seq the server acknowledged as stored */
  savedSeq: number;
  savedAt: number | null;
  status: QuestionStatus;
  tries: number;
  retryAt: number | null;
  error: { code: string; message: string } | null;
};

export type PendingStore = {
  load(): Record<string, { selected: string[]; seq: number }>;
  save(pending: Record<string, { selected: string[]; seq: number }>): void;
};

export type AutosaveOptions = {
  initial: Record<string, { selected: string[]; seq: number; savedAt: number }>;
  send(questionId: string, selected: string[], seq: number): Promise<SendResult>;
  /** server time minus local time, measured at page load */
  clockOffset?: number;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  storage?: PendingStore;
  onChange?: () => void;
};

/** Errors after which no save can succeed any more. */
export const FATAL_ERRORS = new Set(["attempt_closed", "deadline_passed", "not_found"]);

export function backoffMs(tries: number, random: number): number {
  const base = Math.min(15_000, 1000 * 2 ** Math.max(0, tries - 1));
  return Math.round(base * (0.8 + 0.4 * random));
}

export class AutosaveQueue {
  readonly states = new Map<string, QuestionState>();
  closed: { code: string; message: string } | null = null;
  private inFlight = new Set<string>();
  private timers = new Map<string, unknown>();
  private waiters: (() => void)[] = [];
  private readonly o: Required<Omit<AutosaveOptions, "storage" | "onChange">> & Pick<AutosaveOptions, "storage" | "onChange">;

  constructor(options: AutosaveOptions) {
    this.o = {
      clockOffset: 0,
      now: () => Date.now(),
      random: Math.random,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
    for (const [id, a] of Object.entries(options.initial)) {
      this.states.set(id, {
        selected: [...a.selected],
        seq: a.seq,
        savedSeq: a.seq,
        savedAt: a.savedAt,
        status: "saved",
        tries: 0,
        retryAt: null,
        error: null,
      });
    }
    // Choices that never reached the server before the page was closed: send them again if still newer.
    const stored = options.storage?.load() ?? {};
    for (const [id, p] of Object.entries(stored)) {
      const state = this.state(id);
      if (p.seq > state.savedSeq && Array.isArray(p.selected)) {
        Object.assign(state, { selected: [...p.selected], seq: p.seq, status: "pending" as const });
      }
    }
    this.persist();
    for (const id of this.states.keys()) this.kick(id);
  }

  private state(id: string): QuestionState {
    let s = this.states.get(id);
    if (!s) {
      s = { selected: [], seq: 0, savedSeq: 0, savedAt: null, status: "idle", tries: 0, retryAt: null, error: null };
      this.states.set(id, s);
    }
    return s;
  }

  /** The candidate chose `selected` for question `id`. */
  choose(id: string, selected: string[]): void {
    if (this.closed) return;
    const s = this.state(id);
    s.selected = [...selected];
    s.seq = Math.max(s.seq + 1, Math.floor(this.o.now() + this.o.clockOffset));
    s.status = "pending";
    s.error = null;
    this.cancelTimer(id);
    this.persist();
    this.changed();
    this.kick(id);
  }

  /** Questions whose newest choice is not stored on the server yet. */
  unsaved(): string[] {
    return [...this.states.entries()]
      .filter(([, s]) => s.seq > s.savedSeq && s.status !== "rejected")
      .map(([id]) => id);
  }

  lastSavedAt(): number | null {
    let last: number | null = null;
    for (const s of this.states.values()) if (s.savedAt !== null && (last === null || s.savedAt > last)) last = s.savedAt;
    return last;
  }

  /** Sends every unsaved choice now (skipping backoff waits), e.g. on the `online` event or a click. */
  retryNow(): void {
    for (const id of this.unsaved()) {
      this.cancelTimer(id);
      this.kick(id);
    }
  }

  /** Resolves true once nothing is unsaved, false after `timeoutMs` (or when the attempt closed). */
  flush(timeoutMs: number): Promise<boolean> {
    this.retryNow();
    if (this.unsaved().length === 0 || this.closed) return Promise.resolve(this.unsaved().length === 0);
    return new Promise((resolve) => {
      let done = false;
      const finish = (value: boolean) => {
        if (done) return;
        done = true;
        resolve(value);
      };
      const timer = this.o.setTimer(() => finish(this.unsaved().length === 0), timeoutMs);
      const check = () => {
        if (this.unsaved().length === 0 || this.closed) {
          this.o.clearTimer(timer);
          finish(this.unsaved().length === 0);
        } else {
          this.waiters.push(check);
        }
      };
      this.waiters.push(check);
    });
  }

  dispose(): void {
    for (const id of [...this.timers.keys()]) this.cancelTimer(id);
  }

  private kick(id: string): void {
    if (this.closed || this.inFlight.has(id) || this.timers.has(id)) return;
    const s = this.state(id);
    if (s.seq <= s.savedSeq || s.status === "rejected") return;
    void this.sendOne(id);
  }

  private async sendOne(id: string): Promise<void> {
    const s = this.state(id);
    const seq = s.seq;
    const selected = [...s.selected];
    this.inFlight.add(id);
    s.status = "saving";
    this.changed();
    let result: SendResult;
    try {
      result = await this.o.send(id, selected, seq);
    } catch {
      result = { kind: "failed" };
    }
    this.inFlight.delete(id);
    if (result.kind === "saved") {
      s.error = null;
      s.tries = 0;
      s.retryAt = null;
      s.savedAt = result.savedAt;
      if (result.stored) {
        s.savedSeq = Math.max(s.savedSeq, seq);
      } else {
        // The server holds a newer answer (another tab): it wins unless we chose again meanwhile.
        s.savedSeq = Math.max(s.savedSeq, result.seq);
        if (result.seq >= s.seq) {
          s.seq = result.seq;
          s.selected = [...result.selected];
        }
      }
      s.status = s.seq > s.savedSeq ? "pending" : "saved";
    } else if (result.kind === "rejected") {
      s.error = { code: result.error, message: result.message };
      s.status = "rejected";
      if (FATAL_ERRORS.has(result.error)) {
        this.closed = { code: result.error, message: result.message };
        this.dispose();
      }
    } else {
      s.error = result.message ? { code: "retrying", message: result.message } : null;
      s.tries += 1;
      const wait = backoffMs(s.tries, this.o.random());
      s.retryAt = this.o.now() + wait;
      s.status = "retrying";
      this.timers.set(
        id,
        this.o.setTimer(() => {
          this.timers.delete(id);
          this.kick(id);
        }, wait),
      );
    }
    this.persist();
    this.changed();
    this.kick(id);
  }

  private cancelTimer(id: string): void {
    const t = this.timers.get(id);
    if (t !== undefined) {
      this.o.clearTimer(t);
      this.timers.delete(id);
    }
  }

  private persist(): void {
    if (!this.o.storage) return;
    const pending: Record<string, { selected: string[]; seq: number }> = {};
    for (const [id, s] of this.states) if (s.seq > s.savedSeq && s.status !== "rejected") pending[id] = { selected: s.selected, seq: s.seq };
    try {
      this.o.storage.save(pending);
    } catch {
      // Storage full or disabled (private mode): the in-memory queue still retries.
    }
  }

  private changed(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    this.o.onChange?.();
  }
}
