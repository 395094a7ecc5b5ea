// Backup through SQLite's online backup API while another connection writes, and restore (store/backup.h).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "model/error.h"
#include "store/audit_log.h"
#include "store/backup.h"
#include "store/case_repository.h"
#include "store/migrations.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::store;
using consilium::testing::TempDir;
namespace fs = std::filesystem;

namespace {

const Actor kChair{"Dr Amelia Rossi", Role::BoardChair};

CaseIntake intake(std::string name)
{
    CaseIntake in;
    in.patient.name = std::move(name);
    in.question = "Surgery or chemoradiation?";
    in.receivedOn = parseIsoDate("2026-11-23");
    return in;
}

std::int64_t count(Database& db, const std::string& sql)
{
    auto s = db.prepare(sql);
    s.step();
    return s.integer(0);
}

// The patients' names of every case, in order: what a restore must give back exactly.
std::string caseNames(Database& db)
{
    std::string names;
    for (const Case& c : CaseRepository(db).list())
        names += c.reference + "=" + c.patient.name + ";";
    return names;
}

struct Backup : ::testing::Test {
    TempDir dir;
    fs::path file = dir / "consilium.db";
    Database db = Database::open(file);
    CaseRepository cases{db};
};

}  // namespace

TEST_F(Backup, SnapshotWhileAnotherConnectionWrites)
{
    const auto caseId = cases.create(intake("王秀英"), kChair).id;
    std::atomic<bool> stop = false;
    std::atomic<int> written = 0;
    std::thread writer([&] {
        Database own = Database::open(file);
        CaseRepository repo(own);
        while (!stop || written < 200) {
            TreatmentLine l;
            l.caseId = caseId;
            l.regimen = "cycle " + std::to_string(written);
            repo.addTreatmentLine(l, kChair);
            ++written;
        }
    });
    while (written < 50)
        std::this_thread::yield();
    const BackupSummary s = backupDatabase(db, dir / "backup.db");
    stop = true;
    writer.join();

    EXPECT_EQ(s.file, dir / "backup.db");
    EXPECT_EQ(s.schemaVersion, latestSchemaVersion());
    EXPECT_EQ(s.cases, 1);
    EXPECT_FALSE(fs::exists(dir / "backup.db.partial"));
    Database copy = Database::open(dir / "backup.db");
    // One consistent moment: every treatment line has its audit row and the chain is whole.
    const auto lines = count(copy, "SELECT count(*) FROM treatment_lines");
    EXPECT_GE(lines, 50);
    EXPECT_EQ(lines, count(copy, "SELECT count(*) FROM audit_log WHERE action = 'treatment.add'"));
    EXPECT_TRUE(AuditLog(copy).verify().intact);
    EXPECT_EQ(count(db, "SELECT count(*) FROM treatment_lines"), written.load());
}

TEST_F(Backup, NeverOverwritesAFile)
{
    std::ofstream(dir / "taken.db") << "keep me";
    EXPECT_THROW(backupDatabase(db, dir / "taken.db"), Error);
    std::ifstream in(dir / "taken.db");
    std::string text;
    std::getline(in, text);
    EXPECT_EQ(text, "keep me");
}

TEST_F(Backup, RestoreGivesBackTheSavedStateAndKeepsThePrevious)
{
    cases.create(intake("王秀英"), kChair);
    cases.create(intake("Åsa Øvergård"), kChair);
    const std::string saved = caseNames(db);
    const auto savedAudit = count(db, "SELECT count(*) FROM audit_log");
    backupDatabase(db, dir / "backup.db");

    cases.create(intake("محمد الأحمد"), kChair);
    cases.setTurnaroundBusinessDays(7, kChair);
    const std::string later = caseNames(db);
    ASSERT_NE(later, saved);

    // Restored under the open connection's feet, as a workstation left open would be: it sees the restored state.
    const RestoreSummary r = restoreDatabase(dir / "backup.db", file);
    EXPECT_EQ(r.restored.cases, 2);
    EXPECT_EQ(caseNames(db), saved);
    EXPECT_EQ(count(db, "SELECT count(*) FROM audit_log"), savedAudit);
    EXPECT_EQ(cases.turnaroundBusinessDays(), 10);
    EXPECT_TRUE(AuditLog(db).verify().intact);
    Database reopened = Database::open(file);
    EXPECT_EQ(caseNames(reopened), saved);

    ASSERT_FALSE(r.previous.empty());
    EXPECT_TRUE(r.previous.filename().string().starts_with("consilium.db.before-restore-")) << r.previous;
    Database previous = Database::open(r.previous);
    EXPECT_EQ(caseNames(previous), later);
    EXPECT_TRUE(AuditLog(previous).verify().intact);

    // Work goes on after a restore, chained to the restored log.
    cases.create(intake("Ψαρράς Νικόλαος"), kChair);
    EXPECT_TRUE(AuditLog(db).verify().intact);
}

