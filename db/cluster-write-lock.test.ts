/**
 * The cluster's write turns: the primary's queue (one holder, first come first served, a dead worker's turn passed
 * on) and the worker's side of the protocol over a fake IPC channel, including a primary that never answers.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { clusterWriteLock, createWriteTurns, type LockClient } from "./cluster-write-lock";

type Msg = Record<string, unknown> & { id: number };

function client(id: number): LockClient & { inbox: Msg[] } {
  const inbox: Msg[] = [];
  return { id, inbox, send: (m) => inbox.push(m as unknown as Msg) };
}
const acquire = (id: number) => ({ "lms:write-lock": "acquire", id });
const release = (id: number) => ({ "lms:write-lock": "release", id });

describe("the primary's write turns", () => {
  it("grants one turn at a time, in arrival order", () => {
    const turns = createWriteTurns();
    const a = client(1);
    const b = client(2);
    turns.handle(a, acquire(1));
    turns.handle(b, acquire(1));
    turns.handle(a, acquire(2));
    expect(a.inbox).toEqual([{ "lms:write-lock": "granted", id: 1 }]);
    expect(b.inbox).toEqual([]);
    turns.handle(a, release(1));
    expect(b.inbox).toEqual([{ "lms:write-lock": "granted", id: 1 }]);
    expect(a.inbox).toHaveLength(1); // a's second turn waits behind b
    turns.handle(b, release(1));
    expect(a.inbox.at(-1)).toEqual({ "lms:write-lock": "granted", id: 2 });
    turns.handle(a, release(2));
    expect(turns.holder).toBeNull();
    expect(turns.queued).toBe(0);
  });

  it("ignores a release that is not the holder's and other messages", () => {
    const turns = createWriteTurns();
    const a = client(1);
    const b = client(2);
    turns.handle(a, acquire(1));
    turns.handle(b, release(1));
    turns.handle(b, { hello: "world" });
    turns.handle(b, "text");
    expect(turns.holder).toEqual({ clientId: 1, id: 1 });
  });

  it("passes on the turn of a worker that exits while holding it or waiting for it", () => {
    const turns = createWriteTurns();
    const a = client(1);
    const b = client(2);
    const c = client(3);
    turns.handle(a, acquire(1));
    turns.handle(b, acquire(1));
    turns.handle(c, acquire(1));
    turns.forget(b); // waiting
    turns.forget(a); // holding
    expect(b.inbox).toEqual([]);
    expect(c.inbox).toEqual([{ "lms:write-lock": "granted", id: 1 }]);
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
    turns.handle(a, acquire(1));
    turns.handle(gone, acquire(1));
    turns.handle(c, acquire(1));
    turns.handle(a, release(1));
    expect(c.inbox).toEqual([{ "lms:write-lock": "granted", id: 1 }]);
  });
});

/** A worker's IPC channel wired to a primary's turns in the same process. */
function fakeChannel(turns: ReturnType<typeof createWriteTurns> | null, id: number) {
  const channel = Object.assign(new EventEmitter(), {
    connected: true,
    sent: [] as Msg[],
    send(m: unknown) {
      channel.sent.push(m as Msg);
      // the primary answers asynchronously, as over a real pipe
      if (turns) setImmediate(() => turns.handle({ id, send: (reply) => setImmediate(() => channel.emit("message", reply)) }, m));
      return true;
    },
  });
  return channel;
}

describe("a worker's write lock", () => {
  it("is absent outside a cluster worker", () => {
    expect(clusterWriteLock(null)).toBeUndefined();
  });

  it("never lets two workers' critical sections overlap", async () => {
    const turns = createWriteTurns();
    const locks = [clusterWriteLock(fakeChannel(turns, 1) as never)!, clusterWriteLock(fakeChannel(turns, 2) as never)!];
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const release = await locks[i % 2]!();
        inside++;
        maxInside = Math.max(maxInside, inside);
        order.push(i);
        await new Promise((r) => setTimeout(r, 1));
        inside--;
        release();
      }),
    );
    expect(maxInside).toBe(1);
    expect(order).toHaveLength(20);
    await new Promise((r) => setImmediate(r)); // the last release reaches the primary
    expect(turns.holder).toBeNull();
  });

  it("writes anyway when the primary does not answer in time, and hands a late turn straight back", async () => {
    const channel = fakeChannel(null, 1);
    const lock = clusterWriteLock(channel as never, 20)!;
    const release = await lock();
    release();
    expect(channel.sent).toEqual([{ "lms:write-lock": "acquire", id: 1 }]);
    channel.emit("message", { "lms:write-lock": "granted", id: 1 });
    expect(channel.sent.at(-1)).toEqual({ "lms:write-lock": "release", id: 1 });
  });

  it("does not ask a primary that is gone", async () => {
    const channel = fakeChannel(null, 1);
    channel.connected = false;
    const release = await clusterWriteLock(channel as never)!();
    release();
    expect(channel.sent).toEqual([]);
  });
});
