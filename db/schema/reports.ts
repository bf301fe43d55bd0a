import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, ms } from "./_common";
import { users } from "./auth";
import { credentials } from "./learning";
import { orgUnits } from "./org";

/**
 * National targets are data: an administrator edits them without a release (audited).
 * population_rule: {"kind":"all"} | {"kind":"it_dx"} | {"kind":"leader"} | {"kind":"category","categories":[…]}
 */
export const targets = sqliteTable("targets", {
  id: text("id").primaryKey(),
  code: text("code").notNull().unique(),
  credentialId: text("credential_id")
    .notNull()
    .references(() => credentials.id),
  populationRuleJson: text("population_rule_json").notNull(),
  percent: real("percent").notNull(),
  deadline: text("deadline").notNull(), // YYYY-MM-DD
  scopeUnitId: text("scope_unit_id").references(() => orgUnits.id),
  titleVi: text("title_vi").notNull(),
  titleEn: text("title_en").notNull(),
  active: bool("active").notNull().default(true),
  updatedAt: ms("updated_at").notNull(),
  updatedBy: text("updated_by").references(() => users.id),
});

/**
 * Per-unit counters (the unit's own people, not its subtree) kept in the same write as every issue, revoke and
 * roster change, so national roll-ups do not scan 2.5 M people. `segment` is a population rule key
 * (all, it_dx, leader, category:<x>). Recomputable from scratch by `reports:rebuild`.
 */
export const coverageCounters = sqliteTable(
  "coverage_counters",
  {
    orgUnitId: text("org_unit_id")
      .notNull()
      .references(() => orgUnits.id),
    credentialId: text("credential_id")
      .notNull()
      .references(() => credentials.id),
    segment: text("segment").notNull(),
    population: integer("population").notNull(),
    holders: integer("holders").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgUnitId, t.credentialId, t.segment] })],
);

/** Each roster import: who, when, what file, the preview counts and per-row errors. Commit is all-or-nothing. */
export const rosterImports = sqliteTable(
  "roster_imports",
  {
    id: text("id").primaryKey(),
    actorUserId: text("actor_user_id").references(() => users.id),
    unitId: text("unit_id")
      .notNull()
      .references(() => orgUnits.id),
    fileName: text("file_name").notNull(),
    fileSha256: text("file_sha256").notNull(),
    mode: text("mode", { enum: ["full", "partial"] }).notNull(),
    status: text("status", { enum: ["previewed", "committed", "failed"] }).notNull(),
    countsJson: text("counts_json").notNull(),
    errorsJson: text("errors_json").notNull(),
    createdAt: ms("created_at").notNull(),
    committedAt: ms("committed_at"),
  },
  (t) => [index("roster_imports_unit_idx").on(t.unitId, t.createdAt)],
);
