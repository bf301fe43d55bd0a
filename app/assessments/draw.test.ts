import { describe, expect, it } from "vitest";
import { loadValidExam } from "../../tests/fixtures/exams";
import { drawPaper, publicPaper, seededRandom, type Paper } from "./draw";
import type { Exam } from "./exam-schema";

const exam = loadValidExam();
const seeds = Array.from({ length: 200 }, (_, i) => `attempt-${i}`);
const topicOf = (id: string) => exam.questions.find((q) => q.id === id)!.topic;

describe("seededRandom", () => {
  it("repeats for one seed, differs between seeds and stays in [0, 1)", () => {
    const a = seededRandom("x");
    const b = seededRandom("x");
    const first = Array.from({ length: 50 }, () => a());
    expect(Array.from({ length: 50 }, () => b())).toEqual(first);
    const c = seededRandom("y");
    expect(Array.from({ length: 50 }, () => c())).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("spreads values over the whole interval", () => {
    const r = seededRandom("spread");
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(r() * 10)]!++;
    for (const count of buckets) expect(count).toBeGreaterThan(850);
  });
});

describe("drawPaper", () => {
  it("is deterministic for a seed", () => {
    expect(drawPaper(exam, "seed-1")).toEqual(drawPaper(exam, "seed-1"));
  });

  it("gives different seeds different papers", () => {
    const distinct = new Set(seeds.map((s) => JSON.stringify(drawPaper(exam, s))));
    expect(distinct.size).toBeGreaterThan(150);
  });

  it.each(seeds.slice(0, 50))("draws exactly `draw` distinct questions per topic (%s)", (seed) => {
    const paper = drawPaper(exam, seed);
    const ids = paper.questions.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    const perTopic = Object.fromEntries(exam.topics.map((t) => [t.id, 0]));
    for (const id of ids) perTopic[topicOf(id)]!++;
    expect(perTopic).toEqual(Object.fromEntries(exam.topics.map((t) => [t.id, t.draw])));
  });

  it("can draw every question of the bank, and mixes topics in the order", () => {
    const seen = new Set(seeds.flatMap((s) => drawPaper(exam, s).questions.map((q) => q.id)));
    expect([...seen].sort()).toEqual(exam.questions.map((q) => q.id).sort());
    const firstTopics = new Set(seeds.map((s) => topicOf(drawPaper(exam, s).questions[0]!.id)));
    expect(firstTopics).toEqual(new Set(["l01", "l02", "l03"]));
  });

  it("keeps questions on the same scenario stem next to each other, in file order", () => {
    let bothDrawn = 0;
    for (const seed of seeds) {
      const ids = drawPaper(exam, seed).questions.map((q) => q.id);
      const i = ids.indexOf("kns-003");
      const j = ids.indexOf("kns-004");
      if (i >= 0 && j >= 0) {
        bothDrawn++;
        expect(j).toBe(i + 1);
      }
    }
    expect(bothDrawn).toBeGreaterThan(10);
  });

  it("shuffles options when the rules say so, but true_false is always true then false", () => {
    const orders = new Set<string>();
    for (const seed of seeds) {
      for (const q of drawPaper(exam, seed).questions) {
        const question = exam.questions.find((x) => x.id === q.id)!;
        expect([...q.optionOrder].sort()).toEqual(question.options.map((o) => o.id).sort());
        if (question.type === "true_false") expect(q.optionOrder).toEqual(["true", "false"]);
        if (q.id === "kns-001") orders.add(q.optionOrder.join(""));
      }
    }
    expect(orders.size).toBe(6);
  });

  it("keeps file order of options when shuffleOptions is false", () => {
    const fixed: Exam = { ...exam, rules: { ...exam.rules, shuffleOptions: false } };
    for (const seed of seeds.slice(0, 30)) {
      for (const q of drawPaper(fixed, seed).questions) {
        const question = exam.questions.find((x) => x.id === q.id)!;
        expect(q.optionOrder).toEqual(question.options.map((o) => o.id));
      }
    }
  });

  it("refuses a bank that cannot fill a topic instead of drawing a short paper", () => {
    const short: Exam = { ...exam, topics: exam.topics.map((t) => (t.id === "l02" ? { ...t, draw: 4 } : t)) };
    expect(() => drawPaper(short, "s")).toThrow('topic "l02" draws 4 questions but has 3');
  });
});

describe("publicPaper", () => {
  const allQuestions: Paper = {
    questions: exam.questions.map((q) => ({ id: q.id, optionOrder: q.options.map((o) => o.id).reverse() })),
  };

  it.each(["vi", "en"] as const)("never carries answer keys or explanations (%s)", (lang) => {
    const view = publicPaper(exam, allQuestions, lang);
    const json = JSON.stringify(view);
    const keys = new Set<string>();
    JSON.parse(json, (key, value) => {
      keys.add(key);
      return value;
    });
    for (const forbidden of ["correct", "correctIds", "explanation", "isCorrect"]) expect(keys.has(forbidden)).toBe(false);
    for (const q of exam.questions) {
      expect(json).not.toContain(JSON.stringify(q.explanation.vi).slice(1, -1));
      expect(json).not.toContain(JSON.stringify(q.explanation.en).slice(1, -1));
    }
  });

  it("shows texts in the chosen language, options in paper order, stems for scenarios", () => {
    const paper = drawPaper(exam, "view");
    const view = publicPaper(exam, paper, "en");
    expect(view.questionCount).toBe(6);
    expect(view.questions.map((q) => q.id)).toEqual(paper.questions.map((q) => q.id));
    view.questions.forEach((q, i) => {
      expect(q.number).toBe(i + 1);
      expect(q.options.map((o) => o.id)).toEqual(paper.questions[i]!.optionOrder);
    });
    const full = publicPaper(exam, allQuestions, "vi");
    const scenario = full.questions.find((q) => q.id === "kns-003")!;
    expect(scenario.stem?.text).toMatch(/^Chị Lan nhận được thư điện tử/);
    expect(scenario.text).toBe("Chị Lan nên làm gì trước tiên?");
    expect(scenario.options.map((o) => o.text)).toEqual([
      "Báo cho bộ phận công nghệ thông tin",
      "Chuyển thư cho đồng nghiệp",
      "Bấm vào đường link ngay",
    ]);
    expect(full.questions.find((q) => q.id === "kns-001")!.stem).toBeNull();
    expect(full.maxPoints).toBe(13);
  });

  it("fails loudly when the paper belongs to another exam version", () => {
    expect(() => publicPaper(exam, { questions: [{ id: "gone", optionOrder: [] }] }, "vi")).toThrow(
      'question "gone" is on the paper but not in this exam version',
    );
    expect(() => publicPaper(exam, { questions: [{ id: "kns-001", optionOrder: ["z"] }] }, "vi")).toThrow('option "z"');
  });
});
