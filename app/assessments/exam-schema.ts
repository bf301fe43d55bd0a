/**
 * exam.yml: the schema (courses/README.md is the authority) and a parser that turns every problem into
 * `file:line: message`, all at once, so an author fixes a broken question bank in one pass.
 */
import { z } from "zod";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";

export const QUESTION_TYPES = ["single", "multiple", "true_false", "scenario"] as const;
export const REVIEW_POLICIES = ["score_only", "correct_answers", "explanations"] as const;
/** Ids end up in URLs, form field names and certificates, so they stay plain lower-kebab ASCII. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export type QuestionType = (typeof QUESTION_TYPES)[number];
export type ReviewPolicy = (typeof REVIEW_POLICIES)[number];
export type Localized = { vi: string; en: string };
export type Lang = keyof Localized;
export type ExamError = { file: string; line: number; message: string };

const idError = (iss: { input?: unknown }) =>
  `"${String(iss.input)}" is not a valid id: use lower-case letters a-z, digits and hyphens, starting with a letter or digit`;
const IdSchema = z.string().regex(ID_PATTERN, { error: idError });
// YAML reads a bare `true`/`false` as a boolean; true_false options are documented with those ids, so accept both.
const OptionIdSchema = z.preprocess((v) => (typeof v === "boolean" ? String(v) : v), IdSchema);
const TextSchema = z.string().refine((s) => s.trim().length > 0, { error: "must not be empty" });

export const LocalizedSchema = z.strictObject({ vi: TextSchema, en: TextSchema });

export const ExamRulesSchema = z.strictObject({
  passPercent: z.number().int().min(1).max(100),
  timeLimitMinutes: z.number().int().min(1).max(24 * 60),
  maxAttempts: z.number().int().min(1).nullable(),
  cooldownMinutes: z.number().int().min(0),
  shuffleOptions: z.boolean(),
  review: z.enum(REVIEW_POLICIES),
});

export const ExamTopicSchema = z.strictObject({
  id: IdSchema,
  title: LocalizedSchema,
  draw: z.number().int().min(1),
});

export const ExamStemSchema = z.strictObject({ id: IdSchema, text: LocalizedSchema });

export const ExamOptionSchema = z.strictObject({ id: OptionIdSchema, text: LocalizedSchema });

export const ExamQuestionSchema = z.strictObject({
  id: IdSchema,
  topic: z.string(),
  type: z.enum(QUESTION_TYPES),
  stem: z.string().optional(),
  // Scores are kept to 2 decimals; finer points would be rounded away from the maximum and skew percentages.
  points: z
    .number()
    .positive()
    .max(1000)
    .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, { error: "may have at most 2 decimals" }),
  text: LocalizedSchema,
  options: z.array(ExamOptionSchema).min(2),
  correct: z.array(OptionIdSchema).min(1),
  explanation: LocalizedSchema,
});

export const ExamSchema = z.strictObject({
  rules: ExamRulesSchema,
  topics: z.array(ExamTopicSchema).min(1),
  stems: z
    .array(ExamStemSchema)
    .nullish()
    .transform((v) => v ?? []),
  questions: z.array(ExamQuestionSchema).min(1),
});

export type Exam = z.output<typeof ExamSchema>;
export type ExamRules = Exam["rules"];
export type ExamTopic = Exam["topics"][number];
export type ExamStem = Exam["stems"][number];
export type ExamQuestion = Exam["questions"][number];
export type ExamOption = ExamQuestion["options"][number];

type Path = (string | number)[];
/** `message` may need other lines (a duplicate names where the first one is); `onParent` names the parent. */
type Problem = { path: Path; message: string | ((lineOf: (path: Path) => number) => string); onParent?: boolean };

/** Build scripts print errors in the one `file:line: message` shape editors can jump to. */
export function formatExamError(error: ExamError): string {
  return `${error.file}:${error.line}: ${error.message}`;
}

/**
 * Parses and checks exam.yml text; `exam` is set only when there are no errors, so a half-valid bank can never
 * be published. `warnings` (NFD text that was normalised) do not block.
 */
export function parseExamYaml(
  text: string,
  file: string,
): { exam?: Exam; errors: ExamError[]; warnings: ExamError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return { file, line, message: `YAML syntax error at column ${col}: ${e.message}` };
    });
    return { errors: sortErrors(errors), warnings: [] };
  }

  const nfd: Path[] = [];
  let js: unknown;
  try {
    // yaml refuses to expand aliases past maxAliasCount (a "billion laughs" bomb) by throwing: report it as an error.
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { errors: [{ file, line: 1, message: `YAML could not be read: ${(e as Error).message} (too many or nested aliases *name; write the values out)` }], warnings: [] };
  }
  const raw = normaliseStrings(js, [], nfd);
  const locate = (path: Path) => lineOfPath(doc, path, lineAt);
  const describe = (path: Path) => describePath(raw, path);
  const toError = (p: Problem): ExamError => {
    const message = typeof p.message === "string" ? p.message : p.message(locate);
    const where = describe(p.onParent ? p.path.slice(0, -1) : p.path);
    return { file, line: locate(p.path), message: where ? `${where}: ${message}` : message };
  };
  const warnings = [
    ...doc.warnings.map((w) => ({ file, line: lineAt(w.pos[0]), message: `YAML: ${w.message}` })),
    ...nfd.map((path) =>
      toError({ path, message: "text was not in Unicode NFC form; it has been normalised (save the file as NFC)" }),
    ),
  ];

  const problems: Problem[] = [];
  const parsed = ExamSchema.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => zodProblems(issue, raw)));
  problems.push(...semanticProblems(raw), ...scriptProblems(raw, []));

  const errors = dedupe(problems.map(toError));
  if (errors.length > 0 || !parsed.success) return { errors: sortErrors(errors), warnings };
  return { exam: parsed.data, errors: [], warnings };
}

