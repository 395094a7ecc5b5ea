#pragma once
// Who did what to which case, with the state before and after: written in the same transaction as the change.
// The log is a hash chain (db/0009_audit_chain.sql): every row holds the SHA-256 of the row before it and of its own
// canonical content, and triggers refuse updates and deletes, so an edit made behind Consilium's back is found by
// `verify`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/case.h"
#include "store/database.h"

namespace consilium::store {

// The person (or the CLI) acting: recorded with every change.
struct Actor {
    std::string name;
    std::optional<model::Role> role;
    std::string display() const;  // "Dr A. Rossi (board chair)", "cli:root"
};

// What `AuditLog::verify` found: intact, or the first row that breaks the chain and why.
struct AuditVerification {
    bool intact = true;
    std::int64_t rowsChecked = 0;
    std::optional<std::int64_t> brokenRow;  // the id of the first broken row
    std::string reason;                     // why that row is broken
    std::string lastHash;                   // the hash of the last row checked (note it to detect a truncated log)
};

class AuditLog {
public:
    explicit AuditLog(Database& db) : db_(db) {}
    // Adds a row chained to the last one. Inside the caller's transaction (BEGIN IMMEDIATE: the write lock is held, so
    // two connections cannot chain to the same row); without one it opens its own.
    void append(const Actor& actor, std::optional<std::int64_t> caseId, std::string_view action,
                std::string_view entity, std::string_view before, std::string_view after);
    std::vector<model::AuditEntry> forCase(std::int64_t caseId);
    // Checks the rows of one case (each row's own hash, and its link to the row before it in the whole log) or,
    // without a case, the whole log from its first row.
    AuditVerification verify(std::optional<std::int64_t> caseId = std::nullopt);

private:
    Database& db_;
};

// The canonical content of an audit row, as hashed: every field length-prefixed ("<bytes>:<text>;", NULL as "-;"),
// in the order id, at, actor, case_id, action, entity, before, after, prev_hash. Length prefixes make the encoding
// unambiguous whatever the fields contain.
std::string canonicalAuditRow(const model::AuditEntry& row, std::string_view prevHash);
// prev_hash of the first row of the log.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Post-migration step of db/0009_audit_chain.sql (called by Database::migrate, inside its transaction): hashes, in id
// order, the rows written before the chain existed.
void sealUnhashedAuditRows(Database& db);

}  // namespace consilium::store
