-- Schema 6: the written review. Each reviewer's structured findings, the Markdown sections of the document, the
-- key images it shows, and the finalized versions. Who may write what (pathologist, radiologist, board chair) is
-- enforced by ReviewRepository; a finalized version is locked here, by triggers, against plain SQL as well.

-- How long the review should be, in pages: the compile warns outside these bounds.
INSERT INTO settings (key, value) VALUES ('review_min_pages', '5'), ('review_max_pages', '8');

-- One row per case and section; `section` is the fixed key of the document's order (model/review.h).
CREATE TABLE review_sections (
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    section    TEXT NOT NULL CHECK (section IN ('pathology', 'radiology', 'pathway', 'trials', 'answer',
                                                'treatment-location', 'limitations', 'video-consultation')),
    body_md    TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready')),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, section)
);

-- The pathologist's re-review. Agreement with the referring centre: '' (not stated), 'agree' or 'disagree'.
CREATE TABLE pathology_findings (
    case_id              INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    diagnosis            TEXT NOT NULL DEFAULT '',
    histologic_type      TEXT NOT NULL DEFAULT '',
    grade                TEXT NOT NULL DEFAULT '',
    pt                   TEXT NOT NULL DEFAULT '',
    pn                   TEXT NOT NULL DEFAULT '',
    stage_agreement      TEXT NOT NULL DEFAULT '' CHECK (stage_agreement IN ('', 'agree', 'disagree')),
    grade_agreement      TEXT NOT NULL DEFAULT '' CHECK (grade_agreement IN ('', 'agree', 'disagree')),
    agreement_reasoning  TEXT NOT NULL DEFAULT '',
    margins              TEXT NOT NULL DEFAULT '',
    biomarkers           TEXT NOT NULL DEFAULT '',  -- IHC and molecular interpretation
    -- A disagreement always carries its reasoning.
    CHECK ((stage_agreement <> 'disagree' AND grade_agreement <> 'disagree') OR length(trim(agreement_reasoning)) > 0)
);

-- The radiologist's clinical stage and its agreement with the referring stage; the re-read per study below.
CREATE TABLE radiology_findings (
    case_id             INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    ct                  TEXT NOT NULL DEFAULT '',
    cn                  TEXT NOT NULL DEFAULT '',
    cm                  TEXT NOT NULL DEFAULT '',
    stage_agreement     TEXT NOT NULL DEFAULT '' CHECK (stage_agreement IN ('', 'agree', 'disagree')),
    agreement_reasoning TEXT NOT NULL DEFAULT '',
    CHECK (stage_agreement <> 'disagree' OR length(trim(agreement_reasoning)) > 0)
);

CREATE TABLE radiology_study_findings (
    id                 INTEGER PRIMARY KEY,
    case_id            INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    study_instance_uid TEXT NOT NULL DEFAULT '',
    study_date         TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    study              TEXT NOT NULL CHECK (length(trim(study)) > 0),  -- "FDG PET/CT skull base to mid-thigh"
    findings           TEXT NOT NULL DEFAULT '',
    position           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX radiology_study_findings_case ON radiology_study_findings(case_id, position);

-- The board chair's recommendation; video_advised NULL = not decided yet.
CREATE TABLE chair_findings (
    case_id       INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    intent        TEXT NOT NULL DEFAULT '',  -- "curative", "palliative"
    sequence      TEXT NOT NULL DEFAULT '',  -- "concurrent chemoradiation, then consolidation osimertinib"
    alternatives  TEXT NOT NULL DEFAULT '',
    video_advised INTEGER CHECK (video_advised IS NULL OR video_advised IN (0, 1))
);

CREATE TABLE trial_options (
    id                 INTEGER PRIMARY KEY,
    case_id            INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    registry_id        TEXT NOT NULL CHECK (length(trim(registry_id)) > 0),  -- NCT…, ChiCTR…, EudraCT…
    title              TEXT NOT NULL CHECK (length(trim(title)) > 0),
    phase              TEXT NOT NULL DEFAULT '',
    site               TEXT NOT NULL DEFAULT '',
    open_only_in_china INTEGER NOT NULL DEFAULT 0 CHECK (open_only_in_china IN (0, 1)),
    key_eligibility    TEXT NOT NULL DEFAULT '',
    position           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX trial_options_case ON trial_options(case_id, position);

-- Images the review shows (from the radiology and pathology viewers): a PNG in the case folder or as a blob.
CREATE TABLE key_images (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    png_path    TEXT,  -- relative to the case library root
    png         BLOB,
    caption     TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',  -- "CT series 2, slice 64, lung window" / "slide A1, region 1200,800 ×20"
    position    INTEGER NOT NULL DEFAULT 0,
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    CHECK (png_path IS NOT NULL OR png IS NOT NULL)
);
CREATE INDEX key_images_case ON key_images(case_id, position);

-- Finalized versions of the review: the signed PDF as stored in the case folder. Version 1 is the review, each
-- later one an amendment with its reason. Rows are never changed nor removed.
CREATE TABLE review_versions (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases(id),
    version          INTEGER NOT NULL CHECK (version >= 1),
    pdf_sha256       TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
    stored_path      TEXT NOT NULL,
    pages            INTEGER NOT NULL,
    finalized_by     TEXT NOT NULL,
    finalized_at     TEXT NOT NULL,
    amendment_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, version),
    CHECK (version = 1 OR length(trim(amendment_reason)) > 0)
);

CREATE TRIGGER review_versions_locked_update BEFORE UPDATE ON review_versions
BEGIN
    SELECT RAISE(ABORT, 'a finalized review version is locked: amend the review to make a new version');
END;

CREATE TRIGGER review_versions_locked_delete BEFORE DELETE ON review_versions
BEGIN
    SELECT RAISE(ABORT, 'a finalized review version is locked: amend the review to make a new version');
END;
