import { describe, expect, it } from "vitest";
import { readExamFixture } from "../../tests/fixtures/exams";
import { formatExamError, parseExamYaml } from "./exam-schema";

const RULES = `rules:
  passPercent: 70
  timeLimitMinutes: 20
  maxAttempts: 3
  cooldownMinutes: 60
  shuffleOptions: true
  review: explanations
topics:
  - id: t1
    title: { vi: "Chủ đề", en: "Topic" }
    draw: 1
stems:
  - id: s1
    text: { vi: "Tình huống", en: "Scenario" }
`;

/** RULES without its stem, for cases that compare the whole error list (the unused stem would be one more). */
const RULES_NO_STEMS = RULES.replace(/stems:[\s\S]*$/, "");

/** A one-question exam; `fields` replaces the question body so each case states only what it breaks. */
function exam(fields: string, { rules = RULES, extra = "" } = {}): string {
  return `${rules}questions:\n  - id: q1\n${fields}${extra}`;
}

const single = (over: Record<string, string> = {}) => {
  const f: Record<string, string> = {
    topic: "    topic: t1\n",
    type: "    type: single\n",
    points: "    points: 1\n",
    text: `    text: { vi: "Câu hỏi", en: "Question" }\n`,
    options: `    options:\n      - { id: a, text: { vi: "A", en: "A" } }\n      - { id: b, text: { vi: "B", en: "B" } }\n      - { id: c, text: { vi: "C", en: "C" } }\n`,
    correct: "    correct: [a]\n",
    explanation: `    explanation: { vi: "Vì", en: "Because" }\n`,
    ...over,
  };
  return Object.values(f).join("");
};

/** The expected line is the one carrying the `# <-` marker, so cases stay readable without counting lines. */
function markedLine(text: string): number {
  const index = text.split("\n").findIndex((l) => l.includes("# <-"));
  if (index < 0) throw new Error("test case has no # <- marker");
  return index + 1;
}

describe("parseExamYaml: fixtures", () => {
  it("accepts the valid fixture and returns a typed, complete exam", () => {
    const result = parseExamYaml(readExamFixture("valid.yml"), "valid.yml");
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const exam = result.exam!;
    expect(exam.topics.map((t) => [t.id, t.draw])).toEqual([["l01", 2], ["l02", 2], ["l03", 2]]);
    expect(exam.questions).toHaveLength(10);
    expect(new Set(exam.questions.map((q) => q.type))).toEqual(new Set(["single", "multiple", "true_false", "scenario"]));
    // bare YAML booleans in a true_false question become the documented string ids
    const tf = exam.questions.find((q) => q.id === "kns-002")!;
    expect(tf.options.map((o) => o.id)).toEqual(["true", "false"]);
    expect(tf.correct).toEqual(["false"]);
    expect(exam.questions.find((q) => q.id === "kns-003")!.stem).toBe("s-email-la");
    expect(exam.rules).toEqual({
      passPercent: 70,
      timeLimitMinutes: 30,
      maxAttempts: 3,
      cooldownMinutes: 60,
      shuffleOptions: true,
      review: "explanations",
    });
  });

  it.each([
    ["syntax-error.yml", [[13, "YAML syntax error at column 19"]]],
    [
      "duplicate-id.yml",
      [
        [24, 'question "q1", id: "q1" is already the id of the question at line 14'],
        [34, 'question "Q3", id: "Q3" is not a valid id'],
      ],
    ],
    [
      "missing-correct.yml",
      [
        [14, 'question "q1": `correct` is missing'],
        [34, 'question "q2", correct[1]: "e" is not one of the option ids (a, b, c)'],
      ],
    ],
    [
      "draw-too-many.yml",
      [
        [15, 'topic "t2", draw: draws 3 questions per attempt but only 1 question(s) have topic "t2"'],
        [38, 'question "q3", topic: topic "t9" is not listed under topics'],
      ],
    ],
    [
      "script-tag.yml",
      [
        [20, 'question "q1", text.en: must not be empty'],
        [22, 'question "q1", options[0].text.en: contains a <script> tag'],
        [25, 'question "q1", explanation.en: contains a <script> tag'],
      ],
    ],
    ["unused-stem.yml", [[16, 'stem "s-tin-nhan", id: no question uses this stem; give a scenario question `stem: s-tin-nhan` or remove the stem']]],
    [
      "true-false-options.yml",
      [
        [19, 'question "q1", options: a true_false question has exactly two options with ids "true" and "false"'],
        [22, 'question "q1", correct: a true_false question needs exactly one correct option, found 2'],
      ],
    ],
  ] as const)("%s reports every error at its line", (name, expected) => {
    const result = parseExamYaml(readExamFixture(name), `courses/x/${name}`);
    expect(result.exam).toBeUndefined();
    expect(result.errors.map((e) => e.line)).toEqual(expected.map(([line]) => line));
    result.errors.forEach((error, i) => {
      expect(error.file).toBe(`courses/x/${name}`);
      expect(error.message.startsWith(expected[i]![1])).toBe(true);
    });
  });

  it("formats errors as file:line: message for the build output", () => {
    expect(formatExamError({ file: "courses/a/exam.yml", line: 7, message: "boom" })).toBe("courses/a/exam.yml:7: boom");
  });
});

