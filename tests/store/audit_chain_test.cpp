// The tamper-evident audit log (db/0009_audit_chain.sql, store/audit_log.h): chained hashes, append-only triggers,
// the migration that seals older rows, and chaining under two writing connections.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>

#include "model/error.h"
#include "model/sha256.h"
#include "process.h"
#include "store/audit_log.h"
#include "store/case_repository.h"
#include "store/migrations.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::store;
using consilium::testing::TempDir;

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

TreatmentLine line(std::int64_t caseId, int n)
{
    TreatmentLine l;
    l.caseId = caseId;
    l.regimen = "Carboplatin/pemetrexed cycle " + std::to_string(n);
    l.dose = "AUC 5 q3w";
    return l;
}

// Runs SQL through the sqlite3 shell, as someone editing the file behind Consilium's back would.
void shellSql(const std::filesystem::path& db, const std::string& sql, const TempDir& dir)
{
    auto r = consilium::testing::runProcess({"sqlite3", db.string(), sql}, dir / "sqlite3-stderr.txt");
    ASSERT_EQ(r.exitCode, 0) << r.err;
}

struct AuditChain : ::testing::Test {
    TempDir dir;
    std::filesystem::path file = dir / "consilium.db";
    Database db = Database::open(file);
    CaseRepository cases{db};
    AuditLog audit{db};

    std::int64_t rows()
    {
        auto s = db.prepare("SELECT count(*) FROM audit_log");
        s.step();
        return s.integer(0);
    }

    // Two cases with treatment lines, interleaved so that each case's rows chain to the other's.
    std::pair<std::int64_t, std::int64_t> twoCases()
    {
        const auto a = cases.create(intake("王秀英"), kChair).id;
        const auto b = cases.create(intake("Åsa Øvergård"), kChair).id;
        for (int i = 0; i < 3; ++i) {
            cases.addTreatmentLine(line(a, i), kChair);
            cases.addTreatmentLine(line(b, i), kChair);
        }
        return {a, b};
    }
};

}  // namespace

TEST_F(AuditChain, EveryRowChainsToThePreviousOne)
{
    const auto [a, b] = twoCases();
    const AuditVerification all = audit.verify();
    EXPECT_TRUE(all.intact) << all.reason;
    EXPECT_EQ(all.rowsChecked, rows());
    EXPECT_EQ(all.lastHash.size(), 64u);
    const AuditVerification one = audit.verify(a);
    EXPECT_TRUE(one.intact) << one.reason;
    EXPECT_EQ(one.rowsChecked, std::int64_t(audit.forCase(a).size()));

    // The first row starts from the genesis value; each later one from the row before it, by its canonical content.
    auto s = db.prepare("SELECT id, prev_hash, row_hash FROM audit_log ORDER BY id");
    std::string previous(kAuditGenesisHash);
    while (s.step()) {
        EXPECT_EQ(s.text(1), previous) << "row " << s.integer(0);
        previous = s.text(2);
    }
    const AuditEntry first = audit.forCase(a).front();
    auto h = db.prepare("SELECT row_hash FROM audit_log WHERE id = ?");
    h.bind(1, first.id).step();
    EXPECT_EQ(h.text(0), sha256Hex(canonicalAuditRow(first, kAuditGenesisHash)));
}

TEST_F(AuditChain, CanonicalRowIsUnambiguous)
{
    AuditEntry x{7, "2026-11-25T09:30:00Z", "cli:root", std::nullopt, "case.create", "case:1", "", "{}"};
    EXPECT_EQ(canonicalAuditRow(x, "p"),
              "1:7;20:2026-11-25T09:30:00Z;8:cli:root;-;11:case.create;6:case:1;0:;2:{};1:p;");
    AuditEntry y = x;  // a separator moved from one field into the next must change the text
    y.before = ";";
    y.after = "}";
    EXPECT_NE(canonicalAuditRow(x, "p"), canonicalAuditRow(y, "p"));
    y = x;
    y.caseId = 0;
    EXPECT_NE(canonicalAuditRow(x, "p"), canonicalAuditRow(y, "p"));  // NULL is not 0
}

