#pragma once
// `consilium audit verify`, `backup`, `restore` and `deidentify`: the audit chain checked, the database copied while
// in use and put back (store/audit_log.h, store/backup.h), a DICOM object de-identified (imaging/deidentify.h).
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "store/database.h"

namespace consilium::cli {

// `audit verify [CASE] [--json]` (`args` follow the word "audit"): OK with the number of rows checked, or the first
// broken row and why; returns 1 when the chain is broken.
int auditCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out);

// `backup --out FILE` (`args` follow the word "backup").
int backupCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out);

// `restore FILE` (`args` follow the word "restore"): replaces `database` (which it opens itself, only once the backup
// has been checked) and says where the previous one was kept.
int restoreCommand(const std::filesystem::path& database, const std::vector<std::string>& args, std::ostream& out);

// `deidentify FILE --out FILE [--key TEXT]` (`args` follow the word "deidentify"): a DICOM object Consilium wrote,
// de-identified by the PS3.15 basic profile (imaging/deidentify.h). Without --key the UIDs are mapped with a random
// key, so they match nothing else.
int deidentifyCommand(const std::vector<std::string>& args, std::ostream& out);

}  // namespace consilium::cli
