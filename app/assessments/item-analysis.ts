/**
 * Classical item analysis for authors: which questions are too easy, too hard, fail to separate strong from weak
 * candidates, or have distractors nobody picks. Pure, so it runs on a report page and in a CLI over any export.
 */
import type { Exam, QuestionType } from "./exam-schema";

export type AnalysedAttempt = {
  /** total score of the attempt (points or percent: only the ranking matters) */
  score: number;
  perQuestion: { id: string; correct: boolean; selected: string[] }[];
};

export type ItemFlag = "too_easy" | "too_hard" | "poor_discrimination" | "distractor_never_chosen";

export type OptionStats = { id: string; correct: boolean; count: number; share: number };

export type ItemStats = {
  id: string;
  topic: string;
  type: QuestionType;
  /** attempts in which the question was drawn */
  n: number;
  /** share of those attempts with full marks; null when never drawn */
  facility: number | null;
  /** upper-27 % minus lower-27 % facility, by total score; null below `minAttempts` */
  discrimination: number | null;
  options: OptionStats[];
  /** attempts that drew the question and chose nothing */
  unanswered: number;
  neverChosen: string[];
  flags: ItemFlag[];
};

export type ItemAnalysis = { attempts: number; minAttempts: number; items: ItemStats[] };

export const ITEM_THRESHOLDS = {
  tooEasy: 0.9,
  tooHard: 0.2,
  poorDiscrimination: 0.2,
  groupShare: 0.27,
  minAttempts: 10,
} as const;

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Computes per-question statistics in exam order. Flags are raised only from `minAttempts` drawings up,
 * because with a handful of candidates every item looks broken.
 */
export function analyseItems(
  exam: Exam,
  attempts: AnalysedAttempt[],
  options: { minAttempts?: number } = {},
): ItemAnalysis {
  const minAttempts = options.minAttempts ?? ITEM_THRESHOLDS.minAttempts;
  // Best total score first; ties keep input order so the upper and lower groups are reproducible.
  const ranked = attempts
    .map((attempt, index) => ({ attempt, index }))
    .sort((a, b) => b.attempt.score - a.attempt.score || a.index - b.index);
  type Drawn = { score: number; answer: AnalysedAttempt["perQuestion"][number] };
  const byQuestion = new Map<string, Drawn[]>();
  for (const { attempt } of ranked) {
    for (const answer of attempt.perQuestion) {
      const list = byQuestion.get(answer.id) ?? [];
      if (list.length === 0) byQuestion.set(answer.id, list);
      list.push({ score: attempt.score, answer });
    }
  }
  const items = exam.questions.map((question): ItemStats => {
    const drawn = byQuestion.get(question.id) ?? [];
    const n = drawn.length;
    const correctIds = new Set(question.correct);
    const share = (count: number) => (n > 0 ? round3(count / n) : 0);

    const counts = new Map(question.options.map((o) => [o.id, 0]));
    let unanswered = 0;
    for (const { answer } of drawn) {
      const picked = new Set(answer.selected);
      if (picked.size === 0) unanswered++;
      for (const id of picked) if (counts.has(id)) counts.set(id, counts.get(id)! + 1);
    }
    const optionStats = question.options.map((o): OptionStats => {
      const count = counts.get(o.id) ?? 0;
      return { id: o.id, correct: correctIds.has(o.id), count, share: share(count) };
    });

    const facility = n > 0 ? round3(drawn.filter((d) => d.answer.correct).length / n) : null;
    let discrimination: number | null = null;
    if (n >= minAttempts) {
      const k = Math.max(1, Math.round(n * ITEM_THRESHOLDS.groupShare));
      const rate = (group: typeof drawn) => group.filter((d) => d.answer.correct).length / group.length;
      discrimination = round3(rate(drawn.slice(0, k)) - rate(drawn.slice(n - k)));
    }

    const neverChosen = optionStats.filter((o) => !o.correct && o.count === 0).map((o) => o.id);
    const flags: ItemFlag[] = [];
    if (n >= minAttempts && facility !== null) {
      if (facility > ITEM_THRESHOLDS.tooEasy) flags.push("too_easy");
      if (facility < ITEM_THRESHOLDS.tooHard) flags.push("too_hard");
      if (discrimination !== null && discrimination < ITEM_THRESHOLDS.poorDiscrimination) {
        flags.push("poor_discrimination");
      }
      if (neverChosen.length > 0) flags.push("distractor_never_chosen");
    }

    return {
      id: question.id,
      topic: question.topic,
      type: question.type,
      n,
      facility,
      discrimination,
      options: optionStats,
      unanswered,
      neverChosen,
      flags,
    };
  });
  return { attempts: attempts.length, minAttempts, items };
}
