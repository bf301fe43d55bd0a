/**
 * Walks the MDX syntax tree of one page (run as a remark plugin inside mdx-bundler, so positions are the
 * file's own lines) to: reject unknown components and unsafe tags, check component props where they are
 * static, check lesson links and image files, canonicalise asset paths, fill LawRef details from the laws table,
 * give headings ids, and extract headings + plain text for search. Pure: the caller supplies what exists.
 */
import {
  ALLOWED_COMPONENTS,
  CALLOUT_TYPES,
  COMPONENT_ATTRIBUTES,
  type AllowedComponent,
} from "./content-schema";
import type { ContentError, Heading } from "./content-types";
import type { LawEntry } from "./laws";
import { createSlugger } from "./slug";

/** Minimal mdast/MDX node shape: we only read documented fields, so we avoid depending on @types/mdast. */
export type MdNode = {
  type: string;
  children?: MdNode[];
  value?: unknown;
  url?: string;
  alt?: string | null;
  depth?: number;
  name?: string | null;
  attributes?: MdAttribute[];
  position?: { start: { line: number; column: number } };
  data?: Record<string, unknown>;
};
type EstreeNode = { type: string; [key: string]: unknown };
export type MdAttribute = {
  type: string; // mdxJsxAttribute | mdxJsxExpressionAttribute
  name?: string;
  value?: null | string | { type: string; value: string; data?: { estree?: EstreeNode } };
  position?: { start: { line: number } };
};

export type PageCheckContext = {
  /** Path of the file for messages (relative to the repository root). */
  file: string;
  /** Lesson ids of this course ("02-email"), in any language. */
  lessonIds: ReadonlySet<string>;
  /** Files under the course's assets/ folder ("so-do.png", "img/a.png"). */
  assets: ReadonlySet<string>;
  /** The laws table, or null when it could not be read. */
  laws: ReadonlyMap<string, LawEntry> | null;
  /** Where the laws table lives, for messages. */
  lawsFile: string;
};

export type LessonLink = { target: string; anchor: string | null; line: number };

export type PageAnalysis = {
  headings: Heading[];
  text: string;
  wordCount: number;
  /** Links to other lessons of the course that carry a #anchor, checked once every page is compiled. */
  anchoredLessonLinks: LessonLink[];
  errors: ContentError[];
  warnings: ContentError[];
};

