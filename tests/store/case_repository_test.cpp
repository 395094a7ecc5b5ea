#include <gtest/gtest.h>

#include <thread>

#include "model/error.h"
#include "store/audit_log.h"
#include "store/case_repository.h"
#include "store/reviewer_repository.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::store;
using consilium::testing::TempDir;

namespace {

const Actor kChair{"Dr Amelia Rossi", Role::BoardChair};

CaseIntake intake(std::string name, const char* received = "2026-11-23")
{
    CaseIntake in;
    in.patient.name = std::move(name);
    in.patient.birthDate = parseIsoDate("1961-04-12");
    in.patient.sex = "F";
    in.patient.referringIdentifier = "MRN-004512";
    in.patient.country = "中国";
    in.referringInstitution = "上海市胸科医院";
    in.referringOncologist = "Dr Chen Wei";
    in.diagnosisAsReferred = "NSCLC, adenocarcinoma, cT2aN2M0 (IIIA)";
    in.question = "Is surgery after induction an option, or should she have definitive chemoradiation?";
    in.receivedOn = parseIsoDate(received);
    in.service = ServiceOrdered::WrittenReviewWithVideo;
    in.feeQuotedUsd = 1800;
    return in;
}

struct Fixture : ::testing::Test {
    TempDir dir;
    Database db = Database::open(dir / "consilium.db");
    CaseRepository cases{db};
};

}  // namespace

TEST_F(Fixture, IntakeRoundTripKeepsNonLatinNames)
{
    for (std::string name : {"王秀英", "Åsa Øvergård-Þórsdóttir", "محمد الأحمد", "Ψαρράς Νικόλαος", "山田 花子"}) {
        const Case created = cases.create(intake(name), kChair);
        const Case read = cases.get(created.id);
        EXPECT_EQ(read.patient.name, name);
        EXPECT_EQ(read.referringInstitution, "上海市胸科医院");
        EXPECT_EQ(read.patient.country, "中国");
        EXPECT_EQ(formatIsoDate(*read.patient.birthDate), "1961-04-12");
        EXPECT_EQ(read.question, intake(name).question);
        EXPECT_EQ(read.service, ServiceOrdered::WrittenReviewWithVideo);
        EXPECT_EQ(read.feeQuotedUsd, 1800);
        EXPECT_EQ(read.status, CaseStatus::Received);
        EXPECT_EQ(toJson(read), toJson(created));
    }
    EXPECT_EQ(cases.list().size(), 5u);
}

TEST_F(Fixture, ReferencesCountPerYearAndDueDateSkipsWeekends)
{
    const Case a = cases.create(intake("A", "2026-11-23"), kChair);  // Monday
    const Case b = cases.create(intake("B", "2026-11-27"), kChair);  // Friday
    const Case c = cases.create(intake("C", "2027-01-04"), kChair);
    EXPECT_EQ(a.reference, "SO-2026-0001");
    EXPECT_EQ(b.reference, "SO-2026-0002");
    EXPECT_EQ(c.reference, "SO-2027-0001");
    EXPECT_EQ(formatIsoDate(a.dueOn), "2026-12-07");
    EXPECT_EQ(formatIsoDate(b.dueOn), "2026-12-11");
}

TEST_F(Fixture, TurnaroundIsConfigurable)
{
    cases.setTurnaroundBusinessDays(7, kChair);
    EXPECT_EQ(formatIsoDate(cases.create(intake("A", "2026-11-23"), kChair).dueOn), "2026-12-02");
    EXPECT_THROW(cases.setTurnaroundBusinessDays(0, kChair), UsageError);
}

TEST_F(Fixture, RejectsIncompleteIntake)
{
    auto noQuestion = intake("A");
    noQuestion.question = "  ";
    EXPECT_THROW(cases.create(noQuestion, kChair), UsageError);
    auto noName = intake("");
    EXPECT_THROW(cases.create(noName, kChair), UsageError);
    auto badSex = intake("A");
    badSex.patient.sex = "female";
    EXPECT_THROW(cases.create(badSex, kChair), UsageError);
    EXPECT_TRUE(cases.list().empty());  // nothing half-created
}

