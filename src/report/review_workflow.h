#pragma once
// The review of a case in the database, end to end: gather what the reviewers wrote into a ReviewDocument, compile
// it, finalize it (the chair signs; the PDF is stored in the case folder, hashed and locked), export it as DICOM.
#include <filesystem>
#include <string>
#include <vector>

#include "model/review.h"
#include "report/review_document.h"
#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::report {

// The page bounds from the settings (review_min_pages, review_max_pages; 5 and 8 unless changed).
PageBounds reviewPageBounds(store::Database& db);

// Everything the review shows for a case, as a draft (version 0). `tables` come from the caller (measurements).
ReviewDocument gatherReview(store::Database& db, std::int64_t caseId, const std::vector<ReviewTable>& tables = {});

CompileResult compileCaseReview(store::Database& db, std::int64_t caseId, const std::filesystem::path& out,
                                const CompileOptions& options, const std::vector<ReviewTable>& tables = {});

struct FinalizedReview {
    model::ReviewVersion version;
    CompileResult compile;
    std::filesystem::path pdf;  // absolute path of the stored, locked PDF
};

// The board chair signs: refused (naming the reason) unless every section is ready; a second call is an amendment
// and needs `amendmentReason`. The PDF goes into cases/<reference>/review/<sha256>.pdf; the version row, the case
// status and the audit entries are written in one transaction.
FinalizedReview finalizeReview(store::Database& db, std::int64_t caseId, const store::Actor& actor,
                               const std::string& amendmentReason, const CompileOptions& options,
                               const std::vector<ReviewTable>& tables = {});

// The latest finalized version as a DICOM Encapsulated PDF with the case's patient and (when imaging was imported)
// study identity. Throws Error when the review has not been finalized. Audited as an export.
model::ReviewVersion exportReviewDicom(store::Database& db, std::int64_t caseId, const std::filesystem::path& out,
                                       const store::Actor& actor);

}  // namespace consilium::report
