/**
 * Grading: a pure function of (exam version, paper, saved answers), so submit, the deadline sweep, a regrade
 * and the CLI all produce the same score. Rules are stated in courses/README.md.
 */
import { questionOnPaper, roundPoints, type Paper } from "./draw";
import type { Exam, ExamQuestion, QuestionType } from "./exam-schema";

export type QuestionGrade = {
  id: string;
  type: QuestionType;
  points: number;
  max: number;
  /** full marks; for multiple that means exactly the correct set */
  correct: boolean;
  selected: string[];
  correctIds: string[];
};

export type Grade = {
  scorePoints: number;
  maxPoints: number;
  /** rounded down to 1 decimal, so a shown 70.0 % never hides a 69.96 % fail */
  percent: number;
  passed: boolean;
  perQuestion: QuestionGrade[];
  /** question ids that had answers but are not on this paper (tampering or a stale page); they score nothing */
  ignored: string[];
};

/** Scores one question; exported so tests and item analysis use the very same rule. */
export function scoreQuestion(question: ExamQuestion, selection: readonly string[]): number {
  const selected = new Set(selection);
  const correct = new Set(question.correct);
  if (question.type !== "multiple") {
    const [only] = selected;
    return selected.size === 1 && only !== undefined && correct.has(only) ? question.points : 0;
  }
  let right = 0;
  let wrong = 0;
  // Unknown ids count as wrong so that posting junk can never raise a score.
  for (const id of selected) {
    if (correct.has(id)) right++;
    else wrong++;
  }
  return roundPoints(question.points * Math.max(0, (right - wrong) / correct.size));
}

/** Grades the saved answers of one attempt; unanswered questions score 0 and duplicates count once. */
export function gradeAttempt(exam: Exam, paper: Paper, answers: Record<string, string[]>): Grade {
  const onPaper = new Set(paper.questions.map((q) => q.id));
  const perQuestion = paper.questions.map((entry): QuestionGrade => {
    const question = questionOnPaper(exam, entry.id);
    const given = Object.hasOwn(answers, entry.id) ? answers[entry.id] : undefined;
    const selected = [...new Set(Array.isArray(given) ? given.filter((s) => typeof s === "string") : [])];
    const points = scoreQuestion(question, selected);
    return {
      id: question.id,
      type: question.type,
      points,
      max: question.points,
      correct: points === question.points,
      selected,
      correctIds: [...question.correct],
    };
  });
  const scorePoints = roundPoints(perQuestion.reduce((sum, q) => sum + q.points, 0));
  const maxPoints = roundPoints(perQuestion.reduce((sum, q) => sum + q.max, 0));
  const percent = maxPoints > 0 ? Math.floor((scorePoints / maxPoints) * 1000 + 1e-6) / 10 : 0;
  return {
    scorePoints,
    maxPoints,
    percent,
    passed: maxPoints > 0 && percent >= exam.rules.passPercent,
    perQuestion,
    ignored: Object.keys(answers).filter((id) => !onPaper.has(id)),
  };
}