const ALLOWED = new Set<string>(ALLOWED_COMPONENTS);
/** Tags that would run code, load outside resources or restyle the page when server-rendered. */
const BLOCKED_TAGS = new Set(["script", "style", "iframe", "object", "embed", "link", "meta", "base", "frame", "frameset"]);
const LESSON_LINK = /^\.\/(\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)\/?(?:#(.*))?$/;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const TEXT_ATTRIBUTES = ["title", "caption", "question", "explanation"];
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

type Static = { ok: true; value: unknown } | { ok: false };

/** Evaluates an attribute expression when it is a literal (string, number, array of literals). */
export function evalStatic(node: EstreeNode | undefined): Static {
  if (!node) return { ok: false };
  switch (node.type) {
    case "Program": {
      const body = node.body as EstreeNode[];
      const first = body.length === 1 ? body[0] : undefined;
      return first?.type === "ExpressionStatement" ? evalStatic(first.expression as EstreeNode) : { ok: false };
    }
    case "Literal":
      return { ok: true, value: node.value };
    case "TemplateLiteral": {
      const quasis = node.quasis as { value: { cooked: string } }[];
      return (node.expressions as unknown[]).length === 0 ? { ok: true, value: quasis.map((q) => q.value.cooked).join("") } : { ok: false };
    }
    case "UnaryExpression": {
      const arg = evalStatic(node.argument as EstreeNode);
      if (!arg.ok || typeof arg.value !== "number") return { ok: false };
      if (node.operator === "-") return { ok: true, value: -arg.value };
      if (node.operator === "+") return { ok: true, value: arg.value };
      return { ok: false };
    }
    case "ArrayExpression": {
      const out: unknown[] = [];
      for (const el of node.elements as (EstreeNode | null)[]) {
        if (!el || el.type === "SpreadElement") return { ok: false };
        const v = evalStatic(el);
        if (!v.ok) return { ok: false };
        out.push(v.value);
      }
      return { ok: true, value: out };
    }
    default:
      return { ok: false };
  }
}

function attributeValue(attr: MdAttribute): Static {
  if (attr.value === null || attr.value === undefined) return { ok: true, value: true };
  if (typeof attr.value === "string") return { ok: true, value: attr.value };
  return evalStatic(attr.value.data?.estree);
}

/** Text content of a node (text and inline code; JS expressions and images are left out). */
export function nodeText(node: MdNode): string {
  if (node.type === "text" || node.type === "inlineCode") return String(node.value ?? "");
  if (node.type === "break") return " ";
  if (node.type === "mdxTextExpression" || node.type === "mdxFlowExpression" || node.type === "image") return "";
  return (node.children ?? []).map(nodeText).join("");
}

const BLOCK_TEXT = new Set(["paragraph", "heading", "tableCell", "code"]);
const FLOW = new Set([
  "paragraph", "heading", "list", "listItem", "blockquote", "code", "table", "tableRow", "tableCell",
  "thematicBreak", "mdxJsxFlowElement", "mdxFlowExpression", "definition", "yaml", "mdxjsEsm",
]);

/** Analyses (and lightly rewrites) one page's tree. */
export function analyzeTree(tree: MdNode, ctx: PageCheckContext): PageAnalysis {
  const errors: ContentError[] = [];
  const warnings: ContentError[] = [];
  const headings: Heading[] = [];
  const blocks: string[] = [];
  const anchoredLessonLinks: LessonLink[] = [];
  const sameP = [] as { anchor: string; line: number }[];
  const slug = createSlugger();
  const err = (line: number, message: string) => errors.push({ file: ctx.file, line, message });
  const lineOf = (n: { position?: { start: { line: number } } } | undefined, fallback = 0) => n?.position?.start.line ?? fallback;

  /** Returns the canonical `assets/…` path, or null after reporting why `src` is not a course asset. */
  const checkAsset = (src: string, line: number, what: string): string | null => {
    if (HAS_SCHEME.test(src) || src.startsWith("/") || src.startsWith("//")) {
      err(line, `${what} "${src}" must be a file in this course's assets/ folder (write src="assets/…"), not an outside address`);
      return null;
    }
    let p = src.replace(/^\.\//, "");
    if (p.startsWith("../assets/")) p = p.slice(3);
    const parts = p.split("/");
    if (parts[0] !== "assets" || parts.length < 2 || parts.some((s) => s === ".." || s === "." || s === "")) {
      err(line, `${what} "${src}" must point into this course's assets/ folder, e.g. "assets/so-do.png"`);
      return null;
    }
    let rest = parts.slice(1).join("/");
    if (!ctx.assets.has(rest)) {
      let decoded = rest;
      try {
        decoded = decodeURIComponent(rest);
      } catch {
        /* keep as written */
      }
      if (!ctx.assets.has(decoded)) {
        err(line, `${what} "${src}" not found: there is no file assets/${decoded} in this course`);
        return null;
      }
      rest = decoded;
    }
    return `assets/${rest}`;
  };

  const checkLink = (url: string, line: number) => {
    if (!url || HAS_SCHEME.test(url) || url.startsWith("/")) return;
    if (url.startsWith("#")) {
      sameP.push({ anchor: url.slice(1), line });
      return;
    }
    const normal = url.startsWith("./") || url.startsWith("../") ? url : `./${url}`;
    if (normal.startsWith("./assets/") || normal.startsWith("../assets/")) {
      checkAsset(normal, line, "linked file");
      return;
    }
    const m = LESSON_LINK.exec(normal);
    if (!m) {
      err(line, `link "${url}" is not valid: a link to another lesson must look like ./02-lesson-slug (optionally #heading)`);
      return;
    }
    const target = m[1]!;
    if (!ctx.lessonIds.has(target)) {
      const known = [...ctx.lessonIds].sort().join(", ") || "none";
      err(line, `broken link "${url}": this course has no lesson ${target} (lessons: ${known})`);
      return;
    }
    if (m[2]) anchoredLessonLinks.push({ target, anchor: m[2], line });
  };

  const setAttr = (node: MdNode, name: string, value: string) => {
    const attrs = (node.attributes ??= []);
    const existing = attrs.find((a) => a.type === "mdxJsxAttribute" && a.name === name);
    if (existing) existing.value = value;
    else attrs.push({ type: "mdxJsxAttribute", name, value });
  };

  const checkComponent = (node: MdNode, name: AllowedComponent, ancestors: MdNode[]) => {
    const line = lineOf(node);
    const props = new Map<string, { value: Static; line: number }>();
    const allowedAttrs = COMPONENT_ATTRIBUTES[name];
    for (const attr of node.attributes ?? []) {
      if (attr.type !== "mdxJsxAttribute" || !attr.name) continue; // {...spread}: not statically checkable
      if (!allowedAttrs.includes(attr.name)) {
        const accepts = allowedAttrs.length ? `it accepts: ${allowedAttrs.join(", ")}` : "it takes no attributes";
        err(lineOf(attr, line), `<${name}> has no attribute "${attr.name}" (${accepts})`);
        continue;
      }
      props.set(attr.name, { value: attributeValue(attr), line: lineOf(attr, line) });
    }
    const text = (key: string): string | undefined | null => {
      const p = props.get(key);
      if (!p) return undefined;
      if (!p.value.ok) return null; // dynamic: cannot check
      return typeof p.value.value === "string" ? p.value.value : String(p.value.value);
    };
    const required = (key: string, hint: string) => {
      const v = text(key);
      if (v === undefined || (v !== null && v.trim() === "")) {
        err(props.get(key)?.line ?? line, `<${name}> needs ${key}: ${hint}`);
        return false;
      }
      return v !== null;
    };
    switch (name) {
      case "Callout": {
        if (required("type", `type="note", "warning" or "law"`)) {
          const t = text("type")!;
          if (!(CALLOUT_TYPES as readonly string[]).includes(t)) {
            err(props.get("type")!.line, `<Callout type="${t}">: type must be one of ${CALLOUT_TYPES.join(", ")}`);
          }
        }
        break;
      }
      case "Figure": {
        required("alt", `alt="…" describing the image for people who cannot see it`);
        if (required("src", `src="assets/…"`)) {
          const canonical = checkAsset(text("src")!, props.get("src")!.line, "<Figure> src");
          if (canonical) setAttr(node, "src", canonical);
        }
        break;
      }
      case "Term": {
        required("def", `def="…" with the definition shown in the tooltip`);
        if (nodeText(node).trim() === "") err(line, `<Term> needs the word it defines between <Term …> and </Term>`);
        break;
      }
      case "Step": {
        if (!ancestors.some((a) => a.name === "Steps")) err(line, `<Step> must be inside <Steps> … </Steps>`);
        break;
      }
      case "LawRef": {
        if (!required("number", `number="…" as listed in the laws table of ${ctx.lawsFile}`)) break;
        const number = text("number")!;
        if (!ctx.laws) {
          err(line, `cannot check <LawRef number="${number}">: the laws table in ${ctx.lawsFile} could not be read`);
          break;
        }
        const law = ctx.laws.get(number);
        if (!law) {
          err(props.get("number")!.line, `<LawRef number="${number}"> is not in the laws table of ${ctx.lawsFile}; add it there (number, title, dates) first`);
          break;
        }
        const date = text("date");
        if (typeof date === "string" && date !== law.issued) {
          err(props.get("date")!.line, `<LawRef number="${number}" date="${date}">: the laws table says it was issued ${law.issued}`);
        }
        if (date === undefined) setAttr(node, "date", law.issued);
        if (text("title") === undefined) setAttr(node, "title", law.title);
        break;
      }
      case "SelfCheck": {
        required("question", `question="…"`);
        const options = props.get("options");
        const answer = props.get("answer");
        let optionCount: number | null = null;
        if (!options) err(line, `<SelfCheck> needs options={["…", "…"]} (at least two)`);
        else if (options.value.ok) {
          const v = options.value.value;
          if (!Array.isArray(v) || v.length < 2 || v.some((o) => typeof o !== "string" || o.trim() === "")) {
            err(options.line, `<SelfCheck> options must be a list of at least two non-empty texts, e.g. options={["Có", "Không"]}`);
          } else optionCount = v.length;
        }
        if (!answer) err(line, `<SelfCheck> needs answer={0-based index of the correct option} (or a list of indexes)`);
        else if (answer.value.ok) {
          const v = answer.value.value;
          const list = Array.isArray(v) ? v : [v];
          const bad = list.length === 0 || list.some((a) => typeof a !== "number" || !Number.isInteger(a));
          if (bad) err(answer.line, `<SelfCheck> answer must be a whole number (0 = first option) or a list of them, got ${JSON.stringify(v)}`);
          else if (new Set(list).size !== list.length) err(answer.line, `<SelfCheck> answer lists the same option twice: ${JSON.stringify(v)}`);
          else if (optionCount !== null) {
            const out = (list as number[]).filter((a) => a < 0 || a >= optionCount!);
            if (out.length) {
              err(answer.line, `<SelfCheck> answer ${out.join(", ")} is out of range: there are ${optionCount} options, so answers go from 0 to ${optionCount - 1} (0-based)`);
            }
          }
        }
        break;
      }
      case "Steps":
        break;
    }
    for (const key of TEXT_ATTRIBUTES) {
      const v = text(key);
      if (typeof v === "string" && v.trim()) blocks.push(v.trim());
    }
    const opts = props.get("options")?.value;
    if (name === "SelfCheck" && opts?.ok && Array.isArray(opts.value)) {
      blocks.push(opts.value.filter((o): o is string => typeof o === "string").join("\n"));
    }
  };

  const visit = (node: MdNode, ancestors: MdNode[]) => {
    const line = lineOf(node, lineOf(ancestors[ancestors.length - 1]));
    switch (node.type) {
      case "yaml":
        return;
      case "mdxjsEsm":
        // remark-mdx-frontmatter injects an export without a position; anything with one was written by hand.
        if (node.position) err(line, "import/export statements are not allowed in course MDX; the components are available without imports");
        return;
      case "heading": {
        const text = nodeText(node).trim();
        const id = slug(text);
        node.data = { ...node.data, hProperties: { ...((node.data?.hProperties as object) ?? {}), id } };
        headings.push({ depth: node.depth ?? 1, text, id });
        if (node.depth === 1) {
          warnings.push({ file: ctx.file, line, message: `"# ${text}" is a top-level heading; the page title comes from the frontmatter, so start sections with ##` });
        }
        break;
      }
      case "link":
      case "definition":
        checkLink(node.url ?? "", line);
        break;
      case "image": {
        if (!node.alt || !node.alt.trim()) err(line, `image "${node.url}" needs alt text: ![what the image shows](${node.url})`);
        const canonical = checkAsset(node.url ?? "", line, "image");
        if (canonical) node.url = canonical;
        break;
      }
      case "mdxJsxFlowElement":
      case "mdxJsxTextElement": {
        const name = node.name;
        if (!name) break; // fragment
        if (/^[A-Z]/.test(name)) {
          if (ALLOWED.has(name)) checkComponent(node, name as AllowedComponent, ancestors);
          else err(line, `unknown component <${name}>: course MDX may only use ${ALLOWED_COMPONENTS.join(", ")}`);
        } else if (BLOCKED_TAGS.has(name.toLowerCase())) {
          err(line, `<${name}> is not allowed in course MDX`);
        } else {
          for (const attr of node.attributes ?? []) {
            if (attr.type !== "mdxJsxAttribute" || typeof attr.value !== "string") continue;
            if (name === "a" && attr.name === "href") checkLink(attr.value, lineOf(attr, line));
            if (name === "img" && attr.name === "src") {
              const canonical = checkAsset(attr.value, lineOf(attr, line), "<img> src");
              if (canonical) attr.value = canonical;
            }
          }
          if (name === "img" && !(node.attributes ?? []).some((a) => a.name === "alt" && typeof a.value === "string" && a.value.trim())) {
            err(line, `<img> needs alt text; prefer <Figure src="assets/…" alt="…" />`);
          }
        }
        break;
      }
    }
    if (BLOCK_TEXT.has(node.type)) {
      const t = node.type === "code" ? String(node.value ?? "") : nodeText(node);
      if (t.trim()) blocks.push(t.trim());
      // Headings/paragraphs may still hold links, images and components to check.
    } else if (node.type === "mdxJsxFlowElement") {
      // `<Step title="…">Short text</Step>` on one line holds phrasing directly, without a paragraph.
      const inline = (node.children ?? []).filter((c) => !FLOW.has(c.type)).map(nodeText).join("").trim();
      if (inline) blocks.push(inline);
    }
    for (const child of node.children ?? []) visit(child, [...ancestors, node]);
  };
  visit(tree, []);

  const ids = new Set(headings.map((h) => h.id));
  for (const { anchor, line } of sameP) {
    if (anchor && !ids.has(anchor)) {
      warnings.push({ file: ctx.file, line, message: `link "#${anchor}": no heading with that id on this page (ids: ${[...ids].join(", ") || "none"})` });
    }
  }
  const text = blocks.join("\n");
  return { headings, text, wordCount: countWords(text), anchoredLessonLinks, errors, warnings };
}
