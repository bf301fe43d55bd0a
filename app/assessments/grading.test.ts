import { describe, expect, it } from "vitest";
import { loadValidExam } from "../../tests/fixtures/exams";
import type { Paper } from "./draw";
import type { Exam, ExamQuestion } from "./exam-schema";
import { gradeAttempt, scoreQuestion } from "./grading";

const exam = loadValidExam();
const fullPaper: Paper = { questions: exam.questions.map((q) => ({ id: q.id, optionOrder: q.options.map((o) => o.id) })) };
const question = (id: string) => exam.questions.find((q) => q.id === id)!;

describe("scoreQuestion", () => {
  // kns-001 single (1 pt, b) · kns-002 true_false (1 pt, false) · kns-003 scenario (1 pt, c)
  // kns-005 multiple (2 pts, b d of a b c d) · kns-008 multiple (3 pts, a c d of a b c d e)
  it.each([
    ["single: the correct option", "kns-001", ["b"], 1],
    ["single: a wrong option", "kns-001", ["a"], 0],
    ["single: correct plus wrong", "kns-001", ["a", "b"], 0],
    ["single: correct twice counts once", "kns-001", ["b", "b"], 1],
    ["single: nothing chosen", "kns-001", [], 0],
    ["single: unknown id", "kns-001", ["zz"], 0],
    ["single: ids are case-sensitive", "kns-001", ["B"], 0],
    ["true_false: correct", "kns-002", ["false"], 1],
    ["true_false: wrong", "kns-002", ["true"], 0],
    ["true_false: both", "kns-002", ["true", "false"], 0],
    ["scenario: correct", "kns-003", ["c"], 1],
    ["scenario: wrong", "kns-003", ["a"], 0],
    ["multiple: exactly right", "kns-008", ["a", "c", "d"], 3],
    ["multiple: order does not matter", "kns-008", ["d", "a", "c"], 3],
    ["multiple: 2 of 3 right", "kns-008", ["a", "c"], 2],
    ["multiple: 1 of 3 right", "kns-008", ["a"], 1],
    ["multiple: all right plus one wrong", "kns-008", ["a", "c", "d", "b"], 2],
    ["multiple: 2 right 1 wrong", "kns-008", ["a", "c", "b"], 1],
    ["multiple: 1 right 1 wrong", "kns-008", ["a", "b"], 0],
    ["multiple: more wrong than right floors at 0", "kns-008", ["a", "b", "e"], 0],
    ["multiple: every option (over-selection)", "kns-008", ["a", "b", "c", "d", "e"], 1],
    ["multiple: duplicates count once", "kns-008", ["a", "a", "c", "c"], 2],
    ["multiple: unknown ids count as wrong", "kns-008", ["a", "zz"], 0],
    ["multiple: only wrong", "kns-008", ["b", "e"], 0],
    ["multiple: nothing", "kns-008", [], 0],
    ["multiple (2 correct): one right", "kns-005", ["b"], 1],
    ["multiple (2 correct): both right plus one wrong", "kns-005", ["b", "d", "a"], 1],
    ["multiple (2 correct): one right one wrong", "kns-005", ["b", "a"], 0],
  ] as const)("%s", (_name, id, selected, points) => {
    expect(scoreQuestion(question(id), selected)).toBe(points);
  });

  it.each([
    [["a"], 0.33],
    [["a", "b"], 0.67],
    [["a", "b", "c"], 1],
    [["a", "b", "d"], 0.33],
  ] as const)("rounds partial credit to 2 decimals: %j → %d", (selected, points) => {
    const q: ExamQuestion = {
      ...question("kns-008"),
      points: 1,
      options: question("kns-008").options.slice(0, 4),
      correct: ["a", "b", "c"],
    };
    expect(scoreQuestion(q, selected)).toBe(points);
  });
});

