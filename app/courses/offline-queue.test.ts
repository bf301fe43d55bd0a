import { describe, expect, it } from "vitest";
import { enqueueRead, flushQueue, readQueue } from "./offline-queue";

function memoryStore() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe("offline progress queue", () => {
  it("keeps one event per lesson and survives garbage in storage", () => {
    const store = memoryStore();
    store.setItem("lms:progress-queue", "{not json");
    expect(readQueue(store)).toEqual([]);
    enqueueRead(store, { url: "/courses/a/x", eventId: "e1" });
    enqueueRead(store, { url: "/courses/a/x", eventId: "e2" });
    enqueueRead(store, { url: "/courses/a/y", eventId: "e3" });
    expect(readQueue(store).map((q) => q.eventId)).toEqual(["e2", "e3"]);
  });

  it.each([
    [200, []],
    [303, []],
    [404, []],
    [409, []],
    [500, ["e1"]],
    [0, ["e1"]],
  ])("a send answered %s leaves %j queued", async (status, left) => {
    const store = memoryStore();
    enqueueRead(store, { url: "/courses/a/x", eventId: "e1" });
    const remaining = await flushQueue(store, async () => status);
    expect(remaining.map((q) => q.eventId)).toEqual(left);
    expect(readQueue(store).map((q) => q.eventId)).toEqual(left);
  });

  it("keeps an event whose send throws (offline) and one queued while sending", async () => {
    const store = memoryStore();
    enqueueRead(store, { url: "/courses/a/x", eventId: "e1" });
    const remaining = await flushQueue(store, async () => {
      enqueueRead(store, { url: "/courses/a/y", eventId: "late" });
      throw new TypeError("Failed to fetch");
    });
    expect(remaining.map((q) => q.eventId).sort()).toEqual(["e1", "late"]);
  });
});
