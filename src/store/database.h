#pragma once
// The one SQLite database of a Consilium installation, opened and migrated in one step.
// RAII over sqlite3 and sqlite3_stmt; every failure is a consilium::Error naming the database file.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace consilium::store {

class Database;

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&&) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binds by 1-based position; std::nullopt binds NULL.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, std::int64_t(value)); }
    Statement& bind(int index, double value);
    Statement& bindNull(int index);
    Statement& bindBlob(int index, const void* bytes, std::size_t size);  // copied (SQLITE_TRANSIENT)
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }

    bool step();  // true while a row is available
    void run();   // steps a statement that returns no rows
    void reset();

    bool isNull(int column) const;
    std::string text(int column) const;
    std::int64_t integer(int column) const;
    double real(int column) const;
    std::optional<std::string> optionalText(int column) const;
    std::optional<std::int64_t> optionalInteger(int column) const;
    std::optional<double> optionalReal(int column) const;
    std::string_view blob(int column) const;  // valid until the next step, reset or destruction

private:
    Database* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Database {
public:
    // Opens (creating when absent) and migrates. Refuses, leaving the file's bytes untouched, a file that is not a
    // SQLite database, one that is damaged, and one written by a newer Consilium.
    static Database open(const std::filesystem::path& file);
    ~Database();
    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;

    const std::filesystem::path& file() const { return file_; }
    // The folder that holds the cases' files (documents, DICOM, slides): "cases" beside the database file.
    std::filesystem::path libraryRoot() const;
    int schemaVersion();

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(*this, sql); }
    std::int64_t lastInsertId() const;
    int changes() const;

    sqlite3* handle() const { return db_; }
    [[noreturn]] void fail(std::string_view doing) const;  // throws Error(file, "<doing>: <sqlite message>")

private:
    Database(std::filesystem::path file, sqlite3* db);
    void migrate();
    void afterMigration(int number);
    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE … COMMIT, rolled back when it goes out of scope without commit() (an exception unwound it).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool open_ = true;
};

std::string utcNow();  // "2026-11-25T09:30:00Z"

// $CONSILIUM_HOME/consilium.db, with CONSILIUM_HOME defaulting to ~/.local/share/consilium.
std::filesystem::path defaultDatabasePath();

}  // namespace consilium::store
