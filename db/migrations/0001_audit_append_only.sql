CREATE INDEX `audit_log_subject_id_idx` ON `audit_log` (`subject_id`);--> statement-breakpoint
-- The audit log is append-only (docs/decisions/0011-access-matrix-and-append-only-audit.md): no code path updates or
-- deletes its rows, and these triggers make the database itself refuse, whoever the client is (app, CLI, sqlite3).
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;
