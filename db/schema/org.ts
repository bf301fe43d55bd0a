import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, ms } from "./_common";

export const ORG_UNIT_KINDS = [
  "national",
  "ministry",
  "ministry_level",
  "gov_agency",
  "province",
  "commune",
  "department",
  "unit",
] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/**
 * The organisation tree. `path` is the materialised ancestry of codes ("/VN/01/00070/") so that a subtree is
 * one indexed prefix query. Units are never deleted: a merged or dissolved unit gets `active_to` and, when
 * merged, `merged_into_id`, so certificates and history that cite it stay readable.
 */
export const orgUnits = sqliteTable(
  "org_units",
  {
    id: text("id").primaryKey(),
    parentId: text("parent_id").references((): AnySQLiteColumn => orgUnits.id),
    kind: text("kind", { enum: ORG_UNIT_KINDS }).notNull(),
    code: text("code").notNull().unique(),
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en"),
    shortName: text("short_name"),
    path: text("path").notNull(),
    depth: integer("depth").notNull().default(0),
    isReference: bool("is_reference").notNull().default(false),
    activeFrom: text("active_from"),
    activeTo: text("active_to"),
    mergedIntoId: text("merged_into_id").references((): AnySQLiteColumn => orgUnits.id),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("org_units_parent_idx").on(t.parentId), index("org_units_path_idx").on(t.path)],
);

export const PERSON_CATEGORIES = ["cadre", "civil_servant", "public_employee", "commune_official"] as const;
export type PersonCategory = (typeof PERSON_CATEGORIES)[number];

/**
 * The HR roster: the denominator of every target. A person may have no account; a person who leaves is
 * marked `left`, never deleted, so their certificates stay attached.
 */
export const people = sqliteTable(
  "people",
  {
    id: text("id").primaryKey(),
    staffCode: text("staff_code").notNull().unique(),
    fullName: text("full_name").notNull(),
    orgUnitId: text("org_unit_id")
      .notNull()
      .references(() => orgUnits.id),
    category: text("category", { enum: PERSON_CATEGORIES }).notNull(),
    isItDx: bool("is_it_dx").notNull().default(false),
    isLeader: bool("is_leader").notNull().default(false),
    employmentStatus: text("employment_status", { enum: ["active", "left"] }).notNull().default("active"),
    leftAt: ms("left_at"),
    sourceImportId: text("source_import_id"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [
    index("people_unit_status_idx").on(t.orgUnitId, t.employmentStatus),
    index("people_name_idx").on(sql`${t.fullName} COLLATE NOCASE`),
  ],
);
