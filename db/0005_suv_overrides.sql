-- Schema 5: a reviewer's corrections of the inputs of a PET series' SUV (weight, dose, times), with who and why.
-- One current override per series; every change is in the audit log.
CREATE TABLE suv_overrides (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    series_instance_uid TEXT NOT NULL,
    weight_kg           REAL CHECK (weight_kg IS NULL OR weight_kg > 0),
    injected_dose_bq    REAL CHECK (injected_dose_bq IS NULL OR injected_dose_bq > 0),
    injection_datetime  TEXT,  -- DICOM DT, scanner local time
    scan_datetime       TEXT,  -- DICOM DT, scanner local time
    reason              TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    reviewer            TEXT NOT NULL,
    at                  TEXT NOT NULL,
    UNIQUE (case_id, series_instance_uid)
);
