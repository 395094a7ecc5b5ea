-- Schema 8: a pathologist's annotations on whole-slide images (issue 7): points, rulers, rectangles, ellipses,
-- polygons and freehand outlines in level-0 pixels, each with a class of the library and a label.

-- The classes of this library (tumour, stroma, …): a name and a display colour, renamed and recoloured in place.
CREATE TABLE annotation_classes (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    colour INTEGER NOT NULL CHECK (colour BETWEEN 0 AND 16777215)  -- 0xRRGGBB
);
-- model::defaultAnnotationClasses() names the same (a test keeps the two in step).
INSERT INTO annotation_classes (name, colour) VALUES
    ('Tumour', 13107200),       -- 0xC80000, QuPath's Tumor
    ('Stroma', 9881750),        -- 0x96C896
    ('Necrosis', 3289650),      -- 0x323232
    ('Margin', 41184),          -- 0x00A0E0
    ('Immune cells', 10508960), -- 0xA05AA0
    ('Mitosis', 16711935),      -- 0xFF00FF
    ('Region', 180),            -- 0x0000B4
    ('Ignore', 11842740),       -- 0xB4B4B4
    ('Other', 16762880);        -- 0xFFC800

-- AUTOINCREMENT: an id is never handed out twice, so undoing a delete can put the annotation back under its own id.
CREATE TABLE annotations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slide_id   INTEGER NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
    -- No CHECK on shape and points: the repository (the only writer) validates both with model::validate, and the
    -- two CHECKs cost more than the insert itself (measured: 100,000 rows 0.30 s without, 0.55 s with).
    shape      TEXT NOT NULL,  -- 'point', 'ruler', 'rectangle', 'ellipse', 'polygon', 'freehand'
    -- x, y pairs as little-endian IEEE 754 doubles (16 bytes a point): a freehand outline of 500 points is 8 kB and
    -- reads back bit-exact with one memcpy, where JSON text would be 2–3 times larger and need parsing.
    points     BLOB NOT NULL,
    class_id   INTEGER REFERENCES annotation_classes(id),  -- NULL: unclassified
    label      TEXT NOT NULL DEFAULT '',
    author     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX annotations_by_slide ON annotations(slide_id);

-- The bounding box of each annotation in level-0 pixels, with the slide as a third dimension, so that a viewport
-- query on one slide never walks another slide's boxes. The slide is a slab [id − 0.25, id + 0.25], not a plane:
-- R*Tree chooses where to insert by volume, and a zero-thickness dimension makes every volume zero and the tree a
-- heap (measured: 6.6 ms instead of 0.06 ms a query over 100,000 boxes). R*Tree stores 32-bit floats rounded
-- outwards (slide ids stay exact below 2²²), so a hit is a candidate: the repository checks the exact box. The
-- repository writes the box with the annotation; the trigger removes it however the annotation goes (deleted, or its
-- slide deleted).
CREATE VIRTUAL TABLE annotation_boxes USING rtree(id, min_slide, max_slide, min_x, max_x, min_y, max_y);
CREATE TRIGGER annotation_boxes_follow_delete AFTER DELETE ON annotations
BEGIN
    DELETE FROM annotation_boxes WHERE id = old.id;
END;
