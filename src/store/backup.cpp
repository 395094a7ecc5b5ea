#include "store/backup.h"

#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <optional>
#include <thread>

#include "model/error.h"
#include "store/migrations.h"

namespace consilium::store {
namespace fs = std::filesystem;

namespace {

// A connection of our own (the backup file, the file being restored): closed when it goes out of scope.
class Connection {
public:
    Connection(const fs::path& file, int flags) : subject_(file.string())
    {
        const int rc = sqlite3_open_v2(subject_.c_str(), &db_, flags, nullptr);
        if (rc != SQLITE_OK)
            throw Error(subject_, std::string("cannot open: ") + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)));
        sqlite3_busy_timeout(db_, 10000);  // as Database does: wait for another writer rather than fail
    }
    ~Connection() { sqlite3_close_v2(db_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    sqlite3* handle() const { return db_; }

    void exec(const std::string& sql)
    {
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
            throw Error(subject_, sql + ": " + sqlite3_errmsg(db_));
    }

    // The first column of the first row, as text ("" when there is none). A file that is not a database fails here.
    std::string single(const std::string& sql)
    {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
            const std::string message = sqlite3_errmsg(db_);
            sqlite3_finalize(s);
            throw Error(subject_, "not a Consilium database (" + message + ")");
        }
        std::string value;
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
            value = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        const std::string message = sqlite3_errmsg(db_);
        sqlite3_finalize(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            throw Error(subject_, "damaged or not a Consilium database (" + message + ")");
        return value;
    }

private:
    std::string subject_;
    sqlite3* db_ = nullptr;
};

// Copies every page of `from` into `to` in one step: from a WAL database that is one read snapshot, so writers on
// other connections are never blocked and never restart the copy. Waits (up to the busy timeout, then 10 s more)
// while another connection holds the destination's write lock.
void copyPages(sqlite3* from, sqlite3* to, const std::string& subject, const std::string& doing)
{
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (!backup)
        throw Error(subject, doing + ": " + sqlite3_errmsg(to));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(backup, -1);
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        else if (rc != SQLITE_OK)
            break;
    } while (true);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        throw Error(subject, doing + ": " + sqlite3_errstr(rc));
}

std::int64_t count(Connection& c, const char* table)
{
    return std::stoll("0" + c.single(std::string("SELECT count(*) FROM ") + table));
}

std::string compactUtcNow()
{
    std::string t = utcNow();  // 2026-11-25T09:30:00Z → 20261125T093000Z
    std::erase(t, '-');
    std::erase(t, ':');
    return t;
}

fs::path withSuffix(const fs::path& file, const std::string& suffix) { return fs::path(file.string() + suffix); }

// A database too damaged to open cannot be copied page by page: it and its WAL sidecars are moved aside as files.
void moveAside(const fs::path& current, const fs::path& previous)
{
    for (const char* sidecar : {"", "-wal", "-shm"}) {
        std::error_code ec;
        if (fs::exists(withSuffix(current, sidecar), ec))
            fs::rename(withSuffix(current, sidecar), withSuffix(previous, sidecar));
    }
}

}  // namespace

BackupSummary checkBackup(const fs::path& file)
{
    const std::string name = file.string();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw Error(name, "no such file");
    {
        std::ifstream in(file, std::ios::binary);
        char header[16] = {};
        in.read(header, sizeof header);
        if (in.gcount() != 16 || std::string_view(header, 16) != std::string_view("SQLite format 3\0", 16))
            throw Error(name, "not a Consilium database (not an SQLite file)");
    }
    Connection c(file, SQLITE_OPEN_READONLY);
    const std::string integrity = c.single("PRAGMA integrity_check");
    if (integrity != "ok")
        throw Error(name, "damaged: PRAGMA integrity_check says \"" + integrity + "\"");
    BackupSummary s;
    s.file = file;
    s.schemaVersion = std::stoi("0" + c.single("PRAGMA user_version"));
    if (s.schemaVersion < 1)
        throw Error(name, "not a Consilium database (no schema version)");
    if (s.schemaVersion > latestSchemaVersion())
        throw Error(name, "written by a newer Consilium (schema " + std::to_string(s.schemaVersion) +
                              ", this version knows " + std::to_string(latestSchemaVersion()) + ")");
    if (c.single("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                 "('settings', 'patients', 'cases', 'audit_log')") != "4")
        throw Error(name, "not a Consilium database (the cases and audit tables are missing)");
    s.cases = count(c, "cases");
    s.auditRows = count(c, "audit_log");
    s.bytes = std::int64_t(fs::file_size(file));
    return s;
}

BackupSummary backupDatabase(Database& db, const fs::path& out)
{
    std::error_code ec;
    if (fs::exists(out, ec))
        throw Error(out.string(), "already exists; a backup never overwrites a file (choose another name)");
    const fs::path partial = withSuffix(out, ".partial");
    fs::remove(partial, ec);
    try {
        {
            Connection copy(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
            copyPages(db.handle(), copy.handle(), out.string(), "backing up " + db.file().string());
            // A single self-contained file: the copy carries the source's WAL flag, which would make readers of
            // the backup create sidecar files.
            copy.exec("PRAGMA journal_mode=DELETE");
        }
        BackupSummary s = checkBackup(partial);
        fs::rename(partial, out);
        s.file = out;
        return s;
    } catch (...) {
        fs::remove(partial, ec);
        throw;
    }
}

RestoreSummary restoreDatabase(const fs::path& backup, const fs::path& current)
{
    RestoreSummary result;
    result.restored = checkBackup(backup);
    std::error_code ec;
    if (fs::exists(current, ec) && fs::equivalent(backup, current, ec))
        throw UsageError(backup.string(), "is the current database itself");
    if (fs::exists(current, ec)) {
        result.previous = withSuffix(current, ".before-restore-" + compactUtcNow());
        std::optional<Database> live;
        try {
            live.emplace(Database::open(current));
        } catch (const Error&) {
            moveAside(current, result.previous);  // too damaged to copy page by page: keep its files as they are
        }
        if (live) {
            backupDatabase(*live, result.previous);
            Connection source(backup, SQLITE_OPEN_READONLY);
            copyPages(source.handle(), live->handle(), current.string(), "restoring " + backup.string());
        }
    }
    if (!fs::exists(current, ec)) {
        if (current.has_parent_path())
            fs::create_directories(current.parent_path());
        Connection source(backup, SQLITE_OPEN_READONLY);
        Connection fresh(current, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        copyPages(source.handle(), fresh.handle(), current.string(), "restoring " + backup.string());
    }
    Database::open(current);  // an older backup is migrated now, not by whoever opens it next
    return result;
}

}  // namespace consilium::store