describe("parseExamYaml: each rule names the offending line", () => {
  const cases: [string, string, string][] = [
    ["scenario without a stem", exam(single({ type: "    type: scenario # <-\n" })), "a scenario question needs a `stem:`"],
    [
      "scenario with an unknown stem",
      exam(single({ type: "    type: scenario\n    stem: s9 # <-\n" })),
      'stem "s9" is not listed under stems',
    ],
    ["stem on a non-scenario question", exam(single({ type: "    type: single\n    stem: s1 # <-\n" })), "only scenario questions have a stem"],
    [
      "duplicate option id",
      exam(
        single({
          options: `    options:\n      - { id: a, text: { vi: "A", en: "A" } }\n      - { id: a, text: { vi: "B", en: "B" } } # <-\n`,
        }),
      ),
      'option id "a" is used twice',
    ],
    ["a correct id listed twice", exam(single({ correct: "    correct: [a, a] # <-\n" })), '"a" is listed twice'],
    ["single with two correct", exam(single({ correct: "    correct: [a, b] # <-\n" })), "a single question needs exactly one correct option, found 2"],
    [
      "multiple with one correct",
      exam(single({ type: "    type: multiple\n", correct: "    correct: [a] # <-\n" })),
      "a multiple question needs at least two correct options, found 1",
    ],
    [
      "multiple with every option correct",
      exam(single({ type: "    type: multiple\n", correct: "    correct: [a, b, c] # <-\n" })),
      "not every option of a multiple question may be correct",
    ],
    ["zero points", exam(single({ points: "    points: 0 # <-\n" })), "points: Too small"],
    ["points with 3 decimals", exam(single({ points: "    points: 0.125 # <-\n" })), "points: may have at most 2 decimals"],
    ["points as text", exam(single({ points: "    points: one # <-\n" })), 'points: expected a number, got a string ("one")'],
    ["empty Vietnamese text", exam(single({ text: `    text: { vi: " ", en: "Question" } # <-\n` })), "text.vi: must not be empty"],
    ["misspelt key", exam(single({ explanation: `    explaination: { vi: "Vì", en: "Because" } # <-\n` })), 'unknown key "explaination"'],
    ["only one option", exam(single({ options: `    options: # <-\n      - { id: a, text: { vi: "A", en: "A" } }\n` })), "options: needs at least 2 entries"],
    ["unknown question type", exam(single({ type: "    type: essay # <-\n" })), "type: Invalid option"],
    [
      "bad review policy",
      exam(single(), { rules: RULES.replace("review: explanations", "review: everything # <-") }),
      "rules.review: Invalid option",
    ],
    [
      "pass mark above 100",
      exam(single(), { rules: RULES.replace("passPercent: 70", "passPercent: 170 # <-") }),
      "rules.passPercent: Too big",
    ],
    [
      "duplicate topic id",
      exam(single(), { rules: RULES.replace("stems:", `  - id: t1 # <-\n    title: { vi: "X", en: "X" }\n    draw: 1\nstems:`) }),
      'topic "t1", id: "t1" is already the id of the topic at line 9',
    ],
    ["bad stem id", exam(single(), { rules: RULES.replace("- id: s1", "- id: S_1 # <-") }), '"S_1" is not a valid id'],
    [
      "duplicate YAML key",
      exam(single({ points: "    points: 1\n    points: 2 # <-\n" })),
      "YAML syntax error at column 5: Map keys must be unique",
    ],
    ["script tag in a stem", exam(single(), { rules: RULES.replace('vi: "Tình huống"', 'vi: "<script>x</script> # <-"') }), "contains a <script> tag"],
    ["a stem no question uses", exam(single(), { rules: RULES.replace("- id: s1", "- id: s1 # <-") }), 'stem "s1", id: no question uses this stem'],
    ["topic without questions drawn from it", exam(single({ topic: "    topic: t2 # <-\n" })), 'topic "t2" is not listed under topics'],
  ];

  it.each(cases)("%s", (_name, text, message) => {
    const { exam: parsed, errors } = parseExamYaml(text, "exam.yml");
    expect(parsed).toBeUndefined();
    const line = markedLine(text);
    const match = errors.find((e) => e.line === line && e.message.includes(message));
    expect(match, `expected "${message}" at line ${line}, got ${JSON.stringify(errors)}`).toBeDefined();
  });

  it("reports a missing key at the line of the mapping that lacks it (the `- id: q1` line)", () => {
    const text = exam(single({ explanation: "" }), { rules: RULES_NO_STEMS });
    const { errors } = parseExamYaml(text, "exam.yml");
    expect(errors).toEqual([{ file: "exam.yml", line: 13, message: 'question "q1": `explanation` is missing' }]);
  });

  it("rejects an empty file with one plain message", () => {
    expect(parseExamYaml("", "exam.yml").errors).toEqual([
      { file: "exam.yml", line: 1, message: "the file must be a YAML mapping with rules, topics and questions" },
    ]);
  });

  it("reports problems of several questions at once", () => {
    const text = exam(single({ points: "    points: 0\n" }), {
      rules: RULES_NO_STEMS,
      extra: `  - id: q2\n${single({ correct: "    correct: [z]\n" })}`,
    });
    const { errors } = parseExamYaml(text, "exam.yml");
    expect(errors.map((e) => e.message)).toEqual([
      'question "q1", points: Too small: expected number to be >0',
      'question "q2", correct[0]: "z" is not one of the option ids (a, b, c)',
    ]);
  });
});

