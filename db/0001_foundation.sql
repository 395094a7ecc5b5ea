-- Consilium schema 1: patients, second-opinion cases and their intake, treatment history, received documents,
-- reviewers, settings and the audit log. Dates are ISO 8601 text (YYYY-MM-DD), instants ISO 8601 UTC.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('turnaround_business_days', '10');

CREATE TABLE patients (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL CHECK (length(trim(name)) > 0),  -- UTF-8, any script, as referred
    birth_date           TEXT,
    sex                  TEXT NOT NULL DEFAULT '' CHECK (sex IN ('', 'F', 'M', 'O')),
    referring_identifier TEXT NOT NULL DEFAULT '',
    country              TEXT NOT NULL DEFAULT ''
);

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY,
    reference             TEXT NOT NULL UNIQUE,
    patient_id            INTEGER NOT NULL REFERENCES patients(id),
    referring_institution TEXT NOT NULL DEFAULT '',
    referring_oncologist  TEXT NOT NULL DEFAULT '',
    diagnosis_as_referred TEXT NOT NULL DEFAULT '',
    question              TEXT NOT NULL CHECK (length(trim(question)) > 0),
    received_on           TEXT NOT NULL,
    due_on                TEXT NOT NULL,
    service               TEXT NOT NULL CHECK (service IN ('written-review', 'written-review+video')),
    fee_quoted_usd        INTEGER CHECK (fee_quoted_usd IS NULL OR fee_quoted_usd >= 0),
    status                TEXT NOT NULL DEFAULT 'received'
                          CHECK (status IN ('received', 'in-review', 'ready-for-sign-off', 'finalized')),
    created_at            TEXT NOT NULL
);
CREATE INDEX cases_due ON cases(due_on);

CREATE TABLE treatment_lines (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('systemic', 'radiation', 'surgery')),
    regimen    TEXT NOT NULL DEFAULT '',
    dose       TEXT NOT NULL DEFAULT '',
    started_on TEXT,
    ended_on   TEXT,
    response   TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX treatment_lines_case ON treatment_lines(case_id, position);

-- Received documents, copied into the case's folder under their SHA-256: the same file twice is stored once.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL
                  CHECK (kind IN ('letter', 'genomic', 'pathology-report', 'treatment-history', 'other')),
    title         TEXT NOT NULL DEFAULT '',
    original_name TEXT NOT NULL,
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes    INTEGER NOT NULL,
    media_type    TEXT NOT NULL,
    stored_path   TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    UNIQUE (case_id, sha256)
);

CREATE TABLE reviewers (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role TEXT NOT NULL CHECK (role IN ('radiologist', 'pathologist', 'board-chair')),
    UNIQUE (name, role)
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    action  TEXT NOT NULL,
    entity  TEXT NOT NULL,
    before  TEXT NOT NULL DEFAULT '',
    after   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_case ON audit_log(case_id, id);
