-- Schema 7: the radiologist's measurements and the RECIST 1.1 lesions they follow (issue 5).
-- Geometry is stored in patient coordinates (LPS, mm), never in pixels: a measurement keeps its meaning in every view
-- and after resampling. Every change is in the audit log with before/after JSON.

-- A lesion keeps its identity (and its SR tracking UID) from baseline to the last follow-up.
CREATE TABLE lesions (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    location     TEXT NOT NULL DEFAULT '',  -- organ or site, as the clinic says it
    category     TEXT NOT NULL CHECK (category IN ('target', 'non-target', 'new')),
    nodal        INTEGER NOT NULL DEFAULT 0 CHECK (nodal IN (0, 1)),
    tracking_uid TEXT NOT NULL UNIQUE,
    reviewer     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (case_id, name)
);

CREATE TABLE measurements (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    lesion_id           INTEGER REFERENCES lesions(id) ON DELETE SET NULL,
    kind                TEXT NOT NULL
                        CHECK (kind IN ('line', 'angle', 'ellipse', 'polygon', 'bidirectional', 'arrow')),
    points              TEXT NOT NULL,  -- JSON [[x,y,z],…], LPS mm, shortest decimal that round-trips
    -- The plane drawn on: origin + u·row + v·column (unit, perpendicular), LPS.
    plane_origin_x      REAL NOT NULL,
    plane_origin_y      REAL NOT NULL,
    plane_origin_z      REAL NOT NULL,
    plane_row_x         REAL NOT NULL,
    plane_row_y         REAL NOT NULL,
    plane_row_z         REAL NOT NULL,
    plane_column_x      REAL NOT NULL,
    plane_column_y      REAL NOT NULL,
    plane_column_z      REAL NOT NULL,
    series_instance_uid TEXT NOT NULL,  -- the time point is the StudyDate of this series in imaging_series
    sop_instance_uid    TEXT NOT NULL DEFAULT '',  -- nearest source image on an acquired slice, else ''
    frame_number        INTEGER NOT NULL DEFAULT 0,
    label               TEXT NOT NULL DEFAULT '',
    tracking_uid        TEXT NOT NULL UNIQUE,
    reviewer            TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX measurements_by_case ON measurements(case_id);
CREATE INDEX measurements_by_lesion ON measurements(lesion_id);

-- What was recorded of a lesion at a time point when there is nothing to measure: too small (5 mm), disappeared
-- (0 mm), a non-target present or unequivocally progressing, not evaluated. One per lesion and time point.
CREATE TABLE lesion_observations (
    id         INTEGER PRIMARY KEY,
    lesion_id  INTEGER NOT NULL REFERENCES lesions(id) ON DELETE CASCADE,
    time_point TEXT NOT NULL CHECK (length(time_point) = 8),  -- study date YYYYMMDD
    state      TEXT NOT NULL CHECK (state IN ('too-small', 'disappeared', 'present', 'progression', 'not-evaluated')),
    note       TEXT NOT NULL DEFAULT '',
    reviewer   TEXT NOT NULL,
    at         TEXT NOT NULL,
    UNIQUE (lesion_id, time_point)
);
