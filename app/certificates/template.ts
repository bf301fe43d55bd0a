/**
 * Certificate layouts as data: `certificates/templates/_base/layout.json` plus one `layout.json` per credential
 * that `extends` it with colour, wording and element overrides. Coordinates are points on an A4 landscape page,
 * measured from the TOP-left corner (text `y` is the baseline); the renderer flips them for PDF.
 */
import { z } from "zod";

export const FONT_NAMES = ["regular", "italic", "medium", "semibold", "bold"] as const;

/** Fields a layout may use as `{name}` placeholders; everything else must come from `texts` as `{t.key}`. */
export const TEMPLATE_FIELDS = [
  "serial",
  "holderName",
  "unitName",
  "credentialNameVi",
  "credentialNameEn",
  "courseTitleVi",
  "issuerName",
  "issuerNameUpper",
  "scorePercent",
  "issuedDate",
  "issuedDateLongVi",
  "issuedDateLongEn",
  "expiresDate",
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** Conditions for `when`: a field that must be present, its negation, or a source. */
export const CONDITIONS = [
  "courseTitleVi",
  "!courseTitleVi",
  "scorePercent",
  "!scorePercent",
  "expiresAt",
  "!expiresAt",
  "source:passed",
  "source:recognised",
  "demo",
  "!demo",
] as const;
export type Condition = (typeof CONDITIONS)[number];

const Colour = z.string().regex(/^(#[0-9a-fA-F]{6}|[a-zA-Z][a-zA-Z0-9]*)$/, "must be #rrggbb or a colour name from `colors`");
const Num = z.number().finite();

const Common = {
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, "must be kebab-case"),
  /** Drawn only when every listed condition holds. */
  when: z.union([z.enum(CONDITIONS), z.array(z.enum(CONDITIONS))]).optional(),
};

const Segment = z.strictObject({ text: z.string(), font: z.enum(FONT_NAMES).optional(), color: Colour.optional() });

export const TextElementSchema = z.strictObject({
  ...Common,
  type: z.literal("text"),
  x: Num,
  y: Num,
  align: z.enum(["left", "center", "right"]).default("left"),
  font: z.enum(FONT_NAMES),
  size: z.number().positive(),
  color: Colour.default("ink"),
  /** Extra space between characters, in points (PDF Tc). */
  tracking: Num.default(0),
  upper: z.boolean().default(false),
  /** Text is shrunk down to minSize, then wrapped onto up to maxLines lines, to fit maxWidth. */
  maxWidth: z.number().positive().optional(),
  minSize: z.number().positive().optional(),
  maxLines: z.number().int().min(1).max(4).default(1),
  lineHeight: z.number().positive().default(1.25),
  /** When wrapped onto more lines, grow upwards (keep the last baseline) instead of downwards. */
  wrapUp: z.boolean().default(false),
  rotate: Num.default(0),
  /** Marks the text in the content stream (e.g. HolderName) so pdf-check can read it back. */
  tag: z.string().regex(/^[A-Za-z]+$/).optional(),
  /** A rule under the last line: `length` in points (centred on the text) or the text's own width. */
  underline: z.strictObject({ offset: Num, width: z.number().positive(), color: Colour.optional(), length: z.number().positive().optional() }).optional(),
  text: z.string().optional(),
  segments: z.array(Segment).min(1).optional(),
});

export const RectElementSchema = z.strictObject({
  ...Common,
  type: z.literal("rect"),
  x: Num,
  y: Num,
  w: z.number().positive(),
  h: z.number().positive(),
  fill: Colour.optional(),
  stroke: Colour.optional(),
  lineWidth: z.number().positive().default(1),
});

export const LineElementSchema = z.strictObject({
  ...Common,
  type: z.literal("line"),
  x1: Num,
  y1: Num,
  x2: Num,
  y2: Num,
  color: Colour.default("ink"),
  lineWidth: z.number().positive().default(1),
});

/** L-shaped brackets at the four corners of a rectangle. */
export const CornersElementSchema = z.strictObject({
  ...Common,
  type: z.literal("corners"),
  x: Num,
  y: Num,
  w: z.number().positive(),
  h: z.number().positive(),
  length: z.number().positive(),
  color: Colour.default("accent"),
  lineWidth: z.number().positive().default(1),
});

export const DiamondElementSchema = z.strictObject({
  ...Common,
  type: z.literal("diamond"),
  x: Num,
  y: Num,
  size: z.number().positive(),
  color: Colour.default("accent"),
});

export const QrElementSchema = z.strictObject({
  ...Common,
  type: z.literal("qr"),
  x: Num,
  y: Num,
  size: z.number().min(72, "must be at least 72 pt (25 mm) to scan reliably"),
  color: Colour.default("ink"),
  background: Colour.optional(),
});

export const ElementSchema = z.discriminatedUnion("type", [
  TextElementSchema,
  RectElementSchema,
  LineElementSchema,
  CornersElementSchema,
  DiamondElementSchema,
  QrElementSchema,
]);
export type TemplateElement = z.infer<typeof ElementSchema>;
export type TextElement = z.infer<typeof TextElementSchema>;

export const ResolvedTemplateSchema = z.strictObject({
  credential: z.string(),
  page: z.strictObject({ width: z.number().positive(), height: z.number().positive(), background: Colour.optional() }),
  colors: z.record(z.string(), z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be #rrggbb")),
  texts: z.record(z.string(), z.string()),
  meta: z.strictObject({ titleVi: z.string(), subjectVi: z.string(), keywords: z.array(z.string()) }),
  elements: z.array(ElementSchema).min(1),
});
export type CertificateTemplate = z.infer<typeof ResolvedTemplateSchema>;

/** What a layout.json may contain (the base has everything; a credential layout only what it changes). */
export const LayoutFileSchema = z.strictObject({
  $comment: z.string().optional(),
  extends: z.string().optional(),
  page: ResolvedTemplateSchema.shape.page.optional(),
  colors: z.record(z.string(), z.string()).optional(),
  texts: z.record(z.string(), z.string()).optional(),
  meta: ResolvedTemplateSchema.shape.meta.partial().optional(),
  /** Base: the element list. Credential: patches by element id. */
  elements: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.record(z.string(), z.unknown()))]).optional(),
  add: z.array(z.record(z.string(), z.unknown())).optional(),
  remove: z.array(z.string()).optional(),
});
export type LayoutFile = z.infer<typeof LayoutFileSchema>;