// ---------------------------------------------------------------------------------------------------------
// zod issues → plain-language problems

type Issue = z.core.$ZodIssue;

function zodProblems(issue: Issue, raw: unknown): Problem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: `unknown key "${key}" (check the spelling against courses/README.md)`,
    }));
  }
  if (issue.code === "invalid_type") {
    const parent = valueAt(raw, path.slice(0, -1));
    const last = path[path.length - 1];
    if (path.length === 0) return [{ path, message: "the file must be a YAML mapping with rules, topics and questions" }];
    if (isRecord(parent) && typeof last === "string" && parent[last] === undefined) {
      return [{ path, onParent: true, message: `\`${last}\` is missing` }];
    }
    return [{ path, message: `expected ${article(issue.expected)}, got ${kindOf(valueAt(raw, path))}` }];
  }
  if (issue.code === "too_small" && issue.origin === "array") {
    return [{ path, message: `needs at least ${String(issue.minimum)} entries` }];
  }
  return [{ path, message: issue.message }];
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${article(typeof value)} (${JSON.stringify(value)})`;
}

// ---------------------------------------------------------------------------------------------------------
// Rules zod cannot express (cross references, counts); each element is parsed on its own so that one broken
// question does not hide the problems of the others.

function semanticProblems(raw: unknown): Problem[] {
  if (!isRecord(raw)) return [];
  const problems: Problem[] = [];
  const rawTopics = Array.isArray(raw.topics) ? raw.topics : [];
  const rawStems = Array.isArray(raw.stems) ? raw.stems : [];
  const rawQuestions = Array.isArray(raw.questions) ? raw.questions : [];
  const rawId = (v: unknown) => (isRecord(v) && typeof v.id === "string" ? v.id : undefined);

  const knownTopics = new Set(rawTopics.map(rawId).filter((id) => id !== undefined));
  const knownStems = new Set(rawStems.map(rawId).filter((id) => id !== undefined));
  problems.push(...duplicateIds(rawTopics, "topics", "topic"));
  problems.push(...duplicateIds(rawStems, "stems", "stem"));
  problems.push(...duplicateIds(rawQuestions, "questions", "question"));

  rawTopics.forEach((rawTopic, i) => {
    const topic = ExamTopicSchema.safeParse(rawTopic);
    if (!topic.success) return;
    const available = rawQuestions.filter((q) => isRecord(q) && q.topic === topic.data.id).length;
    if (available < topic.data.draw) {
      problems.push({
        path: ["topics", i, "draw"],
        message: `draws ${topic.data.draw} questions per attempt but only ${available} question(s) have topic "${topic.data.id}"`,
      });
    }
  });

  // A stem no question refers to is text the author meant to use: most often a question's `stem:` is misspelt or
  // was dropped, which would silently turn a scenario into a question without its context.
  const usedStems = new Set(rawQuestions.map((q) => (isRecord(q) && typeof q.stem === "string" ? q.stem : undefined)));
  rawStems.forEach((rawStem, i) => {
    const id = rawId(rawStem);
    if (id !== undefined && ExamStemSchema.shape.id.safeParse(id).success && !usedStems.has(id)) {
      problems.push({ path: ["stems", i, "id"], message: `no question uses this stem; give a scenario question \`stem: ${id}\` or remove the stem` });
    }
  });

  rawQuestions.forEach((rawQuestion, i) => {
    const at = (...rest: Path): Path => ["questions", i, ...rest];
    if (isRecord(rawQuestion) && typeof rawQuestion.topic === "string" && !knownTopics.has(rawQuestion.topic)) {
      problems.push({ path: at("topic"), message: `topic "${rawQuestion.topic}" is not listed under topics` });
    }
    const parsed = ExamQuestionSchema.safeParse(rawQuestion);
    if (!parsed.success) return;
    const q = parsed.data;

    if (q.type === "scenario" && q.stem === undefined) {
      problems.push({ path: at("type"), message: "a scenario question needs a `stem:` naming one of the stems" });
    } else if (q.type === "scenario" && q.stem !== undefined && !knownStems.has(q.stem)) {
      problems.push({ path: at("stem"), message: `stem "${q.stem}" is not listed under stems` });
    } else if (q.type !== "scenario" && q.stem !== undefined) {
      problems.push({ path: at("stem"), message: `only scenario questions have a stem (this one is ${q.type})` });
    }

    const optionIds = q.options.map((o) => o.id);
    const seenOptions = new Set<string>();
    optionIds.forEach((id, j) => {
      if (seenOptions.has(id)) problems.push({ path: at("options", j, "id"), message: `option id "${id}" is used twice` });
      seenOptions.add(id);
    });

    const seenCorrect = new Set<string>();
    q.correct.forEach((id, j) => {
      if (seenCorrect.has(id)) {
        problems.push({ path: at("correct", j), message: `"${id}" is listed twice` });
      } else if (!seenOptions.has(id)) {
        problems.push({
          path: at("correct", j),
          message: `"${id}" is not one of the option ids (${[...seenOptions].join(", ")})`,
        });
      }
      seenCorrect.add(id);
    });

    const correctCount = seenCorrect.size;
    if (q.type === "multiple") {
      if (correctCount < 2) {
        problems.push({
          path: at("correct"),
          message: `a multiple question needs at least two correct options, found ${correctCount} (use type single for one)`,
        });
      } else if ([...seenOptions].every((id) => seenCorrect.has(id))) {
        problems.push({ path: at("correct"), message: "not every option of a multiple question may be correct" });
      }
    } else if (correctCount !== 1) {
      problems.push({
        path: at("correct"),
        message: `a ${q.type} question needs exactly one correct option, found ${correctCount}`,
      });
    }

    if (q.type === "true_false") {
      const ids = [...optionIds].sort();
      if (ids.length !== 2 || ids[0] !== "false" || ids[1] !== "true") {
        problems.push({
          path: at("options"),
          message: `a true_false question has exactly two options with ids "true" and "false" (found ${optionIds.map((id) => `"${id}"`).join(", ")})`,
        });
      }
    }
  });
  return problems;
}

