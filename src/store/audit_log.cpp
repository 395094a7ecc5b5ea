#include "store/audit_log.h"

#include <sqlite3.h>

#include <cctype>
#include <utility>

#include "model/sha256.h"

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

namespace {

void addField(std::string& out, std::string_view value)
{
    out += std::to_string(value.size());
    out += ':';
    out += value;
    out += ';';
}

std::string rowHash(const model::AuditEntry& row, std::string_view prevHash)
{
    return model::sha256Hex(canonicalAuditRow(row, prevHash));
}

// The hash the next row chains to: the last row's, or the genesis value for an empty log.
std::string lastRowHash(Database& db, std::optional<std::int64_t> before = std::nullopt)
{
    auto s = before ? db.prepare("SELECT row_hash FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1")
                    : db.prepare("SELECT row_hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (before)
        s.bind(1, *before);
    if (!s.step())
        return std::string(kAuditGenesisHash);
    return s.text(0);  // NULL (an unsealed row) reads as "", which never matches a hash
}

constexpr const char* kRowColumns = "id, at, actor, case_id, action, entity, before, after, prev_hash, row_hash";

model::AuditEntry entryFrom(const Statement& s)
{
    return {s.integer(0), s.text(1), s.text(2), s.optionalInteger(3), s.text(4), s.text(5), s.text(6), s.text(7)};
}

}  // namespace

std::string canonicalAuditRow(const model::AuditEntry& row, std::string_view prevHash)
{
    std::string out;
    addField(out, std::to_string(row.id));
    addField(out, row.at);
    addField(out, row.actor);
    if (row.caseId)
        addField(out, std::to_string(*row.caseId));
    else
        out += "-;";
    addField(out, row.action);
    addField(out, row.entity);
    addField(out, row.before);
    addField(out, row.after);
    addField(out, prevHash);
    return out;
}

void AuditLog::append(const Actor& actor, std::optional<std::int64_t> caseId, std::string_view action,
                      std::string_view entity, std::string_view before, std::string_view after)
{
    // Reading the last row and inserting the next must not interleave with another connection's append: the
    // caller's BEGIN IMMEDIATE transaction holds the write lock; without one, this call takes it itself.
    std::optional<Transaction> own;
    if (sqlite3_get_autocommit(db_.handle()))
        own.emplace(db_);
    auto last = db_.prepare("SELECT coalesce(max(id), 0) FROM audit_log");
    last.step();
    model::AuditEntry row{
        last.integer(0) + 1, utcNow(),          actor.display(), caseId, std::string(action), std::string(entity),
        std::string(before), std::string(after)};
    const std::string prev = lastRowHash(db_);
    db_.prepare(
           "INSERT INTO audit_log (id, at, actor, case_id, action, entity, before, after, prev_hash, row_hash) "
           "VALUES (?,?,?,?,?,?,?,?,?,?)")
        .bind(1, row.id)
        .bind(2, row.at)
        .bind(3, row.actor)
        .bind(4, row.caseId)
        .bind(5, row.action)
        .bind(6, row.entity)
        .bind(7, row.before)
        .bind(8, row.after)
        .bind(9, prev)
        .bind(10, rowHash(row, prev))
        .run();
    if (own)
        own->commit();
}

std::vector<model::AuditEntry> AuditLog::forCase(std::int64_t caseId)
{
    auto s = db_.prepare(
        "SELECT id, at, actor, case_id, action, entity, before, after FROM audit_log "
        "WHERE case_id = ? ORDER BY id");
    s.bind(1, caseId);
    std::vector<model::AuditEntry> out;
    while (s.step())
        out.push_back(entryFrom(s));
    return out;
}

AuditVerification AuditLog::verify(std::optional<std::int64_t> caseId)
{
    AuditVerification result;
    auto s = caseId
                 ? db_.prepare(std::string("SELECT ") + kRowColumns + " FROM audit_log WHERE case_id = ? ORDER BY id")
                 : db_.prepare(std::string("SELECT ") + kRowColumns + " FROM audit_log ORDER BY id");
    if (caseId)
        s.bind(1, *caseId);
    // Whole log: the previous row is the one just read. One case: the previous row in the whole log, looked up.
    std::string previous(kAuditGenesisHash);
    auto broken = [&](std::int64_t id, std::string reason) {
        result.intact = false;
        result.brokenRow = id;
        result.reason = std::move(reason);
        return result;
    };
    while (s.step()) {
        const model::AuditEntry row = entryFrom(s);
        const std::optional<std::string> prevHash = s.optionalText(8), ownHash = s.optionalText(9);
        if (caseId)
            previous = lastRowHash(db_, row.id);
        if (!prevHash || !ownHash)
            return broken(row.id, "the row has no hash (written without the chain)");
        if (*prevHash != previous)
            return broken(row.id,
                          "it does not chain to the row before it (that row was changed or removed, or this "
                          "one was inserted)");
        if (rowHash(row, *prevHash) != *ownHash)
            return broken(row.id, "its content does not match its hash (changed after it was written)");
        previous = *ownHash;
        result.lastHash = *ownHash;
        ++result.rowsChecked;
    }
    return result;
}

void sealUnhashedAuditRows(Database& db)
{
    // Read first, then seal: SQLite leaves undefined whether a running SELECT sees the same table's updates.
    std::vector<std::pair<model::AuditEntry, std::optional<std::string>>> rows;
    auto s = db.prepare(std::string("SELECT ") + kRowColumns + " FROM audit_log ORDER BY id");
    while (s.step())
        rows.emplace_back(entryFrom(s), s.optionalText(9));
    auto seal = db.prepare("UPDATE audit_log SET prev_hash = ?, row_hash = ? WHERE id = ?");
    std::string previous(kAuditGenesisHash);
    for (const auto& [row, own] : rows) {
        if (own) {  // already sealed: the chain continues from it
            previous = *own;
            continue;
        }
        const std::string hash = rowHash(row, previous);
        seal.bind(1, previous).bind(2, hash).bind(3, row.id);
        seal.run();
        seal.reset();
        previous = hash;
    }
}

}  // namespace consilium::store
