#pragma once
// Who did what to which case, with the state before and after: written in the same transaction as the change.
#include <optional>
#include <string>
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

class AuditLog {
public:
    explicit AuditLog(Database& db) : db_(db) {}
    void append(const Actor& actor, std::optional<std::int64_t> caseId, std::string_view action,
                std::string_view entity, std::string_view before, std::string_view after);
    std::vector<model::AuditEntry> forCase(std::int64_t caseId);

private:
    Database& db_;
};

}  // namespace consilium::store
