#pragma once
// The imaging re-read's tables, from the case's measurements: RECIST 1.1 lesions over the time points with the sum
// of diameters, the changes and the response; and the regions measured (HU, or SUV with SUVmax and SUVpeak) with the
// SUV inputs under them. Built here, from the store and the volumes, so that the review document itself knows no
// imaging: it prints whatever tables it is given.
#include <cstdint>
#include <vector>

#include "report/review_document.h"
#include "store/database.h"

namespace consilium::report {

// Empty when the case has no measurements. A volume that cannot be loaded gives its rows the reason instead of values.
std::vector<ReviewTable> measurementTables(store::Database& db, std::int64_t caseId);

}  // namespace consilium::report
