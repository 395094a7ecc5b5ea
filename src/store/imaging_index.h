#pragma once
// The DICOM index of a case: series and their instances, as read from headers at import.
#include <vector>

#include "model/case.h"
#include "model/imaging.h"
#include "store/audit_log.h"
#include "store/case_files.h"
#include "store/database.h"

namespace consilium::store {

struct IndexedInstance {
    model::DicomInstance header;
    StoredFile file;
};

class ImagingIndex {
public:
    explicit ImagingIndex(Database& db) : db_(db) {}
    // Adds the instances in one transaction; an instance already indexed (same series and SOP instance UID) is
    // left as it is. Returns how many were new.
    int add(std::int64_t caseId, const std::vector<IndexedInstance>& instances, const Actor& actor);
    std::vector<model::SeriesSummary> series(std::int64_t caseId);
    // A user states that a series flagged as another patient's does belong to the case.
    void confirmPatient(std::int64_t caseId, const std::string& seriesInstanceUid, const Actor& actor);
    // The series' row id in this case; throws Error when the case has no such series.
    std::int64_t seriesIdOf(std::int64_t caseId, const std::string& seriesInstanceUid);
    // Stored paths (relative to the library root) of a series' instances, in instance-number order.
    std::vector<std::string> instancePaths(std::int64_t seriesId);

private:
    std::int64_t seriesId(std::int64_t caseId, const model::Patient& casePatient, const model::DicomInstance& header);
    Database& db_;
};

}  // namespace consilium::store
