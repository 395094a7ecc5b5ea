-- Schema 3: whole-slide images of a case, with the facts OpenSlide reported when they were attached.

CREATE TABLE slides (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    title           TEXT NOT NULL DEFAULT '',
    original_name   TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    stored_path     TEXT NOT NULL,
    vendor          TEXT NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    levels          TEXT NOT NULL,  -- "WIDTHxHEIGHT@DOWNSAMPLE" per level, separated by ";"
    mpp_x           REAL,           -- NULL: uncalibrated, never guessed
    mpp_y           REAL,
    objective_power REAL,
    associated      TEXT NOT NULL DEFAULT '',  -- comma-separated associated image names
    quickhash       TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, sha256)
);
