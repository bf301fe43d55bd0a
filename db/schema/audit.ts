import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ms } from "./_common";

/**
 * Who did what to what, for inspectors. Append-only; actor and subject are plain ids (no foreign keys) so that
 * nothing anywhere can cascade into or block an audit row.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: ms("at").notNull(),
    actorUserId: text("actor_user_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id"),
    unitId: text("unit_id"),
    beforeJson: text("before_json"),
    afterJson: text("after_json"),
    ip: text("ip"),
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_subject_idx").on(t.subjectType, t.subjectId),
    // The audit page finds an object by its id alone (any type).
    index("audit_log_subject_id_idx").on(t.subjectId),
  ],
);

/** Small key/value facts about this database (demo seeded, reference data version). */
export const appMeta = sqliteTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