function duplicateIds(items: unknown[], list: string, noun: string): Problem[] {
  const firstIndex = new Map<string, number>();
  const problems: Problem[] = [];
  items.forEach((item, i) => {
    if (!isRecord(item) || typeof item.id !== "string") return;
    const first = firstIndex.get(item.id);
    if (first === undefined) firstIndex.set(item.id, i);
    else
      problems.push({
        path: [list, i, "id"],
        message: (lineOf) =>
          `"${item.id}" is already the id of the ${noun} at line ${lineOf([list, first])}; every ${noun} needs its own id`,
      });
  });
  return problems;
}

// Text is rendered escaped, but a script tag in a bank means a copy-paste from somewhere it should not come from.
function scriptProblems(value: unknown, path: Path): Problem[] {
  if (typeof value === "string") {
    return /<\s*script/i.test(value) ? [{ path, message: "contains a <script> tag; HTML is not allowed in exam text" }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => scriptProblems(v, [...path, i]));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => scriptProblems(v, [...path, k]));
  return [];
}

// ---------------------------------------------------------------------------------------------------------
// helpers: NFC, paths, line numbers

function normaliseStrings(value: unknown, path: Path, nfd: Path[]): unknown {
  if (typeof value === "string") {
    const nfc = value.normalize("NFC");
    if (nfc !== value) nfd.push(path);
    return nfc;
  }
  if (Array.isArray(value)) return value.map((v, i) => normaliseStrings(v, [...path, i], nfd));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseStrings(v, [...path, k], nfd)]));
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueAt(raw: unknown, path: Path): unknown {
  let value = raw;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === "number") value = value[segment];
    else if (isRecord(value)) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

/** `question "kns-003", options[1].text.en` reads better than `questions[7].options[1].text.en`. */
function describePath(raw: unknown, path: Path): string {
  let head = "";
  let rest = path;
  const [list, index] = path;
  const nouns: Record<string, string> = { questions: "question", topics: "topic", stems: "stem" };
  if (typeof list === "string" && nouns[list] && typeof index === "number") {
    const item = valueAt(raw, [list, index]);
    const id = isRecord(item) && typeof item.id === "string" ? item.id : undefined;
    head = id !== undefined ? `${nouns[list]} "${id}"` : `${list}[${index}]`;
    rest = path.slice(2);
  }
  const tail = rest.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
  if (head && tail) return `${head}, ${tail}`;
  return head || tail;
}

/**
 * The line of the deepest node on `path` that exists: a mapping key's own line (so `options:` points at the
 * word, not the first option), a list item's first line; a missing key points at its parent.
 */
function lineOfPath(doc: Document, path: Path, lineAt: (offset: number) => number): number {
  let node: unknown = doc.contents;
  let line = nodeLine(node, lineAt) ?? 1;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      line = nodeLine(pair.key, lineAt) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      line = nodeLine(item, lineAt) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

function nodeLine(node: unknown, lineAt: (offset: number) => number): number | undefined {
  if (typeof node !== "object" || node === null || !("range" in node)) return undefined;
  const range = (node as { range?: [number, number, number] | null }).range;
  return range ? lineAt(range[0]) : undefined;
}

function dedupe(errors: ExamError[]): ExamError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.line}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortErrors(errors: ExamError[]): ExamError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.message.localeCompare(b.message));
}