TEST_F(Backup, RestoreRefusesWhatIsNotAConsiliumDatabase)
{
    cases.create(intake("王秀英"), kChair);
    const std::string before = caseNames(db);
    auto refused = [&](const fs::path& bad, const std::string& why) {
        try {
            restoreDatabase(bad, file);
            ADD_FAILURE() << bad << " was restored";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
        }
        EXPECT_EQ(caseNames(db), before);
    };
    std::ofstream(dir / "letter.txt") << "Dear colleague, please find enclosed";
    refused(dir / "letter.txt", "not an SQLite file");
    refused(dir / "absent.db", "no such file");

    {  // an SQLite file, but someone else's
        Database other = Database::open(dir / "other.db");
    }
    backupDatabase(db, dir / "newer.db");
    {
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open((dir / "newer.db").c_str(), &raw), SQLITE_OK);
        sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
        sqlite3_close(raw);
        ASSERT_EQ(sqlite3_open((dir / "foreign.db").c_str(), &raw), SQLITE_OK);
        sqlite3_exec(raw, "CREATE TABLE t(x); PRAGMA user_version = 3", nullptr, nullptr, nullptr);
        sqlite3_close(raw);
    }
    refused(dir / "newer.db", "newer Consilium");
    refused(dir / "foreign.db", "not a Consilium database");

    // Damaged: every page after the first (the schema) overwritten.
    backupDatabase(db, dir / "damaged.db");
    {
        std::fstream f(dir / "damaged.db", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096);
        const std::string noise(fs::file_size(dir / "damaged.db") - 4096, '\x5a');
        f.write(noise.data(), std::streamsize(noise.size()));
    }
    EXPECT_THROW(restoreDatabase(dir / "damaged.db", file), Error);
    EXPECT_EQ(caseNames(db), before);
    EXPECT_THROW(restoreDatabase(file, file), UsageError);
}

TEST(Restore, ReplacesADatabaseTooDamagedToOpen)
{
    TempDir dir;
    {
        Database good = Database::open(dir / "good.db");
        CaseRepository(good).create(intake("王秀英"), kChair);
        backupDatabase(good, dir / "backup.db");
    }
    std::ofstream(dir / "consilium.db") << "this is not a database any more";
    const RestoreSummary r = restoreDatabase(dir / "backup.db", dir / "consilium.db");
    Database restored = Database::open(dir / "consilium.db");
    EXPECT_EQ(CaseRepository(restored).list().size(), 1u);
    std::ifstream kept(r.previous);
    std::string text;
    std::getline(kept, text);
    EXPECT_EQ(text, "this is not a database any more");
}

TEST(Restore, IntoAPlaceWithNoDatabaseYet)
{
    TempDir dir;
    {
        Database good = Database::open(dir / "good.db");
        CaseRepository(good).create(intake("王秀英"), kChair);
        backupDatabase(good, dir / "backup.db");
    }
    const RestoreSummary r = restoreDatabase(dir / "backup.db", dir / "new" / "consilium.db");
    EXPECT_TRUE(r.previous.empty());
    Database restored = Database::open(dir / "new" / "consilium.db");
    EXPECT_EQ(CaseRepository(restored).list().size(), 1u);
}
