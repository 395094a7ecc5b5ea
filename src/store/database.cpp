#include "store/database.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>

#include "model/error.h"
#include "store/audit_log.h"
#include "store/migrations.h"

namespace consilium::store {

// ---- Statement -------------------------------------------------------------------------------------------------

Statement::Statement(Database& db, std::string_view sql) : db_(&db)
{
    if (sqlite3_prepare_v2(db.handle(), sql.data(), int(sql.size()), &stmt_, nullptr) != SQLITE_OK)
        db.fail("preparing a query");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

Statement& Statement::bind(int index, std::string_view text)
{
    if (sqlite3_bind_text(stmt_, index, text.data(), int(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_->fail("binding a value");
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK)
        db_->fail("binding a value");
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK)
        db_->fail("binding a value");
    return *this;
}

Statement& Statement::bindNull(int index)
{
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK)
        db_->fail("binding a value");
    return *this;
}

Statement& Statement::bindBlob(int index, const void* bytes, std::size_t size)
{
    if (sqlite3_bind_blob64(stmt_, index, bytes, sqlite3_uint64(size), SQLITE_TRANSIENT) != SQLITE_OK)
        db_->fail("binding a value");
    return *this;
}

bool Statement::step()
{
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    db_->fail("running a query");
}

void Statement::run()
{
    while (step()) {
    }
}

void Statement::reset()
{
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::isNull(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }

std::string Statement::text(int c) const
{
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    return p ? std::string(p, std::size_t(sqlite3_column_bytes(stmt_, c))) : std::string();
}

std::int64_t Statement::integer(int c) const { return sqlite3_column_int64(stmt_, c); }
double Statement::real(int c) const { return sqlite3_column_double(stmt_, c); }

std::optional<std::string> Statement::optionalText(int c) const
{
    return isNull(c) ? std::nullopt : std::optional(text(c));
}

std::optional<std::int64_t> Statement::optionalInteger(int c) const
{
    return isNull(c) ? std::nullopt : std::optional(integer(c));
}

std::optional<double> Statement::optionalReal(int c) const { return isNull(c) ? std::nullopt : std::optional(real(c)); }

std::string_view Statement::blob(int c) const
{
    const void* p = sqlite3_column_blob(stmt_, c);
    return p ? std::string_view(static_cast<const char*>(p), std::size_t(sqlite3_column_bytes(stmt_, c)))
             : std::string_view();
}

// ---- Database --------------------------------------------------------------------------------------------------

namespace {

// SQLite opens any file lazily; reading the first page tells a database from anything else without writing.
bool looksLikeSqlite(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    return in.gcount() == 0 || std::string_view(header, 16) == std::string_view("SQLite format 3\0", 16);
}

}  // namespace

int latestSchemaVersion() { return migrations().empty() ? 0 : migrations().back().number; }

Database::Database(std::filesystem::path file, sqlite3* db) : file_(std::move(file)), db_(db) {}

Database::~Database() { sqlite3_close_v2(db_); }

Database::Database(Database&& other) noexcept : file_(std::move(other.file_)), db_(other.db_) { other.db_ = nullptr; }

Database& Database::operator=(Database&& other) noexcept
{
    std::swap(file_, other.file_);
    std::swap(db_, other.db_);
    return *this;
}

Database Database::open(const std::filesystem::path& file)
{
    const std::string name = file.string();
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        throw Error(name, "is a folder, not a database file");
    if (std::filesystem::exists(file, ec) && !looksLikeSqlite(file))
        throw Error(name, "not a Consilium database (not an SQLite file); it was left untouched");
    if (file.has_parent_path())
        std::filesystem::create_directories(file.parent_path(), ec);

    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(name.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                             nullptr);
    Database db(file, raw);
    if (rc != SQLITE_OK)
        db.fail("opening the database");
    sqlite3_extended_result_codes(raw, 1);
    // Another process (the CLI beside the GUI) may hold the write lock for a moment: wait rather than fail.
    sqlite3_busy_timeout(raw, 10000);

    const int version = db.schemaVersion();  // the first reads fail here on a damaged file
    db.prepare("SELECT count(*) FROM sqlite_master").step();
    if (version > latestSchemaVersion())
        throw Error(name, "written by a newer Consilium (schema " + std::to_string(version) + ", this version knows " +
                              std::to_string(latestSchemaVersion()) + "); it was left untouched");
    // Only now, with the file known to be ours, is anything written.
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");  // WAL + NORMAL: a killed process never loses a committed transaction
    db.exec("PRAGMA foreign_keys=ON");
    db.migrate();
    return db;
}

std::filesystem::path Database::libraryRoot() const { return std::filesystem::absolute(file_).parent_path() / "cases"; }

int Database::schemaVersion()
{
    Statement s(*this, "PRAGMA user_version");
    s.step();
    return int(s.integer(0));
}

void Database::migrate()
{
    if (schemaVersion() == latestSchemaVersion())
        return;
    Transaction tx(*this);
    // Read again under the write lock: another process opening the same new database may have migrated it meanwhile.
    const int current = schemaVersion();
    if (current == latestSchemaVersion())
        return;
    for (const Migration& m : migrations()) {
        if (m.number <= current)
            continue;
        char* message = nullptr;
        if (sqlite3_exec(db_, std::string(m.sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            std::string reason = message ? message : "unknown error";
            sqlite3_free(message);
            throw Error(file_.string(), "applying schema migration " + std::string(m.name) + ": " + reason);
        }
        afterMigration(m.number);
    }
    exec("PRAGMA user_version=" + std::to_string(latestSchemaVersion()));
    tx.commit();
}

// Steps that SQL cannot express, run right after their migration in the same transaction, keyed by its number.
void Database::afterMigration(int number)
{
    if (number == 9)  // db/0009_audit_chain.sql: hash the rows written before the chain (SQLite has no SHA-256)
        sealUnhashedAuditRows(*this);
}

void Database::exec(std::string_view sql)
{
    char* message = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);  // the same text stays available through sqlite3_errmsg
        fail("running \"" + std::string(sql.substr(0, 40)) + "\"");
    }
}

std::int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

void Database::fail(std::string_view doing) const
{
    int code = sqlite3_errcode(db_);
    std::string reason = std::string(doing) + ": " + sqlite3_errmsg(db_);
    if (code == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT)
        reason =
            "damaged or not a Consilium database (" + std::string(sqlite3_errmsg(db_)) + "); it was left untouched";
    else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        reason = "another program kept the database busy for more than 10 s (" + std::string(doing) + ")";
    throw Error(file_.string(), reason);
}

// ---- Transaction -----------------------------------------------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction()
{
    if (open_)
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    db_.exec("COMMIT");
    open_ = false;
}

std::string utcNow()
{
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

std::filesystem::path defaultDatabasePath()
{
    if (const char* home = std::getenv("CONSILIUM_HOME"); home && *home)
        return std::filesystem::path(home) / "consilium.db";
    const char* user = std::getenv("HOME");
    return std::filesystem::path(user && *user ? user : ".") / ".local/share/consilium/consilium.db";
}

}  // namespace consilium::store
