/**
 * The cluster's write turns: the primary's queue (one holder, first come first served, the holder asked to hand over
 * when others wait, a dead worker's turn passed on) and the worker's side over a fake IPC channel: it keeps the turn
 * until asked, hands it over after its current write, and writes anyway when the primary does not answer.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { clusterWriteLock, createWriteTurns, MAX_TURN_MS, type LockClient } from "./cluster-write-lock";

type Msg = Record<string, unknown> & { id: number };

function client(id: number): LockClient & { inbox: Msg[] } {
  const inbox: Msg[] = [];
  return { id, inbox, send: (m) => inbox.push(m as unknown as Msg) };
}
const msg = (kind: string, id: number) => ({ "lms:write-lock": kind, id });

describe("the primary's write turns", () => {
  it("grants one turn at a time in arrival order, and asks the holder to hand over when others wait", () => {
    const turns = createWriteTurns();
    const a = client(1);
    const b = client(2);
    turns.handle(a, msg("acquire", 1));
    expect(a.inbox).toEqual([msg("granted", 1)]); // alone: no hand-over asked
    turns.handle(b, msg("acquire", 1));
    expect(a.inbox).toEqual([msg("granted", 1), msg("yield", 1)]);
    turns.handle(a, msg("acquire", 2)); // a wants it again later: queued behind b
    expect(b.inbox).toEqual([]);
    turns.handle(a, msg("release", 1));
    expect(b.inbox).toEqual([msg("granted", 1), msg("yield", 1)]); // a is waiting, so b is asked at once
    turns.handle(b, msg("release", 1));
    expect(a.inbox.at(-1)).toEqual(msg("granted", 2));
    turns.handle(a, msg("release", 2));
    expect(turns.holder).toBeNull();
    expect(turns.queued).toBe(0);
  });

  it("ignores a release that is not the holder's and other messages", () => {
    const turns = createWriteTurns();
    const a = client(1);
    const b = client(2);
    turns.handle(a, msg("acquire", 1));
    turns.handle(b, msg("release", 1));
    turns.handle(b, { hello: "world" });
    turns.handle(b, "text");
    expect(turns.holder).toEqual({ clientId: 1, id: 1 });
  });

  it("passes on the turn of a worker that exits while holding it or waiting for it", () => {
    const turns = createWriteTurns();
    const [a, b, c] = [client(1), client(2), client(3)];
    turns.handle(a, msg("acquire", 1));
    turns.handle(b, msg("acquire", 1));
    turns.handle(c, msg("acquire", 1));
    turns.forget(b); // waiting
    turns.forget(a); // holding
    expect(b.inbox).toEqual([]);
    expect(c.inbox).toEqual([msg("granted", 1)]);
    expect(turns.holder).toEqual({ clientId: 3, id: 1 });
  });

  it("skips a worker whose channel is already closed", () => {
    const turns = createWriteTurns();
    const a = client(1);
    const gone: LockClient = {
      id: 2,
      send: () => {
        throw new Error("channel closed");
      },
    };
    const c = client(3);
    turns.handle(a, msg("acquire", 1));
    turns.handle(gone, msg("acquire", 1));
    turns.handle(c, msg("acquire", 1));
    turns.handle(a, msg("release", 1));
    expect(c.inbox).toEqual([msg("granted", 1)]);
  });
});

/** A worker's IPC channel wired to a primary's turns in the same process, answering asynchronously like a pipe. */
function fakeChannel(turns: ReturnType<typeof createWriteTurns> | null, id: number) {
  const channel = Object.assign(new EventEmitter(), {
    connected: true,
    sent: [] as Msg[],
    send(m: unknown) {
      channel.sent.push(m as Msg);
      if (turns) setImmediate(() => turns.handle({ id, send: (reply) => setImmediate(() => channel.emit("message", reply)) }, m));
      return true;
    },
  });
  return channel;
}
const tick = () => new Promise((r) => setImmediate(r));

describe("a worker's write lock", () => {
  it("is absent outside a cluster worker", () => {
    expect(clusterWriteLock(null)).toBeUndefined();
  });

  it("keeps the turn between its writes while nobody else asks: one message in all", async () => {
    const turns = createWriteTurns();
    const channel = fakeChannel(turns, 1);
    const lock = clusterWriteLock(channel as never)!;
    for (let i = 0; i < 5; i++) {
      await lock.acquire();
      lock.done(false);
    }
    expect(channel.sent).toEqual([msg("acquire", 1)]);
    expect(turns.holder).toEqual({ clientId: 1, id: 1 });
  });

  it("never lets two workers' writes overlap, and hands the turn over when asked", async () => {
    const turns = createWriteTurns();
    const locks = [clusterWriteLock(fakeChannel(turns, 1) as never)!, clusterWriteLock(fakeChannel(turns, 2) as never)!];
    let inside = 0;
    let maxInside = 0;
    const perWorker = [0, 0];
    // Each worker runs its writes one after another, as its own mutex does.
    await Promise.all(
      locks.map(async (lock, w) => {
        for (let i = 0; i < 10; i++) {
          await lock.acquire();
          inside++;
          maxInside = Math.max(maxInside, inside);
          perWorker[w]!++;
          await new Promise((r) => setTimeout(r, 1));
          inside--;
          lock.done(i < 9);
        }
      }),
    );
    expect(maxInside).toBe(1);
    expect(perWorker).toEqual([10, 10]);
  });

  it("hands the turn over at once when asked while idle", async () => {
    const turns = createWriteTurns();
    const a = fakeChannel(turns, 1);
    const lockA = clusterWriteLock(a as never)!;
    await lockA.acquire();
    lockA.done(false);
    const lockB = clusterWriteLock(fakeChannel(turns, 2) as never)!;
    await lockB.acquire(); // resolves only once a gave the turn back
    expect(a.sent.at(-1)).toEqual(msg("release", 1));
    expect(turns.holder).toEqual({ clientId: 2, id: 1 });
    lockB.done(false);
  });

  it(`keeps the turn for queued writes at most ${MAX_TURN_MS} ms after being asked`, async () => {
    const channel = fakeChannel(null, 1);
    const lock = clusterWriteLock(channel as never)!;
    const first = lock.acquire();
    channel.emit("message", msg("granted", 1));
    await first;
    channel.emit("message", msg("yield", 1)); // asked while writing
    lock.done(true); // more queued, asked just now: keep it
    expect(channel.sent).toEqual([msg("acquire", 1)]);
    await lock.acquire();
    await new Promise((r) => setTimeout(r, MAX_TURN_MS + 5));
    lock.done(true); // still more queued, but the time is up
    expect(channel.sent.at(-1)).toEqual(msg("release", 1));
  });

  it("writes anyway when the primary does not answer in time, and hands a late turn straight back", async () => {
    const channel = fakeChannel(null, 1);
    const lock = clusterWriteLock(channel as never, 20)!;
    await lock.acquire();
    lock.done(false);
    expect(channel.sent).toEqual([msg("acquire", 1)]);
    channel.emit("message", msg("granted", 1));
    await tick();
    expect(channel.sent.at(-1)).toEqual(msg("release", 1));
  });

  it("does not ask a primary that is gone", async () => {
    const channel = fakeChannel(null, 1);
    channel.connected = false;
    const lock = clusterWriteLock(channel as never)!;
    await lock.acquire();
    lock.done(false);
    expect(channel.sent).toEqual([]);
  });
});
