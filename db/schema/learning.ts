import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ms } from "./_common";
import { people } from "./org";

export const CREDENTIAL_IDS = [
  "basic_digital_skills",
  "ai_public_service",
  "basic_data_management",
  "commune_digital_assist",
  "leadership_dx",
] as const;
export type CredentialId = (typeof CREDENTIAL_IDS)[number];

/** What a target counts. Reference data, loaded by db:migrate. */
export const credentials = sqliteTable("credentials", {
  id: text("id", { enum: CREDENTIAL_IDS }).primaryKey(),
  serialPrefix: text("serial_prefix").notNull().unique(),
  nameVi: text("name_vi").notNull(),
  nameEn: text("name_en").notNull(),
});

/** One row per course folder in courses/; synced from build/content at start. Slugs are never renamed. */
export const courses = sqliteTable("courses", {
  id: text("id").primaryKey(), // the slug
  credentialId: text("credential_id")
    .notNull()
    .references(() => credentials.id),
  titleVi: text("title_vi").notNull(),
  titleEn: text("title_en").notNull(),
  audience: text("audience", { enum: ["all", "it_dx", "leader", "commune_official"] }).notNull(),
  validityMonths: integer("validity_months"),
  currentVersionId: text("current_version_id"),
  status: text("status", { enum: ["active", "retired"] }).notNull().default("active"),
  sortOrder: integer("sort_order").notNull().default(0),
  updatedAt: ms("updated_at").notNull(),
});

/**
 * Every content version ever published. The manifest (lessons, titles) and the exam bank are snapshotted so
 * that attempts and certificates citing an old version stay gradeable and readable after the course changes.
 */
export const courseVersions = sqliteTable(
  "course_versions",
  {
    id: text("id").primaryKey(),
    courseId: text("course_id")
      .notNull()
      .references(() => courses.id),
    contentHash: text("content_hash").notNull(),
    manifestJson: text("manifest_json").notNull(),
    examJson: text("exam_json"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("course_versions_hash").on(t.courseId, t.contentHash)],
);

export const enrollments = sqliteTable(
  "enrollments",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id),
    courseId: text("course_id")
      .notNull()
      .references(() => courses.id),
    startedAt: ms("started_at").notNull(),
    lastLessonSlug: text("last_lesson_slug"),
    lastVisitedAt: ms("last_visited_at"),
    lessonsCompletedAt: ms("lessons_completed_at"),
    completedAt: ms("completed_at"),
  },
  (t) => [uniqueIndex("enrollments_person_course").on(t.personId, t.courseId)],
);

export const lessonProgress = sqliteTable(
  "lesson_progress",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id),
    courseId: text("course_id")
      .notNull()
      .references(() => courses.id),
    lessonSlug: text("lesson_slug").notNull(),
    courseVersionId: text("course_version_id").references(() => courseVersions.id),
    firstViewedAt: ms("first_viewed_at").notNull(),
    completedAt: ms("completed_at"),
    /** Id of the offline-queued event that completed it, so a replayed queue never double counts. */
    clientEventId: text("client_event_id"),
  },
  (t) => [
    uniqueIndex("lesson_progress_unique").on(t.personId, t.courseId, t.lessonSlug),
    index("lesson_progress_person_idx").on(t.personId),
  ],
);
