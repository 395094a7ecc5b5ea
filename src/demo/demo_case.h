#pragma once
// The built-in demo case, generated entirely by Consilium's own code: a patient with stage III lung
// adenocarcinoma referred from abroad, with PET/CT and MR as DICOM, a core-biopsy slide, letters and an NGS report.
#include <filesystem>
#include <iosfwd>
#include <optional>

#include "model/case.h"
#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::demo {

inline constexpr const char* kDemoPatientIdentifier = "ALM-ONC-2026-04412";

// Writes the referring side's package into `referralDir` (DICOM, slide, PDFs), then registers the case and imports
// everything into the database as a user would. Progress lines go to `progress`.
model::Case createDemoCase(store::Database& db, const std::filesystem::path& referralDir, const store::Actor& actor,
                           std::ostream& progress);
std::optional<model::Case> findDemoCase(store::Database& db);

}  // namespace consilium::demo
