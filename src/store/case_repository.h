#pragma once
// Cases, their patients and treatment histories. Every change is audited in the same transaction.
#include <optional>
#include <string>
#include <vector>

#include "model/case.h"
#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::store {

class CaseRepository {
public:
    explicit CaseRepository(Database& db) : db_(db) {}

    // Validates the intake (patient name, question, dates), assigns the reference "SO-<year>-<NNNN>" and the due
    // date (received + the configured number of business days). Throws UsageError for invalid intake.
    model::Case create(const model::CaseIntake& intake, const Actor& actor);
    // Newest first; `search` matches reference, patient name, diagnosis or institution (substring, any script).
    std::vector<model::Case> list(std::string_view search = {});
    model::Case get(std::int64_t id);
    // Accepts the numeric id or the reference ("SO-2026-0001"); throws Error when there is no such case.
    model::Case find(std::string_view idOrReference);
    void setStatus(std::int64_t caseId, model::CaseStatus status, const Actor& actor);

    std::vector<model::TreatmentLine> treatmentHistory(std::int64_t caseId);
    model::TreatmentLine addTreatmentLine(model::TreatmentLine line, const Actor& actor);
    void updateTreatmentLine(const model::TreatmentLine& line, const Actor& actor);
    void removeTreatmentLine(std::int64_t lineId, const Actor& actor);

    int turnaroundBusinessDays();
    void setTurnaroundBusinessDays(int days, const Actor& actor);

private:
    std::optional<model::TreatmentLine> treatmentLine(std::int64_t id);
    Database& db_;
};

std::string toJson(const model::Case& c);
std::string toJson(const model::TreatmentLine& line);

}  // namespace consilium::store
