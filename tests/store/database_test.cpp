#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "model/error.h"
#include "store/database.h"
#include "store/migrations.h"
#include "support.h"

using namespace consilium;
using namespace consilium::store;
using consilium::testing::TempDir;

namespace {

std::string bytesOf(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void rawExec(const std::filesystem::path& file, const std::string& sql)
{
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_close(db);
}

std::string errorOpening(const std::filesystem::path& file)
{
    try {
        Database::open(file);
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), file.string());
        return e.reason();
    }
    ADD_FAILURE() << "opening " << file << " did not fail";
    return {};
}

}  // namespace

TEST(Database, MigratesAnEmptyDatabaseToTheLatestSchema)
{
    TempDir dir;
    auto db = Database::open(dir / "sub" / "consilium.db");  // creates missing folders too
    EXPECT_EQ(db.schemaVersion(), latestSchemaVersion());
    EXPECT_GE(latestSchemaVersion(), 3);
    auto s = db.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN "
        "('patients','cases','treatment_lines','attachments','reviewers','audit_log','settings',"
        "'imaging_series','imaging_instances','slides')");
    s.step();
    EXPECT_EQ(s.integer(0), 10);
    auto fk = db.prepare("PRAGMA foreign_keys");
    fk.step();
    EXPECT_EQ(fk.integer(0), 1);
    auto wal = db.prepare("PRAGMA journal_mode");
    wal.step();
    EXPECT_EQ(wal.text(0), "wal");
}

TEST(Database, MigrationsAreNumberedWithoutGaps)
{
    int expected = 1;
    for (const auto& m : migrations())
        EXPECT_EQ(m.number, expected++) << m.name;
}

TEST(Database, UpgradesAnExistingDatabaseAndKeepsItsData)
{
    TempDir dir;
    const auto file = dir / "old.db";
    // A database as schema 1 left it, with a case in it.
    rawExec(file, std::string(migrations().front().sql) +
                      "INSERT INTO patients (name) VALUES ('Keep Me');"
                      "INSERT INTO cases (reference, patient_id, question, received_on, due_on, service, created_at) "
                      "VALUES ('SO-2026-0001', 1, 'Q?', '2026-11-02', '2026-11-16', 'written-review', 'x');"
                      "PRAGMA user_version = 1;");
    auto db = Database::open(file);
    EXPECT_EQ(db.schemaVersion(), latestSchemaVersion());
    auto s = db.prepare("SELECT p.name FROM cases c JOIN patients p ON p.id = c.patient_id");
    ASSERT_TRUE(s.step());
    EXPECT_EQ(s.text(0), "Keep Me");
}

TEST(Database, ReopeningChangesNothing)
{
    TempDir dir;
    const auto file = dir / "c.db";
    {
        auto db = Database::open(file);
    }
    auto db = Database::open(file);
    EXPECT_EQ(db.schemaVersion(), latestSchemaVersion());
}

TEST(Database, RefusesAFileThatIsNotADatabaseAndLeavesItUntouched)
{
    TempDir dir;
    const auto file = dir / "letter.db";
    std::ofstream(file) << "Dear colleague, this is not a database.";
    const std::string before = bytesOf(file);
    EXPECT_NE(errorOpening(file).find("not a Consilium database"), std::string::npos);
    EXPECT_EQ(bytesOf(file), before);
}

TEST(Database, RefusesADamagedDatabaseAndLeavesItUntouched)
{
    TempDir dir;
    const auto file = dir / "damaged.db";
    {
        auto db = Database::open(file);
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::string bytes = bytesOf(file);
    ASSERT_GT(bytes.size(), 4096u);
    // Keep the SQLite header, destroy the rest of the first page (the schema).
    for (std::size_t i = 100; i < 4096; ++i)
        bytes[i] = char(0xA5);
    std::filesystem::remove(dir / "damaged.db-wal");
    std::filesystem::remove(dir / "damaged.db-shm");
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
    const std::string reason = errorOpening(file);
    EXPECT_NE(reason.find("damaged"), std::string::npos) << reason;
    EXPECT_EQ(bytesOf(file), bytes);
}

TEST(Database, RefusesADatabaseFromANewerConsiliumAndLeavesItUntouched)
{
    TempDir dir;
    const auto file = dir / "future.db";
    rawExec(file, "CREATE TABLE t(x); PRAGMA user_version = 999;");
    const std::string before = bytesOf(file);
    const std::string reason = errorOpening(file);
    EXPECT_NE(reason.find("newer Consilium"), std::string::npos) << reason;
    EXPECT_NE(reason.find("999"), std::string::npos) << reason;
    EXPECT_EQ(bytesOf(file), before);
    EXPECT_FALSE(std::filesystem::exists(dir / "future.db-wal"));
}

TEST(Database, RefusesAFolder)
{
    TempDir dir;
    EXPECT_NE(errorOpening(dir.path()).find("folder"), std::string::npos);
}

TEST(Database, TransactionRollsBackWhenNotCommitted)
{
    TempDir dir;
    auto db = Database::open(dir / "t.db");
    try {
        Transaction tx(db);
        db.exec("INSERT INTO patients (name) VALUES ('Gone')");
        throw std::runtime_error("interrupted");
    } catch (const std::runtime_error&) {
    }
    auto s = db.prepare("SELECT count(*) FROM patients");
    s.step();
    EXPECT_EQ(s.integer(0), 0);
}
