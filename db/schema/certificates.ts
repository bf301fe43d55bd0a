import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, ms } from "./_common";
import { credentials } from "./learning";
import { orgUnits, people } from "./org";
import { attempts } from "./assessments";
import { users } from "./auth";

/** Public halves of the Ed25519 issuing keys. Private keys live in files outside the database. */
export const signingKeys = sqliteTable("signing_keys", {
  id: text("id").primaryKey(),
  issuerUnitId: text("issuer_unit_id")
    .notNull()
    .references(() => orgUnits.id),
  algorithm: text("algorithm").notNull().default("Ed25519"),
  publicKey: text("public_key").notNull(), // base64url raw 32 bytes
  validFrom: ms("valid_from").notNull(),
  validTo: ms("valid_to"),
  isDemo: bool("is_demo").notNull().default(false),
  createdAt: ms("created_at").notNull(),
});

/**
 * Issued certificates: append-only. Name and unit are snapshots taken at issue time. A pass can issue at most
 * one certificate (unique attempt_id). Nothing cascades into this table.
 */
export const certificates = sqliteTable(
  "certificates",
  {
    id: text("id").primaryKey(),
    serial: text("serial").notNull().unique(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id),
    holderName: text("holder_name").notNull(),
    holderUnitId: text("holder_unit_id")
      .notNull()
      .references(() => orgUnits.id),
    holderUnitName: text("holder_unit_name").notNull(),
    issuerUnitId: text("issuer_unit_id")
      .notNull()
      .references(() => orgUnits.id),
    credentialId: text("credential_id")
      .notNull()
      .references(() => credentials.id),
    courseId: text("course_id"),
    courseVersionId: text("course_version_id"),
    attemptId: text("attempt_id")
      .unique()
      .references(() => attempts.id),
    source: text("source", { enum: ["passed", "recognised"] }).notNull(),
    sourceNote: text("source_note"),
    scorePercent: real("score_percent"),
    issuedAt: ms("issued_at").notNull(),
    expiresAt: ms("expires_at"),
    statusListIndex: integer("status_list_index").notNull().unique(),
    keyId: text("key_id")
      .notNull()
      .references(() => signingKeys.id),
    payloadJson: text("payload_json").notNull(),
    signature: text("signature").notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    index("certificates_person_idx").on(t.personId, t.credentialId),
    index("certificates_unit_idx").on(t.holderUnitId),
    index("certificates_credential_issued_idx").on(t.credentialId, t.issuedAt),
  ],
);

/** Revocation, suspension and reinstatement are new rows, never edits of the certificate. */
export const certificateStatusEvents = sqliteTable(
  "certificate_status_events",
  {
    id: text("id").primaryKey(),
    certificateId: text("certificate_id")
      .notNull()
      .references(() => certificates.id),
    status: text("status", { enum: ["revoked", "suspended", "reinstated"] }).notNull(),
    reason: text("reason").notNull(),
    effectiveAt: ms("effective_at").notNull(),
    actorUserId: text("actor_user_id").references(() => users.id),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("certificate_status_events_cert_idx").on(t.certificateId)],
);
