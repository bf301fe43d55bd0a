import { describe, expect, it } from "vitest";
import { loadValidExam } from "../../tests/fixtures/exams";
import type { Paper } from "./draw";
import { gradeAttempt } from "./grading";
import { reviewView } from "./review";

const exam = loadValidExam();
const paper: Paper = {
  questions: [
    { id: "kns-003", optionOrder: ["c", "a", "b"] },
    { id: "kns-004", optionOrder: ["b", "a"] },
    { id: "kns-008", optionOrder: ["e", "d", "c", "b", "a"] },
  ],
};
const grade = gradeAttempt(exam, paper, { "kns-003": ["a"], "kns-008": ["a", "c", "d"] });
const allExplanations = exam.questions.flatMap((q) => [q.explanation.vi, q.explanation.en]);

describe("reviewView", () => {
  it("score_only shows the score and nothing about questions", () => {
    const view = reviewView(exam, paper, grade, "vi", "score_only");
    expect(view).toEqual({ policy: "score_only", scorePoints: 3, maxPoints: 5, percent: 60, passed: false });
    const json = JSON.stringify(view);
    for (const text of allExplanations) expect(json).not.toContain(text);
  });

  it("correct_answers adds choices and correct options, but no explanation", () => {
    const view = reviewView(exam, paper, grade, "en", "correct_answers");
    expect(view.questions).toHaveLength(3);
    const [scenario, unanswered, multiple] = view.questions!;
    expect(scenario).toEqual({
      id: "kns-003",
      number: 1,
      type: "scenario",
      stem: exam.stems[0]!.text.en,
      text: "What should Ms Lan do first?",
      points: 0,
      max: 1,
      correct: false,
      selected: ["a"],
      correctIds: ["c"],
      options: [
        { id: "c", text: "Report it to the IT unit", selected: false, correct: true },
        { id: "a", text: "Click the link at once", selected: true, correct: false },
        { id: "b", text: "Forward the e-mail to colleagues", selected: false, correct: false },
      ],
    });
    expect(unanswered).toMatchObject({ id: "kns-004", selected: [], correctIds: ["a"], points: 0 });
    expect(multiple).toMatchObject({ id: "kns-008", correct: true, points: 3, stem: null });
    expect(multiple!.options.map((o) => o.id)).toEqual(["e", "d", "c", "b", "a"]);
    const json = JSON.stringify(view);
    expect(json).not.toContain('"explanation"');
    for (const text of allExplanations) expect(json).not.toContain(text);
  });

  it.each(["vi", "en"] as const)("explanations adds the explanation text in %s", (lang) => {
    const view = reviewView(exam, paper, grade, lang, "explanations");
    expect(view.questions!.map((q) => q.explanation)).toEqual(
      paper.questions.map((p) => exam.questions.find((q) => q.id === p.id)!.explanation[lang]),
    );
    expect(view.questions![0]!.text).toBe(exam.questions.find((q) => q.id === "kns-003")!.text[lang]);
  });

  it("refuses a grade that does not match the paper", () => {
    const other = gradeAttempt(exam, { questions: [paper.questions[0]!] }, {});
    expect(() => reviewView(exam, paper, other, "vi", "explanations")).toThrow('question "kns-004"');
  });
});
