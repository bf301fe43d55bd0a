/**
 * One writer at a time across the cluster's worker processes, queued in the primary instead of in SQLite's busy
 * handler (docs/decisions/0010-exam-stampede.md).
 *
 * Why: two workers that write at once meet at SQLite's file lock, and libSQL waits for it *synchronously*: the
 * busy handler sleeps on the main thread (1, 2, 5 … 100 ms), so the waiting worker serves nothing else meanwhile,
 * and the holder usually re-takes the lock before the sleeper wakes. Under an exam rush that turned into seconds of
 * stalls and, past the 5 s busy timeout, SQLITE_BUSY errors. Here a worker asks the primary for the write turn over
 * the cluster IPC channel and waits for it asynchronously (its event loop keeps serving reads and pages); the
 * primary grants turns first come, first served, so each worker's `BEGIN IMMEDIATE` finds the file lock free.
 *
 * The turn is an optimisation, never what makes writes correct: SQLite's own lock still serialises every write
 * (and any process outside the cluster, such as a CLI command). So when there is no primary to ask (a single
 * process, tests, the CLI), or the primary does not answer within `GRANT_TIMEOUT_MS`, a write simply proceeds and
 * SQLite's busy handler takes over as before.
 */
import cluster, { type Worker } from "node:cluster";

/**
 * A process's hold on the cross-process write turn. A process keeps the turn after its write (the next write costs
 * no message at all) until another process asks for it; then it gives it back after the current write, or, while
 * more writes are queued here, at most `MAX_TURN_MS` later, so a rush costs one hand-over per batch of writes.
 */
export interface ProcessWriteLock {
  /** Resolves once this process holds the turn (at once while it still holds it). Never two at a time. */
  acquire(): Promise<void>;
  /** After each write: `moreQueued` says whether other writes of this process are waiting to run. */
  done(moreQueued: boolean): void;
}

const TAG = "lms:write-lock";
export const GRANT_TIMEOUT_MS = 10_000;
/** Longest a process keeps the turn, once asked for it, while it still has writes queued. */
export const MAX_TURN_MS = 50;

type LockMessage = { [TAG]: "acquire" | "release" | "granted" | "yield"; id: number };

function isLockMessage(m: unknown): m is LockMessage {
  return typeof m === "object" && m !== null && TAG in m && typeof (m as LockMessage).id === "number";
}

/**
 * The worker side: a lock that asks the primary, or undefined when this process is not a cluster worker.
 * `channel` is for tests (defaults to this process's IPC channel).
 */
export function clusterWriteLock(
  channel: Pick<NodeJS.Process, "send" | "on" | "connected"> | null = cluster.isWorker && process.send ? process : null,
  timeoutMs = GRANT_TIMEOUT_MS,
): ProcessWriteLock | undefined {
  if (!channel) return undefined;
  let nextId = 1;
  let state: "free" | "asking" | "held" = "free";
  let turnId = 0;
  let writing = false;
  let askedBackAt: number | null = null;
  let granted: (() => void) | null = null;
  const abandoned = new Set<number>();
  const send = (kind: LockMessage[typeof TAG], id: number) => {
    if (channel.connected && channel.send) channel.send({ [TAG]: kind, id } satisfies LockMessage);
  };
  const giveBack = () => {
    state = "free";
    askedBackAt = null;
    send("release", turnId);
  };
  channel.on("message", (m: unknown) => {
    if (!isLockMessage(m)) return;
    if (m[TAG] === "granted") {
      if (abandoned.delete(m.id)) return send("release", m.id); // too late: this process wrote without it
      if (state === "asking" && m.id === turnId) {
        state = "held";
        granted?.();
      }
    } else if (m[TAG] === "yield" && m.id === turnId && state !== "free") {
      askedBackAt ??= Date.now();
      if (state === "held" && !writing) giveBack();
    }
  });
  return {
    acquire() {
      writing = true;
      if (state === "held" || !channel.connected || !channel.send) return Promise.resolve();
      state = "asking";
      turnId = nextId++;
      const id = turnId;
      return new Promise<void>((resolve) => {
        // No answer in time (a primary that is gone or stuck): write anyway, SQLite's lock still serialises.
        const timer = setTimeout(() => {
          abandoned.add(id);
          state = "free";
          askedBackAt = null;
          granted = null;
          resolve();
        }, timeoutMs);
        timer.unref();
        granted = () => {
          clearTimeout(timer);
          granted = null;
          resolve();
        };
        send("acquire", id);
      });
    },
    done(moreQueued) {
      writing = false;
      if (state === "held" && askedBackAt !== null && (!moreQueued || Date.now() - askedBackAt >= MAX_TURN_MS)) giveBack();
    },
  };
}

/** What the primary needs of a worker (cluster.Worker satisfies it; tests pass fakes). */
export interface LockClient {
  id: number;
  send(message: LockMessage): unknown;
}

/** The primary side: a first-come, first-served queue of write turns, one holder at a time. */
export function createWriteTurns() {
  type Turn = { client: LockClient; id: number; askedBack: boolean };
  let holder: Turn | null = null;
  const queue: Turn[] = [];

  function askBack(): void {
    if (!holder || holder.askedBack || queue.length === 0) return;
    holder.askedBack = true;
    try {
      holder.client.send({ [TAG]: "yield", id: holder.id });
    } catch {
      // gone: its exit handler passes the turn on
    }
  }

  function grantNext(): void {
    while (!holder && queue.length > 0) {
      const next = queue.shift()!;
      holder = next;
      try {
        next.client.send({ [TAG]: "granted", id: next.id });
      } catch {
        holder = null; // the worker is gone; its exit handler cleans up the rest
      }
    }
    askBack(); // others are still waiting: the new holder writes what it has, then hands over
  }

  return {
    handle(client: LockClient, message: unknown): void {
      if (!isLockMessage(message)) return;
      if (message[TAG] === "acquire") {
        queue.push({ client, id: message.id, askedBack: false });
        grantNext();
      } else if (message[TAG] === "release") {
        if (holder && holder.client.id === client.id && holder.id === message.id) {
          holder = null;
          grantNext();
        } else {
          // A turn given back before it was granted (the worker stopped waiting): drop it from the queue.
          const i = queue.findIndex((t) => t.client.id === client.id && t.id === message.id);
          if (i >= 0) queue.splice(i, 1);
        }
      }
    },
    /** A worker exited: its turn (held or queued) goes to the next one. */
    forget(client: LockClient): void {
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.client.id === client.id) queue.splice(i, 1);
      if (holder?.client.id === client.id) {
        holder = null;
        grantNext();
      }
    },
    get holder(): { clientId: number; id: number } | null {
      return holder ? { clientId: holder.client.id, id: holder.id } : null;
    },
    get queued(): number {
      return queue.length;
    },
  };
}

/** Wires the turns into the cluster primary (scripts/start.ts): every worker's lock messages, and worker exits. */
export function serveClusterWriteLock(): void {
  const turns = createWriteTurns();
  cluster.on("message", (worker: Worker, message: unknown) => turns.handle(worker, message));
  cluster.on("exit", (worker: Worker) => turns.forget(worker));
}
