#pragma once
// Reviewer overrides of a PET series' SUV inputs: stored per series, audited with before and after.
#include <optional>
#include <string>

#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::store {

// As entered: date-times stay DICOM DT text ("20261027091200") so that what the reviewer typed is what is kept.
struct SuvOverride {
    std::optional<double> weightKg;
    std::optional<double> injectedDoseBq;
    std::optional<std::string> injectionDateTime;
    std::optional<std::string> scanDateTime;
    std::string reason;
    std::string reviewer;  // filled from the actor
    std::string at;
};

class SuvOverrideRepository {
public:
    explicit SuvOverrideRepository(Database& db) : db_(db) {}
    // Validates (a reason, positive values, parseable DT) and replaces the series' override.
    void set(std::int64_t caseId, const std::string& seriesInstanceUid, SuvOverride override, const Actor& actor);
    std::optional<SuvOverride> find(std::int64_t caseId, const std::string& seriesInstanceUid);
    void clear(std::int64_t caseId, const std::string& seriesInstanceUid, const Actor& actor);

private:
    Database& db_;
};

std::string toJson(const SuvOverride& o);

}  // namespace consilium::store
