#pragma once
// A pathologist's annotations on the slides of the library, and the library's annotation classes.
// Boxes are indexed by an R*Tree (db/0008_annotations.sql), so what a view draws comes from a viewport query that
// costs the same on a slide with 100 annotations or 1,000,000. Every change is audited in its own transaction.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/annotation.h"
#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::store {

class AnnotationRepository {
public:
    explicit AnnotationRepository(Database& db) : db_(db) {}

    // Validates (model::validate), stores and returns the annotation with its id and timestamps; its class must be
    // one of the library's (matched as model::sameAnnotationClass does; stored under the library's spelling).
    // Id 0 gets a new id. A non-zero id puts back an annotation that was removed (the GUI's undo of a delete): it
    // keeps that id and its createdAt, and is refused when the id is in use. Ids are never reused otherwise.
    model::Annotation add(model::Annotation annotation, const Actor& actor);

    // Many annotations on one slide in one transaction (an import), all or none: the first invalid one is refused
    // with its position before anything is written. Classes the library lacks are created, with the colour of the
    // same-named entry in `fileClasses` when there is one. Returns the id of each annotation, in the order given; the
    // rows are stored in spatial order (ids follow a Hilbert curve over the slide, not the file), so that what a view
    // shows lies on few pages.
    // The audit log gets one entry for the whole import (how many, by class, from where), not one per annotation:
    // 100,000 entries with their geometry would double the database and the import time while saying no more than
    // the annotations themselves, which keep their author and time.
    std::vector<std::int64_t> addAll(std::int64_t slideId, std::vector<model::Annotation> annotations,
                                     const Actor& actor, const std::vector<model::AnnotationClass>& fileClasses = {},
                                     std::string_view source = "");

    // Replaces shape, points, class and label (not slide, author or createdAt); audited with before and after.
    model::Annotation update(const model::Annotation& annotation, const Actor& actor);
    // Audited with the whole annotation as `before`, so the audit alone could restore it.
    void remove(std::int64_t annotationId, const Actor& actor);

    std::optional<model::Annotation> find(std::int64_t annotationId);
    std::vector<model::Annotation> forSlide(std::int64_t slideId);  // in id order
    // Annotations of the slide whose bounding box intersects `view` (level-0 pixels; touching counts), in the order
    // the R*Tree yields them (roughly spatial). With limit > 0 it stops after `limit`: which ones is then arbitrary
    // and spatially clustered, so a view zoomed out that far should draw an overview instead of a subset.
    // 0.7 ms for ~420 hits among 1,000,000 annotations (docs/performance.md).
    std::vector<model::Annotation> inViewport(std::int64_t slideId, const model::PixelBounds& view,
                                              std::size_t limit = 0);
    // How many annotations of each class (key: class name, "" for unclassified) the slide has; only those whose box
    // intersects `within` when given, only of `shape` when given (the counting tool counts points).
    std::map<std::string, std::int64_t> countByClass(std::int64_t slideId,
                                                     const std::optional<model::PixelBounds>& within = std::nullopt,
                                                     std::optional<model::AnnotationShape> shape = std::nullopt);

    std::vector<model::AnnotationClass> classes();  // by name
    // Id 0 adds a class; otherwise renames and/or recolours it (its annotations follow). A name another class has
    // (in any letter case) is refused. Audited.
    model::AnnotationClass saveClass(model::AnnotationClass annotationClass, const Actor& actor);

private:
    Database& db_;
};

}  // namespace consilium::store
