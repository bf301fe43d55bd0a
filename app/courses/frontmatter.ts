/**
 * YAML frontmatter parsing with exact line numbers. We parse it ourselves (with `yaml`) rather than take
 * mdx-bundler's gray-matter result so that a bad key is reported at its own line, not at line 1.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import type { ContentError } from "./content-types";

export type FrontmatterBlock = {
  /** The YAML text between the two `---` lines. */
  yaml: string;
  /** 1-based line of the first YAML line in the file (2 when the file starts with `---`). */
  firstLine: number;
};

/** Finds the leading `---` … `---` block. Returns null when the file has none. */
export function splitFrontmatter(source: string): FrontmatterBlock | null {
  const lines = source.split(/\r?\n/);
  if (lines[0]?.trim() !== "---") return null;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]?.trim() === "---") return { yaml: lines.slice(1, i).join("\n"), firstLine: 2 };
  }
  return null;
}

function lineOfOffset(counter: LineCounter, offset: number, firstLine: number): number {
  return counter.linePos(offset).line + firstLine - 1;
}

/** Line of the deepest node that exists along `path` (a key's line when the path ends at a map key). */
function lineOfPath(doc: Document, counter: LineCounter, path: PropertyKey[], firstLine: number): number {
  let node: unknown = doc.contents;
  let line = firstLine > 1 ? firstLine - 1 : 1; // the opening `---` when nothing better is known
  if (node && typeof node === "object" && "range" in node && Array.isArray(node.range) && path.length === 0) {
    return lineOfOffset(counter, node.range[0] as number, firstLine);
  }
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair || !isScalar(pair.key) || !pair.key.range) break;
      line = lineOfOffset(counter, pair.key.range[0], firstLine);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (!item || typeof item !== "object" || !("range" in item) || !item.range) break;
      line = lineOfOffset(counter, (item.range as [number, number, number])[0], firstLine);
      node = item;
    } else break;
  }
  return line;
}

/** Line of a top-level key, or 0 when absent. */
export function lineOfKey(doc: Document, counter: LineCounter, key: string, firstLine: number): number {
  if (!isMap(doc.contents)) return 0;
  const has = doc.contents.items.some((p) => isScalar(p.key) && String(p.key.value) === key);
  return has ? lineOfPath(doc, counter, [key], firstLine) : 0;
}

function valueAt(data: unknown, path: PropertyKey[]): { found: boolean; value: unknown } {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object" || !(String(seg) in (cur as object))) {
      return { found: false, value: undefined };
    }
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return { found: true, value: cur };
}

export type ParsedFrontmatter<T> = {
  /** Validated data, when there were no errors. */
  data?: T;
  /** Raw YAML data (may be invalid), useful for cross-file comparisons. */
  raw?: Record<string, unknown>;
  /** Line of each top-level key (for errors found later, e.g. cross-language mismatches). */
  keyLine: (key: string) => number;
  /** Whether the YAML itself was readable (MDX compilation needs this). */
  yamlOk: boolean;
  errors: ContentError[];
};

/**
 * Parses and validates the frontmatter of `source` with `schema`. Every problem gets the line of the key it is
 * about: a YAML syntax error, an unknown key, a missing key (reported at the opening `---`), a bad value.
 */
export function parseFrontmatter<S extends z.ZodObject>(
  source: string,
  file: string,
  schema: S,
): ParsedFrontmatter<z.infer<S>> {
  const block = splitFrontmatter(source);
  const none = () => 0;
  if (!block) {
    return {
      keyLine: none,
      yamlOk: false,
      errors: [{ file, line: 1, message: "missing frontmatter: the file must start with a --- … --- YAML block" }],
    };
  }
  const counter = new LineCounter();
  const doc = parseDocument(block.yaml, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const yamlErrors = doc.errors.map((e) => ({
    file,
    line: lineOfOffset(counter, e.pos[0], block.firstLine),
    message: `frontmatter is not valid YAML: ${e.message.split("\n")[0]}`,
  }));
  if (yamlErrors.length > 0) return { keyLine: none, yamlOk: false, errors: yamlErrors };

  const keyLine = (key: string) => lineOfKey(doc, counter, key, block.firstLine);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // yaml throws when aliases would expand past maxAliasCount (a "billion laughs" bomb).
    return { keyLine, yamlOk: false, errors: [{ file, line: block.firstLine, message: `frontmatter could not be read: ${(e as Error).message}` }] };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return {
      keyLine,
      yamlOk: true,
      errors: [{ file, line: block.firstLine, message: "frontmatter must be a set of key: value lines" }],
    };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { data: result.data, raw: raw as Record<string, unknown>, keyLine, yamlOk: true, errors: [] };

  const errors: ContentError[] = [];
  const allowed = Object.keys(schema.shape);
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const p = [...issue.path, key];
        const where = issue.path.length ? `${issue.path.join(".")}.` : "";
        const hint = issue.path.length === 0 ? ` (allowed keys: ${allowed.join(", ")})` : "";
        errors.push({ file, line: lineOfPath(doc, counter, p, block.firstLine), message: `unknown key "${where}${key}"${hint}` });
      }
      continue;
    }
    const name = issue.path.join(".") || "frontmatter";
    const { found } = valueAt(raw, issue.path);
    const message = found ? `${name}: ${issue.message}` : `missing required key "${name}"`;
    errors.push({ file, line: lineOfPath(doc, counter, issue.path, block.firstLine), message });
  }
  errors.sort((a, b) => a.line - b.line);
  return { raw: raw as Record<string, unknown>, keyLine, yamlOk: true, errors };
}
