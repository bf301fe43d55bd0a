import { describe, expect, it } from "vitest";
import { AutosaveQueue, backoffMs, type SendResult } from "./autosave-queue";

type Call = { id: string; selected: string[]; seq: number; resolve: (r: SendResult) => void };

/** A queue over a fake transport (each send waits until the test answers it) and a fake clock and timers. */
function harness(options: { initial?: Record<string, { selected: string[]; seq: number; savedAt: number }>; stored?: Record<string, { selected: string[]; seq: number }> } = {}) {
  const calls: Call[] = [];
  const timers: { fn: () => void; at: number; id: number }[] = [];
  let clock = 1_000_000;
  let nextTimer = 1;
  let persisted: Record<string, { selected: string[]; seq: number }> = options.stored ?? {};
  const queue = new AutosaveQueue({
    initial: options.initial ?? {},
    now: () => clock,
    random: () => 0.5,
    send: (id, selected, seq) => new Promise<SendResult>((resolve) => calls.push({ id, selected, seq, resolve })),
    setTimer: (fn, ms) => {
      const id = nextTimer++;
      timers.push({ fn, at: clock + ms, id });
      return id;
    },
    clearTimer: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    storage: { load: () => persisted, save: (p) => (persisted = JSON.parse(JSON.stringify(p))) },
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    queue,
    calls,
    persisted: () => persisted,
    async answer(i: number, r: SendResult) {
      calls[i]!.resolve(r);
      await settle();
    },
    async advance(ms: number) {
      clock += ms;
      for (const t of [...timers].filter((x) => x.at <= clock)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
      await settle();
    },
  };
}

const saved = (seq: number, selected: string[], savedAt = 5): SendResult => ({ kind: "saved", stored: true, seq, savedAt, selected });

describe("AutosaveQueue", () => {
  it("sends a choice at once with a clock-based seq and shows when it was saved", async () => {
    const h = harness();
    h.queue.choose("q1", ["a"]);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({ id: "q1", selected: ["a"], seq: 1_000_000 });
    expect(h.queue.states.get("q1")!.status).toBe("saving");
    expect(h.persisted()).toEqual({ q1: { selected: ["a"], seq: 1_000_000 } });
    await h.answer(0, saved(1_000_000, ["a"], 42));
    expect(h.queue.states.get("q1")).toMatchObject({ status: "saved", savedAt: 42, savedSeq: 1_000_000 });
    expect(h.queue.unsaved()).toEqual([]);
    expect(h.persisted()).toEqual({});
  });

  it("retries a failed save with backoff until it is stored, never dropping it", async () => {
    const h = harness();
    h.queue.choose("q1", ["b"]);
    await h.answer(0, { kind: "failed" });
    expect(h.queue.states.get("q1")).toMatchObject({ status: "retrying", tries: 1, retryAt: 1_000_000 + 1000 });
    expect(h.persisted()).toHaveProperty("q1");
    await h.advance(999);
    expect(h.calls).toHaveLength(1);
    await h.advance(1);
    expect(h.calls).toHaveLength(2);
    await h.answer(1, { kind: "failed" });
    expect(h.queue.states.get("q1")).toMatchObject({ status: "retrying", tries: 2, retryAt: 1_001_000 + 2000 });
    await h.advance(2000);
    await h.answer(2, saved(h.calls[2]!.seq, ["b"]));
    expect(h.queue.states.get("q1")!.status).toBe("saved");
    expect(h.calls.map((c) => c.selected)).toEqual([["b"], ["b"], ["b"]]);
  });

  it("keeps the reason of a failure the server explained (an ended session) until a save succeeds", async () => {
    const h = harness();
    h.queue.choose("q1", ["a"]);
    await h.answer(0, { kind: "failed", message: "log in again" });
    expect(h.queue.states.get("q1")).toMatchObject({ status: "retrying", error: { code: "retrying", message: "log in again" } });
    expect(h.queue.unsaved()).toEqual(["q1"]);
    await h.advance(1000);
    await h.answer(1, saved(h.calls[1]!.seq, ["a"]));
    expect(h.queue.states.get("q1")).toMatchObject({ status: "saved", error: null });
  });

  it("sends only the newest choice after an in-flight save, with a higher seq", async () => {
    const h = harness();
    h.queue.choose("q1", ["a"]);
    h.queue.choose("q1", ["b"]);
    h.queue.choose("q1", ["c"]);
    expect(h.calls).toHaveLength(1);
    await h.answer(0, saved(h.calls[0]!.seq, ["a"]));
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1]!.selected).toEqual(["c"]);
    expect(h.calls[1]!.seq).toBeGreaterThan(h.calls[0]!.seq);
    expect(h.queue.states.get("q1")!.status).toBe("saving");
    await h.answer(1, saved(h.calls[1]!.seq, ["c"]));
    expect(h.queue.states.get("q1")).toMatchObject({ status: "saved", selected: ["c"] });
  });

  it("adopts a newer answer the server already holds (another tab)", async () => {
    const h = harness();
    h.queue.choose("q1", ["a"]);
    await h.answer(0, { kind: "saved", stored: false, seq: 2_000_000, savedAt: 7, selected: ["d"] });
    expect(h.queue.states.get("q1")).toMatchObject({ status: "saved", selected: ["d"], seq: 2_000_000 });
  });

  it("shows a rejected answer without retrying, and stops everything once the attempt is closed", async () => {
    const h = harness();
    h.queue.choose("q1", ["zz"]);
    await h.answer(0, { kind: "rejected", error: "unknown_option", message: "bad" });
    expect(h.queue.states.get("q1")).toMatchObject({ status: "rejected", error: { code: "unknown_option", message: "bad" } });
    expect(h.queue.unsaved()).toEqual([]);
    h.queue.choose("q2", ["a"]);
    await h.answer(1, { kind: "rejected", error: "deadline_passed", message: "late" });
    expect(h.queue.closed).toEqual({ code: "deadline_passed", message: "late" });
    h.queue.choose("q3", ["a"]);
    expect(h.calls).toHaveLength(2);
  });

  it("re-sends choices left in local storage by a closed tab, unless the server already has newer ones", async () => {
    const h = harness({
      initial: { q1: { selected: ["a"], seq: 10, savedAt: 1 }, q2: { selected: ["a"], seq: 50, savedAt: 1 } },
      stored: { q1: { selected: ["b"], seq: 20 }, q2: { selected: ["c"], seq: 40 } },
    });
    expect(h.calls.map((c) => [c.id, c.selected, c.seq])).toEqual([["q1", ["b"], 20]]);
    expect(h.queue.states.get("q2")!.selected).toEqual(["a"]);
  });

  it("flush resolves once everything is stored, or false after its timeout", async () => {
    const h = harness();
    h.queue.choose("q1", ["a"]);
    const flushed = h.queue.flush(5000);
    await h.answer(0, saved(h.calls[0]!.seq, ["a"]));
    expect(await flushed).toBe(true);

    h.queue.choose("q2", ["a"]);
    const stuck = h.queue.flush(3000);
    await h.answer(1, { kind: "failed" });
    await h.advance(1000); // the retry goes out…
    await h.answer(2, { kind: "failed" });
    await h.advance(2000); // …and the flush gives up
    expect(await stuck).toBe(false);
    expect(h.queue.unsaved()).toEqual(["q2"]);
  });
});

describe("backoffMs", () => {
  it.each([
    [1, 0.5, 1000],
    [2, 0.5, 2000],
    [3, 0.5, 4000],
    [5, 0.5, 15000],
    [9, 0.5, 15000],
    [1, 0, 800],
    [1, 1, 1200],
  ])("try %i with random %f waits %i ms", (tries, random, expected) => {
    expect(backoffMs(tries, random)).toBe(expected);
  });
});
