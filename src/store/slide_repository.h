#pragma once
// Whole-slide images of a case with the facts OpenSlide reported when they were attached.
#include <vector>

#include "model/slide.h"
#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::store {

class SlideRepository {
public:
    explicit SlideRepository(Database& db) : db_(db) {}
    // `slide` carries the stored file (sha256, path) and its SlideInfo; the same file twice returns the existing row.
    model::CaseSlide add(model::CaseSlide slide, const Actor& actor);
    std::vector<model::CaseSlide> forCase(std::int64_t caseId);
    std::optional<model::CaseSlide> find(std::int64_t slideId);

private:
    Database& db_;
};

}  // namespace consilium::store
