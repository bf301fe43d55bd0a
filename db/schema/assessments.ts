import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bool, ms } from "./_common";
import { courseVersions, courses } from "./learning";
import { people } from "./org";

/**
 * An exam attempt. The drawn questions and option order are stored here at start, so a reload, another tab or a
 * server restart shows exactly the same paper. Only one attempt per person and course can be in progress.
 */
export const attempts = sqliteTable(
  "attempts",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id),
    courseId: text("course_id")
      .notNull()
      .references(() => courses.id),
    courseVersionId: text("course_version_id")
      .notNull()
      .references(() => courseVersions.id),
    attemptNo: integer("attempt_no").notNull(),
    status: text("status", { enum: ["in_progress", "submitted", "expired"] }).notNull(),
    paperJson: text("paper_json").notNull(),
    startedAt: ms("started_at").notNull(),
    deadlineAt: ms("deadline_at").notNull(),
    submittedAt: ms("submitted_at"),
    submitReason: text("submit_reason", { enum: ["candidate", "deadline", "sweep"] }),
    scorePoints: real("score_points"),
    maxPoints: real("max_points"),
    scorePercent: real("score_percent"),
    passed: bool("passed"),
    gradeJson: text("grade_json"),
  },
  (t) => [
    uniqueIndex("attempts_person_course_no").on(t.personId, t.courseId, t.attemptNo),
    uniqueIndex("attempts_one_in_progress")
      .on(t.personId, t.courseId)
      .where(sql`status = 'in_progress'`),
    index("attempts_course_idx").on(t.courseId, t.status),
    index("attempts_deadline_idx").on(t.status, t.deadlineAt),
  ],
);

/** One row per question, upserted by every autosave. `seq` orders saves so a late retry never overwrites a newer answer. */
export const attemptAnswers = sqliteTable(
  "attempt_answers",
  {
    attemptId: text("attempt_id")
      .notNull()
      .references(() => attempts.id),
    questionId: text("question_id").notNull(),
    selectedJson: text("selected_json").notNull(),
    seq: integer("seq").notNull().default(0),
    savedAt: ms("saved_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.questionId] })],
);

/** Rejected or notable events on an attempt (answer after deadline, unknown question, …), kept for inspection. */
export const attemptEvents = sqliteTable(
  "attempt_events",
  {
    id: text("id").primaryKey(),
    attemptId: text("attempt_id")
      .notNull()
      .references(() => attempts.id),
    kind: text("kind").notNull(),
    detailJson: text("detail_json"),
    at: ms("at").notNull(),
  },
  (t) => [index("attempt_events_attempt_idx").on(t.attemptId)],
);
