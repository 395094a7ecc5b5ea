-- Schema 4: a series whose patient differs from the case's is flagged until a user confirms it belongs to the case
-- (never silently merged).
ALTER TABLE imaging_series ADD COLUMN patient_check TEXT NOT NULL DEFAULT 'match'
    CHECK (patient_check IN ('match', 'mismatch', 'confirmed'));
ALTER TABLE imaging_series ADD COLUMN patient_note TEXT NOT NULL DEFAULT '';
