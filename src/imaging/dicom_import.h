#pragma once
// Importing DICOM into a case: read each header, copy the file into the case folder under its SHA-256, index it.
#include <filesystem>
#include <string>
#include <vector>

#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::imaging {

struct ImportReport {
    int imported = 0;                   // instances new to the case
    int alreadyPresent = 0;             // the same instance imported before: nothing changed
    std::vector<std::string> problems;  // "<file>: <reason>" for each file that could not be read
};

// Imports the given files (folders are walked) into the case. A file that is not readable DICOM is reported, never
// fatal; what was read is committed in one transaction.
ImportReport importDicomFiles(store::Database& db, std::int64_t caseId, const std::vector<std::filesystem::path>& paths,
                              const store::Actor& actor);

}  // namespace consilium::imaging