TEST_F(Fixture, SearchFindsByNameReferenceAndDiagnosis)
{
    cases.create(intake("王秀英"), kChair);
    auto other = intake("John Smith");
    other.diagnosisAsReferred = "Colorectal cancer, liver metastases";
    cases.create(other, kChair);
    EXPECT_EQ(cases.list("秀英").size(), 1u);
    EXPECT_EQ(cases.list("smith").size(), 1u);
    EXPECT_EQ(cases.list("LIVER").size(), 1u);
    EXPECT_EQ(cases.list("SO-2026-0002").front().patient.name, "John Smith");
    EXPECT_EQ(cases.list("nobody").size(), 0u);
}

TEST_F(Fixture, FindAcceptsIdOrReference)
{
    const Case a = cases.create(intake("A"), kChair);
    EXPECT_EQ(cases.find(a.reference).id, a.id);
    EXPECT_EQ(cases.find(std::to_string(a.id)).reference, a.reference);
    EXPECT_THROW(cases.find("SO-1999-0001"), Error);
}

TEST_F(Fixture, TreatmentHistoryEditsAreAudited)
{
    const Case c = cases.create(intake("A"), kChair);
    TreatmentLine chemo;
    chemo.caseId = c.id;
    chemo.kind = TreatmentKind::Systemic;
    chemo.regimen = "Carboplatin + pemetrexed";
    chemo.dose = "AUC 5 + 500 mg/m² q3w × 2";
    chemo.startedOn = parseIsoDate("2026-08-03");
    chemo.endedOn = parseIsoDate("2026-09-07");
    chemo.response = "Stable disease";
    chemo = cases.addTreatmentLine(chemo, kChair);
    TreatmentLine rt{0, c.id, TreatmentKind::Radiation, "Thoracic RT", "60 Gy / 30 fx", {}, {}, "", 0};
    rt = cases.addTreatmentLine(rt, kChair);
    EXPECT_EQ(rt.position, 1);

    chemo.response = "Partial response";
    cases.updateTreatmentLine(chemo, kChair);
    cases.removeTreatmentLine(rt.id, kChair);
    const auto history = cases.treatmentHistory(c.id);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].response, "Partial response");
    EXPECT_EQ(history[0].dose, "AUC 5 + 500 mg/m² q3w × 2");

    const auto audit = AuditLog(db).forCase(c.id);
    ASSERT_EQ(audit.size(), 5u);
    EXPECT_EQ(audit[0].action, "case.create");
    EXPECT_EQ(audit[3].action, "treatment.edit");
    EXPECT_NE(audit[3].before.find("Stable disease"), std::string::npos);
    EXPECT_NE(audit[3].after.find("Partial response"), std::string::npos);
    EXPECT_EQ(audit[4].action, "treatment.remove");
    EXPECT_EQ(audit[4].actor, "Dr Amelia Rossi (board chair)");

    TreatmentLine backwards = chemo;
    backwards.endedOn = parseIsoDate("2026-01-01");
    EXPECT_THROW(cases.updateTreatmentLine(backwards, kChair), UsageError);
}

TEST_F(Fixture, StatusChangesAreAudited)
{
    const Case c = cases.create(intake("A"), kChair);
    cases.setStatus(c.id, CaseStatus::InReview, kChair);
    EXPECT_EQ(cases.get(c.id).status, CaseStatus::InReview);
    EXPECT_EQ(AuditLog(db).forCase(c.id).back().action, "case.status");
}

TEST_F(Fixture, ReviewersAreRegisteredOnce)
{
    ReviewerRepository reviewers(db);
    auto a = reviewers.ensure("Dr Lena Berg", Role::Pathologist);
    auto b = reviewers.ensure("Dr Lena Berg", Role::Pathologist);
    reviewers.ensure("Dr Lena Berg", Role::BoardChair);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(reviewers.all().size(), 2u);
    EXPECT_THROW(reviewers.ensure(" ", Role::Radiologist), UsageError);
}

TEST_F(Fixture, SecondConnectionSeesCommittedWritesAndWaitsForTheLock)
{
    auto other = Database::open(db.file());
    CaseRepository otherCases(other);
    Transaction tx(db);  // hold the write lock briefly
    db.exec("INSERT INTO settings (key, value) VALUES ('probe', '1')");
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        tx.commit();
    });
    const Case c = otherCases.create(intake("Concurrent"), kChair);  // waits, never "database is locked"
    release.join();
    EXPECT_EQ(cases.get(c.id).patient.name, "Concurrent");
}
