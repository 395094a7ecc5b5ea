#pragma once
// Attaching a whole-slide image to a case: OpenSlide must read it, then it is copied in and its facts indexed.
#include <filesystem>
#include <string>

#include "model/slide.h"
#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::pathology {

// Throws consilium::Error(file, reason) when OpenSlide cannot read the file; nothing is copied or indexed then.
model::CaseSlide attachSlide(store::Database& db, std::int64_t caseId, const std::filesystem::path& file,
                             std::string title, const store::Actor& actor);

}  // namespace consilium::pathology
