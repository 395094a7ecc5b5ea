#pragma once
// Importing DICOM into a case: read each header, copy the file into the case folder under its SHA-256, index it.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::imaging {

struct ImportReport {
    int imported = 0;                          // instances new to the case
    int alreadyPresent = 0;                    // the same instance imported before: nothing changed
    int skippedNotDicom = 0;                   // files that are not DICOM at all (a README, a viewer on the CD)
    std::vector<std::string> problems;         // "<file>: <reason>" for each DICOM file that could not be read
    std::vector<std::string> patientMismatch;  // series flagged: "<description> (<modality>): <why>"
    bool cancelled = false;
};

// True when the file starts like DICOM: the "DICM" preamble, or a bare dataset beginning with a group 0002 or 0008
// element. Cheap (reads 132 bytes): lets an import count non-DICOM files apart from broken DICOM ones.
bool looksLikeDicom(const std::filesystem::path& file);

// Imports into the case. `progress(done, total)` is called after each file; returning false cancels, and what was
// read until then is still indexed. A broken file is reported, never fatal; importing the same files again
// changes nothing. Series whose patient differs from the case's are indexed but flagged for confirmation.
ImportReport importDicomFiles(store::Database& db, std::int64_t caseId, const std::vector<std::filesystem::path>& paths,
                              const store::Actor& actor, const std::function<bool(int done, int total)>& progress = {});

}  // namespace consilium::imaging