export interface LayoutSource {
  file: string;
  text: string;
}

/** 1-based line of the first occurrence of `needle` in a file's text (for error messages), or undefined. */
function lineOf(text: string, needle: string): number | undefined {
  const i = text.indexOf(needle);
  return i < 0 ? undefined : text.slice(0, i).split("\n").length;
}

function parseLayout(src: LayoutSource): LayoutFile {
  let json: unknown;
  try {
    json = JSON.parse(src.text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? src.text.slice(0, Number(m[1])).split("\n").length : undefined;
    throw new Error(`${src.file}${line ? `:${line}` : ""}: invalid JSON (${(e as Error).message})`);
  }
  const parsed = LayoutFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys") {
      const k = issue.keys[0]!;
      const line = lineOf(src.text, `"${k}"`);
      throw new Error(`${src.file}${line ? `:${line}` : ""}: unknown key "${k}"${issue.path.length ? ` in ${issue.path.join(".")}` : ""}`);
    }
    const key = issue.path.at(-1);
    const line = key !== undefined ? lineOf(src.text, `"${String(key)}"`) : undefined;
    throw new Error(`${src.file}${line ? `:${line}` : ""}: ${issue.path.join(".") || "(root)"} ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Merges a credential layout over the base and validates the result. Errors name the file, line (where the
 * offending element id can be found) and the element.
 */
export function resolveTemplate(credential: string, base: LayoutSource, own: LayoutSource): CertificateTemplate {
  const b = parseLayout(base);
  const o = parseLayout(own);
  if (!Array.isArray(b.elements)) throw new Error(`${base.file}: "elements" must be a list in the base layout`);
  if (o.elements && Array.isArray(o.elements)) {
    throw new Error(`${own.file}: "elements" must be an object of patches by element id (use "add" for new elements)`);
  }
  const elements = b.elements.map((e) => ({ ...e }));
  const ids = new Map(elements.map((e, i) => [String(e.id), i]));
  for (const [id, patch] of Object.entries(o.elements ?? {})) {
    const i = ids.get(id);
    if (i === undefined) throw new Error(`${own.file}:${lineOf(own.text, `"${id}"`) ?? 1}: no element "${id}" in ${base.file} to patch`);
    elements[i] = { ...elements[i], ...patch };
  }
  for (const id of o.remove ?? []) {
    const i = elements.findIndex((e) => e.id === id);
    if (i < 0) throw new Error(`${own.file}:${lineOf(own.text, `"${id}"`) ?? 1}: cannot remove unknown element "${id}"`);
    elements.splice(i, 1);
  }
  elements.push(...(o.add ?? []));
  const merged = {
    credential,
    page: o.page ?? b.page,
    colors: { ...b.colors, ...o.colors },
    texts: { ...b.texts, ...o.texts },
    meta: { ...b.meta, ...o.meta },
    elements,
  };
  const parsed = ResolvedTemplateSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    let where = base.file;
    let line: number | undefined;
    if (issue.path[0] === "elements" && typeof issue.path[1] === "number") {
      const id = String(elements[issue.path[1]]?.id ?? "");
      const inOwn = lineOf(own.text, `"${id}"`);
      where = inOwn ? own.file : base.file;
      line = inOwn ?? lineOf(base.text, `"${id}"`);
      throw new Error(`${where}${line ? `:${line}` : ""}: element "${id}": ${issue.path.slice(2).join(".") || "(element)"} ${issue.message}`);
    }
    throw new Error(`${own.file}: ${issue.path.join(".")} ${issue.message}`);
  }
  checkReferences(parsed.data, own.file);
  return parsed.data;
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

function checkReferences(t: CertificateTemplate, file: string): void {
  const ids = new Set<string>();
  for (const e of t.elements) {
    if (ids.has(e.id)) throw new Error(`${file}: element id "${e.id}" is used twice`);
    ids.add(e.id);
    const colours = Object.entries(e).filter(([k]) => ["color", "fill", "stroke", "background"].includes(k));
    if (e.type === "text") {
      if ((e.text === undefined) === (e.segments === undefined)) throw new Error(`${file}: text element "${e.id}" needs exactly one of "text" or "segments"`);
      for (const s of e.segments ?? []) if (s.color) colours.push(["color", s.color]);
      if (e.underline?.color) colours.push(["color", e.underline.color]);
      for (const str of [e.text ?? "", ...(e.segments ?? []).map((s) => s.text)]) {
        for (const [, name] of str.matchAll(PLACEHOLDER)) {
          const ok = name!.startsWith("t.") ? name!.slice(2) in t.texts : (TEMPLATE_FIELDS as readonly string[]).includes(name!);
          if (!ok) throw new Error(`${file}: element "${e.id}" uses unknown placeholder {${name}}`);
        }
      }
    }
    for (const [, c] of colours) {
      if (typeof c === "string" && !c.startsWith("#") && !(c in t.colors)) {
        throw new Error(`${file}: element "${e.id}" uses colour "${c}" that is not in "colors"`);
      }
    }
  }
  if (!t.elements.some((e) => e.type === "qr")) throw new Error(`${file}: the layout has no "qr" element`);
  if (!t.elements.some((e) => e.type === "text" && e.tag === "HolderName")) {
    throw new Error(`${file}: the layout needs a text element with "tag": "HolderName" (the holder's name)`);
  }
}

/** Replaces `{t.key}` with template texts and `{field}` with values (missing values become ""). */
export function fillPlaceholders(s: string, texts: Record<string, string>, values: Partial<Record<TemplateField, string>>): string {
  return s.replace(PLACEHOLDER, (_m, name: string) => (name.startsWith("t.") ? (texts[name.slice(2)] ?? "") : (values[name as TemplateField] ?? "")));
}

export function colourRgb(template: CertificateTemplate, c: string): [number, number, number] {
  const hex = c.startsWith("#") ? c : template.colors[c];
  if (!hex) throw new Error(`unknown colour "${c}"`);
  const n = parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

// ---------------------------------------------------------------------------------------------------------------
// Text fitting (pure: the caller supplies the width function)

export interface Run {
  text: string;
  font: (typeof FONT_NAMES)[number];
  color: string;
}

/** Width of runs at a size, including tracking after every character but the last. */
export type MeasureRuns = (runs: Run[], size: number, tracking: number) => number;

export interface FittedText {
  size: number;
  lines: Run[][];
}

function splitRunsIntoWords(runs: Run[]): Run[][] {
  // A "word" is a list of runs without spaces, followed by the space (kept at the start of the next word).
  const words: Run[][] = [[]];
  for (const r of runs) {
    const pieces = r.text.split(/(?= )/);
    pieces.forEach((p, i) => {
      if (i > 0 || (p.startsWith(" ") && words.at(-1)!.length > 0)) words.push([]);
      words.at(-1)!.push({ ...r, text: p });
    });
  }
  return words.filter((w) => w.length > 0);
}

function trimLine(line: Run[]): Run[] {
  const out = line.map((r) => ({ ...r }));
  if (out[0]) out[0].text = out[0].text.replace(/^ +/, "");
  if (out.at(-1)) out.at(-1)!.text = out.at(-1)!.text.replace(/ +$/, "");
  return out.filter((r) => r.text.length > 0);
}

/**
 * Shrinks from `size` towards `minSize` until the runs fit `maxWidth` on one line; if they still don't, wraps
 * greedily onto up to `maxLines` lines at the smallest size that fits; as a last resort returns the wrapped lines
 * at minSize (the renderer then compresses them horizontally).
 */
export function fitText(runs: Run[], el: Pick<TextElement, "size" | "minSize" | "maxWidth" | "maxLines" | "tracking">, measure: MeasureRuns): FittedText {
  const max = el.maxWidth;
  if (!max) return { size: el.size, lines: [runs] };
  const min = Math.min(el.minSize ?? el.size, el.size);
  const sizes: number[] = [];
  for (let s = el.size; s > min; s -= 0.5) sizes.push(s);
  sizes.push(min);
  for (const s of sizes) if (measure(runs, s, el.tracking) <= max) return { size: s, lines: [runs] };
  if (el.maxLines > 1) {
    const words = splitRunsIntoWords(runs);
    const wrapAt = (s: number, width: number): Run[][] => {
      const lines: Run[][] = [[]];
      for (const w of words) {
        const candidate = trimLine([...lines.at(-1)!, ...w]);
        if (lines.at(-1)!.length === 0 || measure(candidate, s, el.tracking) <= width) lines[lines.length - 1]!.push(...w);
        else lines.push([...w]);
      }
      return lines.map(trimLine);
    };
    for (const s of sizes) {
      const lines = wrapAt(s, max);
      if (lines.length > el.maxLines || lines.some((l) => measure(l, s, el.tracking) > max)) continue;
      // Balance the lines: the narrowest width that still needs no more lines than the greedy wrap at maxWidth.
      let lo = measure(runs, s, el.tracking) / lines.length;
      let hi = max;
      let best = lines;
      for (let i = 0; i < 12; i++) {
        const mid = (lo + hi) / 2;
        const attempt = wrapAt(s, mid);
        if (attempt.length <= lines.length && attempt.every((l) => measure(l, s, el.tracking) <= mid)) {
          best = attempt;
          hi = mid;
        } else lo = mid;
      }
      return { size: s, lines: best };
    }
  }
  return { size: min, lines: [runs] };
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const pad2 = (n: number) => String(n).padStart(2, "0");
const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "22/11/2025" from "2025-11-22". */
export function dateNumeric(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}
/**
 * "ngày 22 tháng 11 năm 2025". As in administrative documents (Decree 30/2020), days below 10 and the months
 * 1 and 2 take a leading zero: "ngày 05 tháng 02 năm 2026", "ngày 05 tháng 3 năm 2026".
 */
export function dateLongVi(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return `ngày ${pad2(d)} tháng ${m <= 2 ? pad2(m) : m} năm ${y}`;
}
export function dateLongEn(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return `${d} ${EN_MONTHS[m - 1]} ${y}`;
}
