#pragma once
// The SUV of a PET series of a case: inputs read from the stored files, with the reviewer's overrides applied.
#include <string>

#include "model/suv.h"
#include "store/database.h"

namespace consilium::imaging {

model::SuvResult caseSeriesSuv(store::Database& db, std::int64_t caseId, const std::string& seriesInstanceUid);

}  // namespace consilium::imaging
