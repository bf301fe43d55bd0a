/**
 * What a learner sees after submit. The exam's `rules.review` decides how much; the server passes it in (and may
 * pass a stricter policy, e.g. while attempts remain) so this function never decides policy on its own.
 */
import { questionOnPaper, type Paper } from "./draw";
import type { Exam, Lang, QuestionType, ReviewPolicy } from "./exam-schema";
import type { Grade } from "./grading";

export type ReviewOption = { id: string; text: string; selected: boolean; correct: boolean };
export type ReviewQuestion = {
  id: string;
  number: number;
  type: QuestionType;
  stem: string | null;
  text: string;
  points: number;
  max: number;
  correct: boolean;
  selected: string[];
  correctIds: string[];
  options: ReviewOption[];
  /** only with policy "explanations" */
  explanation?: string;
};
export type ReviewView = {
  policy: ReviewPolicy;
  scorePoints: number;
  maxPoints: number;
  percent: number;
  passed: boolean;
  /** absent with policy "score_only" */
  questions?: ReviewQuestion[];
};

/** Builds the post-submit view with only what the policy allows, field by field so nothing extra leaks. */
export function reviewView(exam: Exam, paper: Paper, grade: Grade, lang: Lang, policy: ReviewPolicy): ReviewView {
  const score = {
    policy,
    scorePoints: grade.scorePoints,
    maxPoints: grade.maxPoints,
    percent: grade.percent,
    passed: grade.passed,
  };
  if (policy === "score_only") return score;

  const graded = new Map(grade.perQuestion.map((g) => [g.id, g]));
  const stems = new Map(exam.stems.map((s) => [s.id, s]));
  const questions = paper.questions.map((entry, index): ReviewQuestion => {
    const q = questionOnPaper(exam, entry.id);
    const g = graded.get(q.id);
    if (!g) throw new Error(`question "${q.id}" is on the paper but not in the grade`);
    const selected = new Set(g.selected);
    const correct = new Set(q.correct);
    const stem = q.stem !== undefined ? stems.get(q.stem) : undefined;
    const view: ReviewQuestion = {
      id: q.id,
      number: index + 1,
      type: q.type,
      stem: stem ? stem.text[lang] : null,
      text: q.text[lang],
      points: g.points,
      max: g.max,
      correct: g.correct,
      selected: [...g.selected],
      correctIds: [...q.correct],
      options: entry.optionOrder.map((id) => {
        const option = q.options.find((o) => o.id === id);
        if (!option) throw new Error(`option "${id}" of question "${q.id}" is not in this exam version`);
        return { id, text: option.text[lang], selected: selected.has(id), correct: correct.has(id) };
      }),
    };
    if (policy === "explanations") view.explanation = q.explanation[lang];
    return view;
  });
  return { ...score, questions };
}
