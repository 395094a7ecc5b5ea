#include "store/suv_override_repository.h"

#include "model/error.h"
#include "model/json.h"
#include "model/suv.h"

namespace consilium::store {

std::string toJson(const SuvOverride& o)
{
    return model::JsonObject()
        .add("weight_kg", o.weightKg)
        .add("injected_dose_bq", o.injectedDoseBq)
        .add("injection_datetime", o.injectionDateTime)
        .add("scan_datetime", o.scanDateTime)
        .add("reason", o.reason)
        .add("reviewer", o.reviewer)
        .add("at", o.at)
        .str();
}

namespace {

void validate(const SuvOverride& o)
{
    if (o.reason.find_first_not_of(" \t") == std::string::npos)
        throw UsageError("SUV override", "say why the header value is wrong (a reason is required)");
    if (!o.weightKg && !o.injectedDoseBq && !o.injectionDateTime && !o.scanDateTime)
        throw UsageError("SUV override", "nothing to override: give a weight, a dose or a time");
    if ((o.weightKg && *o.weightKg <= 0) || (o.injectedDoseBq && *o.injectedDoseBq <= 0))
        throw UsageError("SUV override", "weight and dose must be positive");
    for (const auto& dt : {o.injectionDateTime, o.scanDateTime})
        if (dt && !model::parseDicomDateTime(*dt))
            throw UsageError("SUV override", "'" + *dt + "' is not a DICOM date-time (YYYYMMDDHHMMSS)");
}

}  // namespace

void SuvOverrideRepository::set(std::int64_t caseId, const std::string& seriesUid, SuvOverride o, const Actor& actor)
{
    validate(o);
    o.reviewer = actor.display();
    o.at = utcNow();
    Transaction tx(db_);
    const auto before = find(caseId, seriesUid);
    db_.prepare(
           "INSERT INTO suv_overrides (case_id, series_instance_uid, weight_kg, injected_dose_bq, "
           "injection_datetime, scan_datetime, reason, reviewer, at) VALUES (?,?,?,?,?,?,?,?,?) "
           "ON CONFLICT(case_id, series_instance_uid) DO UPDATE SET weight_kg = excluded.weight_kg, "
           "injected_dose_bq = excluded.injected_dose_bq, injection_datetime = excluded.injection_datetime, "
           "scan_datetime = excluded.scan_datetime, reason = excluded.reason, reviewer = excluded.reviewer, "
           "at = excluded.at")
        .bind(1, caseId)
        .bind(2, seriesUid)
        .bind(3, o.weightKg)
        .bind(4, o.injectedDoseBq)
        .bind(5, o.injectionDateTime)
        .bind(6, o.scanDateTime)
        .bind(7, o.reason)
        .bind(8, o.reviewer)
        .bind(9, o.at)
        .run();
    AuditLog(db_).append(actor, caseId, "suv.override", "series:" + seriesUid, before ? toJson(*before) : "",
                         toJson(o));
    tx.commit();
}

std::optional<SuvOverride> SuvOverrideRepository::find(std::int64_t caseId, const std::string& seriesUid)
{
    auto s = db_.prepare(
        "SELECT weight_kg, injected_dose_bq, injection_datetime, scan_datetime, reason, reviewer, at "
        "FROM suv_overrides WHERE case_id = ? AND series_instance_uid = ?");
    s.bind(1, caseId).bind(2, seriesUid);
    if (!s.step())
        return std::nullopt;
    return SuvOverride{s.optionalReal(0), s.optionalReal(1), s.optionalText(2), s.optionalText(3),
                       s.text(4),         s.text(5),         s.text(6)};
}

void SuvOverrideRepository::clear(std::int64_t caseId, const std::string& seriesUid, const Actor& actor)
{
    Transaction tx(db_);
    const auto before = find(caseId, seriesUid);
    if (!before)
        return;
    db_.prepare("DELETE FROM suv_overrides WHERE case_id = ? AND series_instance_uid = ?")
        .bind(1, caseId)
        .bind(2, seriesUid)
        .run();
    AuditLog(db_).append(actor, caseId, "suv.override_cleared", "series:" + seriesUid, toJson(*before), "");
    tx.commit();
}

}  // namespace consilium::store
