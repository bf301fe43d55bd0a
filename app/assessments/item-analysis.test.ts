import { describe, expect, it } from "vitest";
import { loadValidExam } from "../../tests/fixtures/exams";
import { analyseItems, type AnalysedAttempt } from "./item-analysis";

const exam = loadValidExam();

/**
 * Ten attempts, scores 10 (index 0) down to 1 (index 9). Per question: the option(s) each attempt chose.
 * kns-001 (correct b): 0-3, 5 and 8 right; 4, 6, 7 chose a; 9 answered nothing.
 * kns-002 (correct false): everybody right.
 * kns-006 (correct b): only the weakest (9) right; 0-4 chose a, 5-8 chose c.
 * kns-005 (correct b+d): drawn by 0-3 only.
 */
const choices: Record<string, (string[] | undefined)[]> = {
  "kns-001": [["b"], ["b"], ["b"], ["b"], ["a"], ["b"], ["a"], ["a"], ["b"], []],
  "kns-002": Array.from({ length: 10 }, () => ["false"]),
  "kns-006": [["a"], ["a"], ["a"], ["a"], ["a"], ["c"], ["c"], ["c"], ["c"], ["b"]],
  "kns-005": [["b", "d"], ["d", "b"], ["b"], ["b", "d", "a"], undefined, undefined, undefined, undefined, undefined, undefined],
};
const correctSet: Record<string, string[]> = { "kns-001": ["b"], "kns-002": ["false"], "kns-006": ["b"], "kns-005": ["b", "d"] };
const isRight = (id: string, selected: string[]) =>
  selected.length === correctSet[id]!.length && correctSet[id]!.every((c) => selected.includes(c));

// Shuffled input order, to show the ranking uses scores and not positions.
const order = [3, 7, 0, 9, 5, 1, 8, 2, 6, 4];
const attempts: AnalysedAttempt[] = order.map((i) => ({
  score: 10 - i,
  perQuestion: Object.entries(choices).flatMap(([id, list]) => {
    const selected = list[i];
    return selected === undefined ? [] : [{ id, correct: isRight(id, selected), selected }];
  }),
}));

describe("analyseItems", () => {
  const result = analyseItems(exam, attempts);
  const item = (id: string) => result.items.find((x) => x.id === id)!;

  it("lists every question of the bank, in exam order", () => {
    expect(result.attempts).toBe(10);
    expect(result.items.map((x) => x.id)).toEqual(exam.questions.map((q) => q.id));
  });

  it.each([
    // id, n, facility, discrimination (upper 3 − lower 3), flags
    ["kns-001", 10, 0.6, 0.667, ["distractor_never_chosen"]], // 6/10; 3/3 − 1/3
    ["kns-002", 10, 1, 0, ["too_easy", "poor_discrimination", "distractor_never_chosen"]],
    ["kns-006", 10, 0.1, -0.333, ["too_hard", "poor_discrimination"]], // 0/3 − 1/3
    ["kns-005", 4, 0.5, null, []], // too few attempts to judge
    ["kns-010", 0, null, null, []], // never drawn
  ] as const)("%s: n=%i facility=%s discrimination=%s", (id, n, facility, discrimination, flags) => {
    expect(item(id)).toMatchObject({ n, facility, discrimination, flags });
  });

  it.each([
    ["kns-001", [["a", 3, 0.3], ["b", 6, 0.6], ["c", 0, 0]], 1, ["c"]],
    ["kns-006", [["a", 5, 0.5], ["b", 1, 0.1], ["c", 4, 0.4]], 0, []],
    ["kns-005", [["a", 1, 0.25], ["b", 4, 1], ["c", 0, 0], ["d", 3, 0.75]], 0, ["c"]],
    ["kns-010", [["true", 0, 0], ["false", 0, 0]], 0, ["true"]],
  ] as const)("%s option distribution", (id, options, unanswered, neverChosen) => {
    const stats = item(id);
    expect(stats.options.map((o) => [o.id, o.count, o.share])).toEqual(options);
    expect(stats.unanswered).toBe(unanswered);
    expect(stats.neverChosen).toEqual(neverChosen);
  });

  it("marks which options are correct", () => {
    expect(item("kns-005").options.filter((o) => o.correct).map((o) => o.id)).toEqual(["b", "d"]);
  });

  it("ignores option ids the question does not have", () => {
    const junk = analyseItems(exam, [{ score: 1, perQuestion: [{ id: "kns-001", correct: false, selected: ["zz"] }] }]);
    expect(junk.items[0]!.options.map((o) => o.count)).toEqual([0, 0, 0]);
    expect(junk.items[0]!.unanswered).toBe(0);
  });

  it("groups are 27 % of the attempts that drew the item; ties keep input order", () => {
    // minAttempts lowered to 3: k = max(1, round(0.81)) = 1; the tie at score 5 puts the first attempt on top.
    const small = analyseItems(
      exam,
      [
        { score: 5, perQuestion: [{ id: "kns-001", correct: true, selected: ["b"] }] },
        { score: 5, perQuestion: [{ id: "kns-001", correct: false, selected: ["a"] }] },
        { score: 1, perQuestion: [{ id: "kns-001", correct: false, selected: ["c"] }] },
      ],
      { minAttempts: 3 },
    );
    expect(small.items[0]).toMatchObject({ n: 3, facility: 0.333, discrimination: 1, flags: [] });
    const larger = analyseItems(exam, attempts.concat(attempts), {});
    // n = 20 → k = round(5.4) = 5; kns-006: upper five all wrong; lower five (scores 3, 2, 2, 1, 1) hold both right answers: 0/5 − 2/5
    expect(larger.items.find((x) => x.id === "kns-006")).toMatchObject({ n: 20, facility: 0.1, discrimination: -0.4 });
  });
});
