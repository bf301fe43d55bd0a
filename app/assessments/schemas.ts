/** Input schemas shared by the exam routes (zod; the server re-derives everything else from the attempt row). */
import { z } from "zod";

export const AttemptIdSchema = z.string().regex(/^[0-9a-z]{10,40}$/);
export const CourseSlugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(100);

/** One autosave from the taking page's fetch queue. */
export const SaveBodySchema = z.object({
  questionId: z.string().min(1).max(100),
  selected: z.array(z.string().min(1).max(64)).max(20),
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** The no-JS form: one question per page, "save" buttons choose where to go next. */
export const SaveFormSchema = z.object({
  intent: z.literal("save"),
  questionId: z.string().min(1).max(100),
  choice: z.array(z.string().min(1).max(64)).max(20),
  q: z.coerce.number().int().min(1).max(1000),
  go: z.enum(["next", "prev", "stay"]).default("stay"),
});

export const SubmitFormSchema = z.object({
  intent: z.literal("submit"),
  reason: z.enum(["candidate", "deadline"]).default("candidate"),
});
