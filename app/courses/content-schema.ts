/**
 * The course content format (courses/README.md is the authority): frontmatter schemas, naming rules and the
 * component set MDX may use. Pure module, shared by the compiler, the loader and the MDX components.
 */
import { z } from "zod";

export const LANGS = ["vi", "en"] as const;
export type Lang = (typeof LANGS)[number];

export const AUDIENCES = ["all", "it_dx", "leader", "commune_official"] as const;
export const CREDENTIALS = [
  "basic_digital_skills",
  "ai_public_service",
  "basic_data_management",
  "commune_digital_assist",
  "leadership_dx",
] as const;
export const CALLOUT_TYPES = ["note", "warning", "law"] as const;
export type CalloutType = (typeof CALLOUT_TYPES)[number];

/** Components MDX may use without importing them; any other capitalised JSX name is an error. */
export const ALLOWED_COMPONENTS = ["Callout", "Figure", "Steps", "Step", "Term", "LawRef", "SelfCheck"] as const;
export type AllowedComponent = (typeof ALLOWED_COMPONENTS)[number];

/** Attributes each component accepts; anything else is almost always a typo that would be silently ignored. */
export const COMPONENT_ATTRIBUTES: Record<AllowedComponent, readonly string[]> = {
  Callout: ["type", "title"],
  Figure: ["src", "alt", "caption", "width", "height"],
  Steps: [],
  Step: ["title"],
  Term: ["def"],
  LawRef: ["number", "date", "title"],
  SelfCheck: ["question", "options", "answer", "explanation"],
};

/** Keys of the course frontmatter that are translated; every other key must be equal in all languages. */
export const TRANSLATED_COURSE_KEYS = ["title", "summary"] as const;

/** DigComp 2.2 competences (5 areas, 21 competences). */
export const DIGCOMP_COMPETENCES = [
  "1.1", "1.2", "1.3",
  "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
  "3.1", "3.2", "3.3", "3.4",
  "4.1", "4.2", "4.3", "4.4",
  "5.1", "5.2", "5.3", "5.4",
] as const;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export function isKebabSlug(s: string): boolean {
  return KEBAB.test(s);
}

const LESSON_FILE = /^(\d{2})-([^.]+)\.([a-z]{2})\.mdx$/;
export type LessonFileName = { number: number; nn: string; slug: string; lang: Lang };
/** `02-email.vi.mdx` → { number: 2, nn: "02", slug: "email", lang: "vi" }, or a plain-language reason. */
export function parseLessonFileName(name: string): LessonFileName | { error: string } {
  const m = LESSON_FILE.exec(name);
  const expected = "expected NN-lesson-slug.vi.mdx or NN-lesson-slug.en.mdx (NN = 01, 02, …)";
  if (!m) return { error: `lesson file name "${name}" is not valid: ${expected}` };
  const [, nn, slug, lang] = m as unknown as [string, string, string, string];
  if (!(LANGS as readonly string[]).includes(lang)) {
    return { error: `lesson file "${name}" has language "${lang}"; only ${LANGS.join(" and ")} are supported` };
  }
  if (!isKebabSlug(slug)) {
    return { error: `lesson slug "${slug}" in "${name}" must be lower-kebab ASCII (a-z, 0-9 and single hyphens)` };
  }
  if (nn === "00") return { error: `lesson file "${name}": lesson numbers start at 01` };
  return { number: Number(nn), nn, slug, lang: lang as Lang };
}

const nonEmpty = (what: string) =>
  z.string({ error: `${what} must be text` }).trim().min(1, { error: `${what} must not be empty` });

const oneOf = (values: readonly string[]) => ({
  error: (iss: { input?: unknown }) => `must be one of ${values.join(", ")} (got ${JSON.stringify(iss.input)})`,
});

export const CourseFrontmatterSchema = z.strictObject({
  title: nonEmpty("title"),
  summary: nonEmpty("summary"),
  audience: z.enum(AUDIENCES, oneOf(AUDIENCES)),
  credential: z.enum(CREDENTIALS, oneOf(CREDENTIALS)),
  validityMonths: z
    .number({ error: "must be a whole number of months, or null for no expiry" })
    .int({ error: "must be a whole number of months" })
    .min(1, { error: "must be at least 1 month (or null for no expiry)" })
    .max(240, { error: "must be at most 240 months" })
    .nullable(),
  prerequisites: z
    .array(z.string().regex(KEBAB, { error: "must be a course slug (lower-kebab ASCII)" }), {
      error: "must be a list of course slugs, e.g. [] or [ky-nang-so-co-ban]",
    })
    .default([]),
  order: z.number({ error: "must be a whole number" }).int({ error: "must be a whole number" }).min(1),
  completion: z.strictObject(
    {
      lessons: z.literal("all", { error: 'must be "all" (every lesson viewed)' }),
      exam: z.boolean({ error: "must be true or false" }),
    },
    { error: "must be { lessons: all, exam: true|false }" },
  ),
});
export type CourseFrontmatter = z.infer<typeof CourseFrontmatterSchema>;

const digcompCode = z
  .union([z.string(), z.number().transform((n) => String(n))])
  .refine((s) => (DIGCOMP_COMPETENCES as readonly string[]).includes(s), {
    error: (iss) => `${JSON.stringify(iss.input)} is not a DigComp 2.2 competence (1.1 … 5.4)`,
  });

export const LessonFrontmatterSchema = z.strictObject({
  title: nonEmpty("title"),
  summary: nonEmpty("summary"),
  minutes: z
    .number({ error: "must be a whole number of minutes (5–30)" })
    .int({ error: "must be a whole number of minutes (5–30)" })
    .min(5, { error: "must be between 5 and 30 minutes" })
    .max(30, { error: "must be between 5 and 30 minutes" }),
  digcomp: z.array(digcompCode, { error: 'must be a list such as ["2.1", "2.2"]' }).optional(),
});
export type LessonFrontmatter = z.infer<typeof LessonFrontmatterSchema>;
