#pragma once
// Backup and restore of the database through SQLite's online backup API, safe while the workstation is in use.
//
// Only the database: the case folder beside it ("cases/": documents, DICOM, slides) holds write-once,
// content-addressed files that an ordinary file copy (rsync) backs up; the database says which of them matter.
#include <cstdint>
#include <filesystem>
#include <string>

#include "store/database.h"

namespace consilium::store {

struct BackupSummary {
    std::filesystem::path file;
    int schemaVersion = 0;
    std::int64_t cases = 0;
    std::int64_t auditRows = 0;
    std::int64_t bytes = 0;
};

// Copies `db` into `out` as one consistent snapshot (WAL: writers on other connections carry on meanwhile), checks
// the copy and only then gives it its name (written beside it as "<out>.partial" first). Refuses to overwrite an
// existing `out`.
BackupSummary backupDatabase(Database& db, const std::filesystem::path& out);

// Checks that `file` is a Consilium database this build can open: SQLite, PRAGMA integrity_check "ok", a schema
// version from 1 to the latest known, the core tables present. Throws Error(file, why) otherwise.
BackupSummary checkBackup(const std::filesystem::path& file);

struct RestoreSummary {
    BackupSummary restored;
    std::filesystem::path previous;  // where the database it replaced was kept (empty when there was none)
};

// Replaces the database at `current` with the content of `backup` after checkBackup. The database it replaces is
// first kept as "<current>.before-restore-<UTC time>". The content is written into the live database through the
// backup API (one write transaction, which connections open elsewhere see like any other change) rather than by
// renaming files under them; only a database too damaged to open is moved aside as files instead. The restored
// database is then opened once, so an older backup is migrated to the current schema.
RestoreSummary restoreDatabase(const std::filesystem::path& backup, const std::filesystem::path& current);

}  // namespace consilium::store
