/**
 * Drawing a paper: which questions an attempt gets and in which option order. The paper is stored on the attempt
 * at start, so a reload, a second tab or a server restart shows exactly the same exam.
 */
import type { Exam, ExamQuestion, Lang, QuestionType } from "./exam-schema";

export type PaperQuestion = { id: string; optionOrder: string[] };
export type Paper = { questions: PaperQuestion[] };

export type PublicOption = { id: string; text: string };
export type PublicQuestion = {
  id: string;
  number: number;
  type: QuestionType;
  points: number;
  stem: { id: string; text: string } | null;
  text: string;
  options: PublicOption[];
};
export type PublicPaper = { questionCount: number; maxPoints: number; questions: PublicQuestion[] };

/**
 * A deterministic generator in [0, 1) from a string seed (cyrb128 hash → sfc32), so a paper can be re-derived
 * and tested; unpredictability comes from the server picking a random, secret seed, never from here.
 */
export function seededRandom(seed: string): () => number {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  let b = (h2 ^ h1) >>> 0;
  let c = (h3 ^ h1) >>> 0;
  let d = (h4 ^ h1) >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: sfc32 needs a few rounds to mix a weak state.
  for (let i = 0; i < 15; i++) next();
  return next;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Draws `draw` questions from every topic, shuffles the order (questions on one scenario stem stay together, in
 * file order) and fixes each option order; the same exam and seed always give the same paper.
 */
export function drawPaper(exam: Exam, seed: string): Paper {
  const random = seededRandom(seed);
  const fileOrder = new Map(exam.questions.map((q, i) => [q.id, i]));
  const drawn: ExamQuestion[] = [];
  for (const topic of exam.topics) {
    const pool = exam.questions.filter((q) => q.topic === topic.id);
    if (pool.length < topic.draw) {
      throw new Error(`topic "${topic.id}" draws ${topic.draw} questions but has ${pool.length}; exam.yml was not validated`);
    }
    drawn.push(...shuffle(pool, random).slice(0, topic.draw));
  }

  const groups = new Map<string, ExamQuestion[]>();
  for (const q of drawn) {
    const key = q.type === "scenario" && q.stem !== undefined ? `stem:${q.stem}` : `question:${q.id}`;
    groups.set(key, [...(groups.get(key) ?? []), q]);
  }
  const ordered = shuffle([...groups.values()], random).flatMap((group) =>
    [...group].sort((a, b) => fileOrder.get(a.id)! - fileOrder.get(b.id)!),
  );

  return {
    questions: ordered.map((q) => ({ id: q.id, optionOrder: optionOrder(q, exam.rules.shuffleOptions, random) })),
  };
}

function optionOrder(question: ExamQuestion, shuffleOptions: boolean, random: () => number): string[] {
  const ids = question.options.map((o) => o.id);
  // Candidates read "true" before "false" everywhere; shuffling it only causes misclicks.
  if (question.type === "true_false") return ["true", "false"];
  return shuffleOptions ? shuffle(ids, random) : ids;
}

/** Finds a paper's question in the exam, failing loudly because a mismatch means the wrong course version. */
export function questionOnPaper(exam: Exam, id: string): ExamQuestion {
  const question = exam.questions.find((q) => q.id === id);
  if (!question) throw new Error(`question "${id}" is on the paper but not in this exam version`);
  return question;
}

/**
 * What the candidate's browser may receive before submit: texts and options in paper order, built field by
 * field (never by spreading a question) so answer keys and explanations cannot leak in.
 */
export function publicPaper(exam: Exam, paper: Paper, lang: Lang): PublicPaper {
  const stems = new Map(exam.stems.map((s) => [s.id, s]));
  const questions = paper.questions.map((entry, index): PublicQuestion => {
    const q = questionOnPaper(exam, entry.id);
    const stem = q.stem !== undefined ? stems.get(q.stem) : undefined;
    const options = entry.optionOrder.map((optionId): PublicOption => {
      const option = q.options.find((o) => o.id === optionId);
      if (!option) throw new Error(`option "${optionId}" of question "${q.id}" is not in this exam version`);
      return { id: option.id, text: option.text[lang] };
    });
    return {
      id: q.id,
      number: index + 1,
      type: q.type,
      points: q.points,
      stem: stem ? { id: stem.id, text: stem.text[lang] } : null,
      text: q.text[lang],
      options,
    };
  });
  return {
    questionCount: questions.length,
    maxPoints: roundPoints(questions.reduce((sum, q) => sum + q.points, 0)),
    questions,
  };
}

/** Points are shown and stored to 2 decimals; rounding in one place keeps paper, grade and review equal. */
export function roundPoints(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}
