import { describe, expect, test } from "vitest";
import { countProgress, isRelevant, neighbours, personAudiences, resumeLesson } from "./progress-core";

const lessons = ["a", "b", "c", "d"].map((slug) => ({ slug }));
const set = (...s: string[]) => new Set(s);

describe("countProgress", () => {
  test.each([
    [[], 0, false, 0],
    [["a"], 1, false, 25],
    [["a", "b", "c"], 3, false, 75],
    [["a", "b", "c", "d"], 4, true, 100],
    // A lesson removed by a course update does not count; nor does it make up for a new one.
    [["a", "b", "c", "gone"], 3, false, 75],
  ])("read %j → %i read, allRead %s, %i%%", (read, n, all, pct) => {
    expect(countProgress(lessons, set(...read))).toEqual({ lessonsTotal: 4, lessonsRead: n, allRead: all, percent: pct });
  });

  test("a course without lessons is never 'all read'", () => {
    expect(countProgress([], set()).allRead).toBe(false);
  });
});

describe("resumeLesson", () => {
  test.each<[string, string[], string | null, string, string]>([
    ["nothing yet", [], null, "a", "start"],
    ["stopped in the middle of c", ["a", "b"], "c", "c", "continue"],
    ["visited c without reading a or b", [], "c", "c", "continue"],
    ["read b (the last visited): next unread after it", ["a", "b"], "b", "c", "continue"],
    ["read the last visited, next ones read too", ["b", "c", "d"], "b", "a", "continue"],
    ["skipped ahead: read c, unread after it is d", ["a", "c"], "c", "d", "continue"],
    ["read something without a recorded visit", ["a"], null, "b", "continue"],
    ["last lesson removed by an update", ["a"], "gone", "b", "continue"],
    ["everything read: back to the last visited", ["a", "b", "c", "d"], "c", "c", "review"],
    ["everything read, no visit recorded", ["a", "b", "c", "d"], null, "a", "review"],
  ])("%s", (_name, read, last, slug, kind) => {
    expect(resumeLesson(lessons, set(...read), last)).toEqual({ slug, kind });
  });

  test("no lessons → nothing to resume", () => {
    expect(resumeLesson([], set(), null)).toBeNull();
  });
});

describe("neighbours", () => {
  test.each([
    ["a", null, "b", 0],
    ["b", "a", "c", 1],
    ["d", "c", null, 3],
    ["x", null, null, -1],
  ])("%s", (slug, prev, next, index) => {
    const n = neighbours(lessons, slug);
    expect([n.prev?.slug ?? null, n.next?.slug ?? null, n.index]).toEqual([prev, next, index]);
  });
});

describe("audiences", () => {
  const base = { isItDx: false, isLeader: false, category: "civil_servant" };
  test.each([
    [base, []],
    [{ ...base, isItDx: true }, ["it_dx"]],
    [{ ...base, isLeader: true, isItDx: true }, ["it_dx", "leader"]],
    [{ ...base, category: "commune_official" }, ["commune_official"]],
    [null, []],
  ])("%j → %j", (p, expected) => {
    expect(personAudiences(p)).toEqual(expected);
  });

  test("only courses aimed at one of my groups are highlighted", () => {
    const leader = { ...base, isLeader: true };
    expect(isRelevant("leader", leader)).toBe(true);
    expect(isRelevant("it_dx", leader)).toBe(false);
    expect(isRelevant("all", leader)).toBe(false);
    expect(isRelevant("commune_official", null)).toBe(false);
  });
});