describe("gradeAttempt", () => {
  it("totals a whole attempt and reports each question", () => {
    const grade = gradeAttempt(exam, fullPaper, {
      "kns-001": ["b"],
      "kns-002": ["true"],
      "kns-003": ["c"],
      "kns-005": ["b", "d"],
      "kns-008": ["a", "c"],
      // kns-004, 006, 007, 009, 010 unanswered
    });
    expect(grade.scorePoints).toBe(1 + 0 + 1 + 2 + 2);
    expect(grade.maxPoints).toBe(13);
    expect(grade.percent).toBe(46.1); // 6 / 13 = 46.15… rounded down
    expect(grade.passed).toBe(false);
    expect(grade.ignored).toEqual([]);
    expect(grade.perQuestion.map((q) => q.id)).toEqual(fullPaper.questions.map((q) => q.id));
    expect(grade.perQuestion.find((q) => q.id === "kns-008")).toEqual({
      id: "kns-008",
      type: "multiple",
      points: 2,
      max: 3,
      correct: false,
      selected: ["a", "c"],
      correctIds: ["a", "c", "d"],
    });
    expect(grade.perQuestion.find((q) => q.id === "kns-005")!.correct).toBe(true);
    expect(grade.perQuestion.find((q) => q.id === "kns-004")).toMatchObject({ points: 0, correct: false, selected: [] });
  });

  it("grades only the questions on the paper and lists the others as ignored", () => {
    const paper: Paper = { questions: [{ id: "kns-001", optionOrder: ["a", "b", "c"] }] };
    const grade = gradeAttempt(exam, paper, { "kns-001": ["b"], "kns-002": ["false"], nope: ["a"] });
    expect(grade).toMatchObject({ scorePoints: 1, maxPoints: 1, percent: 100, passed: true, ignored: ["kns-002", "nope"] });
    expect(grade.perQuestion).toHaveLength(1);
  });

  it("de-duplicates the selection it reports", () => {
    const grade = gradeAttempt(exam, fullPaper, { "kns-005": ["b", "b", "d"] });
    expect(grade.perQuestion.find((q) => q.id === "kns-005")).toMatchObject({ selected: ["b", "d"], points: 2 });
  });

  it("scores an empty attempt as 0 and failed", () => {
    expect(gradeAttempt(exam, fullPaper, {})).toMatchObject({ scorePoints: 0, maxPoints: 13, percent: 0, passed: false });
  });

  // Two single questions worth `a` and `b` points; the first is answered correctly, the second wrongly.
  const twoQuestions = (a: number, b: number, passPercent: number): [Exam, Paper] => {
    const base = question("kns-001");
    const e: Exam = {
      ...exam,
      rules: { ...exam.rules, passPercent },
      questions: [
        { ...base, id: "p1", points: a },
        { ...base, id: "p2", points: b },
      ],
    };
    return [e, { questions: [{ id: "p1", optionOrder: ["a", "b", "c"] }, { id: "p2", optionOrder: ["a", "b", "c"] }] }];
  };

  it.each([
    ["exactly at the pass mark passes", 7, 3, 70, 70, true],
    ["one point below fails", 6, 4, 70, 60, false],
    ["fractional points exactly at the mark pass", 21, 9, 70, 70, true],
    ["69.97 % shows 69.9 and fails, never a rounded-up 70.0", 20.99, 9.01, 70, 69.9, false],
    ["100 % needed, 99.0 % reached fails", 1, 0.01, 100, 99, false],
    ["100 % needed and reached", 1, 0, 100, 100, true],
    ["pass mark 1 %", 1, 99, 1, 1, true],
  ] as const)("%s", (_name, a, b, passPercent, percent, passed) => {
    const [e, paper] = twoQuestions(a, b, passPercent);
    const grade = gradeAttempt(e, paper, { p1: ["b"], p2: ["a"] });
    expect(grade.percent).toBe(percent);
    expect(grade.passed).toBe(passed);
  });
});
