-- Schema 2: the DICOM index. Every instance of a case, with what a viewer needs to assemble its series
-- without reopening files; the file itself is copied into the case folder under its SHA-256.

CREATE TABLE imaging_series (
    id                     INTEGER PRIMARY KEY,
    case_id                INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    study_instance_uid     TEXT NOT NULL,
    study_date             TEXT NOT NULL DEFAULT '',
    study_description      TEXT NOT NULL DEFAULT '',
    series_instance_uid    TEXT NOT NULL,
    series_number          INTEGER NOT NULL DEFAULT 0,
    modality               TEXT NOT NULL DEFAULT '',
    series_description     TEXT NOT NULL DEFAULT '',
    frame_of_reference_uid TEXT NOT NULL DEFAULT '',
    patient_name           TEXT NOT NULL DEFAULT '',
    patient_id             TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, series_instance_uid)
);

CREATE TABLE imaging_instances (
    id                  INTEGER PRIMARY KEY,
    series_id           INTEGER NOT NULL REFERENCES imaging_series(id) ON DELETE CASCADE,
    sop_instance_uid    TEXT NOT NULL,
    sop_class_uid       TEXT NOT NULL DEFAULT '',
    instance_number     INTEGER NOT NULL DEFAULT 0,
    transfer_syntax_uid TEXT NOT NULL DEFAULT '',
    rows                INTEGER NOT NULL DEFAULT 0,
    columns             INTEGER NOT NULL DEFAULT 0,
    number_of_frames    INTEGER NOT NULL DEFAULT 1,
    pixel_spacing_row   REAL,
    pixel_spacing_col   REAL,
    slice_thickness     REAL,
    position_x          REAL,
    position_y          REAL,
    position_z          REAL,
    orientation         TEXT NOT NULL DEFAULT '',  -- six cosines, backslash-separated as in DICOM
    sha256              TEXT NOT NULL,
    size_bytes          INTEGER NOT NULL,
    stored_path         TEXT NOT NULL,
    UNIQUE (series_id, sop_instance_uid)
);
