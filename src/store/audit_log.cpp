#include "store/audit_log.h"

namespace consilium::store {

std::string Actor::display() const
{
    if (!role)
        return name;
    std::string r(model::displayName(*role));
    for (auto& c : r)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return name + " (" + r + ")";
}

void AuditLog::append(const Actor& actor, std::optional<std::int64_t> caseId, std::string_view action,
                      std::string_view entity, std::string_view before, std::string_view after)
{
    db_.prepare("INSERT INTO audit_log (at, actor, case_id, action, entity, before, after) VALUES (?,?,?,?,?,?,?)")
        .bind(1, utcNow())
        .bind(2, actor.display())
        .bind(3, caseId)
        .bind(4, action)
        .bind(5, entity)
        .bind(6, before)
        .bind(7, after)
        .run();
}

std::vector<model::AuditEntry> AuditLog::forCase(std::int64_t caseId)
{
    auto s = db_.prepare(
        "SELECT id, at, actor, case_id, action, entity, before, after FROM audit_log "
        "WHERE case_id = ? ORDER BY id");
    s.bind(1, caseId);
    std::vector<model::AuditEntry> out;
    while (s.step())
        out.push_back(
            {s.integer(0), s.text(1), s.text(2), s.optionalInteger(3), s.text(4), s.text(5), s.text(6), s.text(7)});
    return out;
}

}  // namespace consilium::store