TEST_F(AuditChain, RowsCannotBeChangedOrRemoved)
{
    twoCases();
    const auto before = rows();
    try {
        db.exec("UPDATE audit_log SET after = '{}' WHERE id = 2");
        FAIL() << "an audit row was changed";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
    EXPECT_THROW(db.exec("DELETE FROM audit_log WHERE id = 2"), Error);
    EXPECT_EQ(rows(), before);
    EXPECT_TRUE(audit.verify().intact);
}

TEST_F(AuditChain, CasesAreNeverDeleted)
{
    const auto [a, b] = twoCases();
    try {
        db.exec("DELETE FROM cases WHERE id = " + std::to_string(a));
        FAIL() << "a case was deleted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cases are never deleted"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(audit.verify(a).intact);
}

TEST_F(AuditChain, RowEditedWithTheSqliteShellIsNamed)
{
    if (!consilium::testing::toolAvailable("sqlite3"))
        GTEST_SKIP() << "the sqlite3 shell is not installed (Debian package sqlite3, in scripts/setup.sh)";
    const auto [a, b] = twoCases();
    const std::int64_t target = audit.forCase(b)[2].id;
    shellSql(file,
             "DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET after = replace(after, 'AUC 5', 'AUC 6') "
             "WHERE id = " +
                 std::to_string(target) + ";",
             dir);
    const AuditVerification v = audit.verify(b);
    EXPECT_FALSE(v.intact);
    ASSERT_TRUE(v.brokenRow);
    EXPECT_EQ(*v.brokenRow, target);
    EXPECT_NE(v.reason.find("content does not match its hash"), std::string::npos) << v.reason;
    EXPECT_EQ(audit.verify().brokenRow, target);
    EXPECT_TRUE(audit.verify(a).intact) << "case A's own rows were not touched";

    // Recomputing the edited row's own hash only moves the break to the next row, which no longer chains to it.
    const AuditEntry edited = [&] {
        for (const AuditEntry& e : audit.forCase(b))
            if (e.id == target)
                return e;
        return AuditEntry{};
    }();
    const std::string forged = [&] {
        auto prev = db.prepare("SELECT prev_hash FROM audit_log WHERE id = ?");  // finished here: no open snapshot
        prev.bind(1, target).step();
        return sha256Hex(canonicalAuditRow(edited, prev.text(0)));
    }();
    shellSql(file, "UPDATE audit_log SET row_hash = '" + forged + "' WHERE id = " + std::to_string(target) + ";", dir);
    const AuditVerification w = audit.verify();
    ASSERT_TRUE(w.brokenRow);
    EXPECT_EQ(*w.brokenRow, target + 1);
    EXPECT_NE(w.reason.find("does not chain"), std::string::npos) << w.reason;
}

TEST_F(AuditChain, RowRemovedWithTheSqliteShellIsFound)
{
    if (!consilium::testing::toolAvailable("sqlite3"))
        GTEST_SKIP() << "the sqlite3 shell is not installed (Debian package sqlite3, in scripts/setup.sh)";
    twoCases();
    shellSql(file, "DROP TRIGGER audit_log_append_only_delete; DELETE FROM audit_log WHERE id = 4;", dir);
    const AuditVerification v = audit.verify();
    ASSERT_TRUE(v.brokenRow);
    EXPECT_EQ(*v.brokenRow, 5);
}

TEST(AuditChainMigration, RowsWrittenBeforeTheChainAreSealed)
{
    TempDir dir;
    const auto file = dir / "consilium.db";
    {  // a database as schema 8 left it, with audit rows
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(file.c_str(), &raw), SQLITE_OK);
        for (const Migration& m : migrations()) {
            if (m.number <= 8) {
                ASSERT_EQ(sqlite3_exec(raw, std::string(m.sql).c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
                    << m.name;
            }
        }
        const char* rows =
            "PRAGMA user_version=8;"
            "INSERT INTO audit_log (at, actor, action, entity, after) VALUES "
            "('2026-11-20T08:00:00Z', 'cli:root', 'settings.set', 'settings:turnaround', '{\"days\":10}'),"
            "('2026-11-21T08:00:00Z', 'Dr A (board chair)', 'settings.set', 'settings:turnaround', '{\"days\":7}');";
        ASSERT_EQ(sqlite3_exec(raw, rows, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
        sqlite3_close(raw);
    }
    Database db = Database::open(file);
    EXPECT_EQ(db.schemaVersion(), latestSchemaVersion());
    AuditLog audit(db);
    CaseRepository(db).create(intake("Ψαρράς"), kChair);  // a new row continues the sealed chain
    const AuditVerification v = audit.verify();
    EXPECT_TRUE(v.intact) << v.reason;
    EXPECT_EQ(v.rowsChecked, 3);
    EXPECT_THROW(db.exec("UPDATE audit_log SET actor = 'x' WHERE id = 1"), Error);  // sealed rows are locked
}

TEST_F(AuditChain, AppendOutsideATransactionStillChains)
{
    audit.append({"cli:root", std::nullopt}, std::nullopt, "settings.set", "settings:x", "", "{}");
    audit.append({"cli:root", std::nullopt}, std::nullopt, "settings.set", "settings:x", "{}", "{\"a\":1}");
    EXPECT_TRUE(audit.verify().intact);
    EXPECT_EQ(audit.verify().rowsChecked, 2);
}

TEST_F(AuditChain, TwoConnectionsWritingAtOnceStillChain)
{
    const auto [a, b] = twoCases();
    auto writer = [&](std::int64_t caseId) {
        Database own = Database::open(file);
        CaseRepository repo(own);
        for (int i = 0; i < 150; ++i)
            repo.addTreatmentLine(line(caseId, i), kChair);
    };
    std::thread first(writer, a), second(writer, b);
    first.join();
    second.join();
    const AuditVerification v = audit.verify();
    EXPECT_TRUE(v.intact) << v.reason;
    EXPECT_EQ(v.rowsChecked, rows());
    EXPECT_EQ(audit.forCase(a).size(), 1u + 3 + 150);
}
