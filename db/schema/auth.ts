import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bool, ms } from "./_common";
import { orgUnits, people } from "./org";

export const ROLES = ["learner", "hr", "author", "admin", "verifier"] as const;
export type Role = (typeof ROLES)[number];

/** Accounts. A learner account points at its person on the roster; an admin may have none. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  personId: text("person_id")
    .unique()
    .references(() => people.id),
  username: text("username").notNull().unique(),
  email: text("email"),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  locale: text("locale", { enum: ["vi", "en"] }).notNull().default("vi"),
  status: text("status", { enum: ["active", "disabled"] }).notNull().default("active"),
  isDemo: bool("is_demo").notNull().default(false),
  createdAt: ms("created_at").notNull(),
  passwordChangedAt: ms("password_changed_at").notNull(),
});

/** lucia 3 session table. `expires_at` is unix seconds (the adapter's contract), not ms. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** A role held over an org-unit subtree. An admin scoped to the national root sees everything. */
export const roleAssignments = sqliteTable(
  "role_assignments",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role", { enum: ROLES }).notNull(),
    orgUnitId: text("org_unit_id")
      .notNull()
      .references(() => orgUnits.id),
    grantedBy: text("granted_by"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("role_assignments_unique").on(t.userId, t.role, t.orgUnitId)],
);

/** Failed-login counters per account and per client address, shared by every server process. */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: ms("window_started_at").notNull(),
  lockedUntil: ms("locked_until"),
});