describe("parseExamYaml: text normalisation", () => {
  it("normalises NFD text to NFC and warns at its line", () => {
    const nfd = "Câu hỏi".normalize("NFD");
    const text = exam(single({ text: `    text: { vi: "${nfd}", en: "Question" } # <-\n` }), { rules: RULES_NO_STEMS });
    const { exam: parsed, errors, warnings } = parseExamYaml(text, "exam.yml");
    expect(errors).toEqual([]);
    expect(parsed!.questions[0]!.text.vi).toBe("Câu hỏi".normalize("NFC"));
    expect(parsed!.questions[0]!.text.vi).not.toBe(nfd);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: markedLine(text), message: expect.stringContaining("text.vi: text was not in Unicode NFC") });
  });

  it("accepts a stem once a scenario question uses it", () => {
    const text = exam(single({ type: "    type: scenario\n    stem: s1\n" }));
    expect(parseExamYaml(text, "exam.yml").errors).toEqual([]);
  });

  it("treats missing or empty stems as none", () => {
    const withoutStems = exam(single(), { rules: RULES.replace(/stems:[\s\S]*$/, "") });
    expect(parseExamYaml(withoutStems, "exam.yml").exam!.stems).toEqual([]);
    const emptyStems = exam(single(), { rules: RULES.replace(/stems:[\s\S]*$/, "stems:\n") });
    expect(parseExamYaml(emptyStems, "exam.yml").exam!.stems).toEqual([]);
  });
});
