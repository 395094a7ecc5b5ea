-- Tamper-evident audit log (issue 9). Each row carries the SHA-256 of the row before it (prev_hash) and of its own
-- canonical content (row_hash), so an edit, an insertion or a removal anywhere breaks the chain at that row.
-- The canonical serialization and the hashing live in src/store/audit_log.cpp (SQLite has no SHA-256): the rows
-- written before this migration are hashed there, right after this file runs, in the same transaction
-- (Database::migrate, post-migration step 9).
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN row_hash TEXT;

-- Append-only. A row is sealed once it has its hash; the only update ever allowed is the one-time sealing of a row
-- written before this migration. Nothing is ever deleted.
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
WHEN OLD.row_hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be changed');
END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be removed');
END;

-- audit_log.case_id is ON DELETE SET NULL: deleting a case would rewrite its audit rows (and so break their hashes).
-- Consilium never deletes a case (a referral is closed, not removed); say so plainly instead of failing in the
-- audit trigger.
CREATE TRIGGER cases_never_deleted BEFORE DELETE ON cases
BEGIN
    SELECT RAISE(ABORT, 'cases are never deleted: the audit log keeps their history');
END;
