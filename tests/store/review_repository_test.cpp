#include <gtest/gtest.h>

#include <sqlite3.h>

#include <algorithm>
#include <functional>

#include "model/error.h"
#include "store/audit_log.h"
#include "store/case_repository.h"
#include "store/review_repository.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::store;
using consilium::testing::TempDir;

namespace {

const Actor kChair{"Dr Amelia Rossi", Role::BoardChair};
const Actor kRadiologist{"Dr Jonas Berg", Role::Radiologist};
const Actor kPathologist{"Dr Priya Raman", Role::Pathologist};

struct Review : ::testing::Test {
    TempDir dir;
    Database db = Database::open(dir / "consilium.db");
    ReviewRepository reviews{db};
    Case c;

    void SetUp() override
    {
        CaseIntake in;
        in.patient.name = "王秀英";
        in.question = "Surgery or chemoradiation?";
        in.receivedOn = parseIsoDate("2026-11-23");
        c = CaseRepository(db).create(in, kChair);
    }

    void writeAll(SectionStatus status)
    {
        for (SectionKey key : kAllSections) {
            const Role owner = sectionOwner(key);
            const Actor& actor = owner == Role::Pathologist   ? kPathologist
                                 : owner == Role::Radiologist ? kRadiologist
                                                              : kChair;
            reviews.saveSection(c.id, key, "Text of " + std::string(toString(key)), status, actor);
        }
    }

    StoredFile fakePdf(const std::string& sha = std::string(64, 'a'))
    {
        return {sha, 1234, c.reference + "/review/" + sha + ".pdf"};
    }

    std::string refusal(const std::function<void()>& action)
    {
        try {
            action();
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    }
};

}  // namespace

TEST_F(Review, UnwrittenSectionsAreEmptyDraftsInDocumentOrder)
{
    const auto f = reviews.findings(c.id);
    ASSERT_EQ(f.sections.size(), kAllSections.size());
    for (std::size_t i = 0; i < kAllSections.size(); ++i) {
        EXPECT_EQ(f.sections[i].key, kAllSections[i]);
        EXPECT_EQ(f.sections[i].status, SectionStatus::Draft);
        EXPECT_TRUE(f.sections[i].bodyMarkdown.empty());
    }
    EXPECT_EQ(f.draftSections().size(), kAllSections.size());
    EXPECT_TRUE(f.pathology.empty());
}

TEST_F(Review, SectionRoundTripRecordsWriterAndAudits)
{
    reviews.saveSection(c.id, SectionKey::Pathology, "**Agree** with the diagnosis.\n\n- TTF-1 positive",
                        SectionStatus::Ready, kPathologist);
    const auto s = reviews.findings(c.id).section(SectionKey::Pathology);
    EXPECT_EQ(s.bodyMarkdown, "**Agree** with the diagnosis.\n\n- TTF-1 positive");
    EXPECT_EQ(s.status, SectionStatus::Ready);
    EXPECT_EQ(s.updatedBy, "Dr Priya Raman");
    EXPECT_FALSE(s.updatedAt.empty());
    const auto audit = AuditLog(db).forCase(c.id);
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.back().action, "review.section");
    EXPECT_EQ(audit.back().entity, "review_section:pathology");
    EXPECT_EQ(audit.back().actor, "Dr Priya Raman (pathologist)");
    EXPECT_NE(audit.back().after.find("TTF-1"), std::string::npos);
}

TEST_F(Review, EachRoleWritesOnlyItsOwnSections)
{
    const auto radiologistOnPathology =
        refusal([&] { reviews.saveSection(c.id, SectionKey::Pathology, "x", SectionStatus::Draft, kRadiologist); });
    EXPECT_EQ(radiologistOnPathology,
              "Dr Jonas Berg (radiologist): cannot edit the section 'Pathology re-review': only the pathologist "
              "writes it (signed in as radiologist)");
    EXPECT_NE(refusal([&] {
                  reviews.saveSection(c.id, SectionKey::Radiology, "x", SectionStatus::Draft, kPathologist);
              }).find("only the radiologist writes it"),
              std::string::npos);
    for (const Actor& notChair : {kPathologist, kRadiologist}) {
        EXPECT_NE(refusal([&] {
                      reviews.saveSection(c.id, SectionKey::Answer, "x", SectionStatus::Draft, notChair);
                  }).find("only the board chair writes it"),
                  std::string::npos);
        EXPECT_NE(refusal([&] { reviews.saveChair(c.id, {}, notChair); }).find("board's recommendation"),
                  std::string::npos);
    }
    EXPECT_NE(refusal([&] { reviews.savePathology(c.id, {}, kRadiologist); }).find("the pathology findings"),
              std::string::npos);
    EXPECT_NE(refusal([&] { reviews.saveRadiology(c.id, {}, kPathologist); }).find("the radiology findings"),
              std::string::npos);
    EXPECT_NE(refusal([&] {
                  reviews.saveSection(c.id, SectionKey::Pathology, "x", SectionStatus::Draft, {"cli:root", {}});
              }).find("has no role"),
              std::string::npos);
    // Nothing was written by the refused attempts.
    EXPECT_EQ(reviews.findings(c.id).draftSections().size(), kAllSections.size());
    for (const auto& s : reviews.findings(c.id).sections)
        EXPECT_TRUE(s.updatedBy.empty());
}

TEST_F(Review, StructuredFindingsRoundTrip)
{
    PathologyFindings p;
    p.diagnosis = "Invasive adenocarcinoma";
    p.grade = "IASLC grade 3";
    p.pT = "pTX";
    p.pN = "N2";
    p.stageAgreement = Agreement::Agree;
    p.gradeAgreement = Agreement::Disagree;
    p.agreementReasoning = "High-grade patterns reach 20 %.";
    p.biomarkers = "- EGFR exon 19 deletion";
    reviews.savePathology(c.id, p, kPathologist);
    RadiologyFindings r;
    r.studies = {{"1.2.3", "2026-10-27", "FDG PET/CT", "Avid primary"}, {"", "2026-10-29", "MR thorax", "No invasion"}};
    r.cT = "cT2a";
    r.cN = "cN2";
    r.cM = "cM0";
    r.stageAgreement = Agreement::Agree;
    reviews.saveRadiology(c.id, r, kRadiologist);
    ChairFindings ch;
    ch.intent = "Curative";
    ch.trials = {{"NCT01234567", "A phase III study", "III", "Milan", false, "EGFR+"},
                 {"ChiCTR2600012345", "A phase II study", "II", "Shanghai", true, "N2"}};
    ch.videoAdvised = false;
    reviews.saveChair(c.id, ch, kChair);

    const auto f = reviews.findings(c.id);
    EXPECT_EQ(toJson(f.pathology), toJson(p));
    EXPECT_EQ(toJson(f.radiology), toJson(r));
    EXPECT_EQ(toJson(f.chair), toJson(ch));
    ASSERT_EQ(f.chair.trials.size(), 2u);
    EXPECT_TRUE(f.chair.trials[1].openOnlyInChina);
    EXPECT_EQ(f.chair.videoAdvised, false);
}

TEST_F(Review, FindingsAreValidated)
{
    PathologyFindings p;
    p.gradeAgreement = Agreement::Disagree;
    EXPECT_THROW(reviews.savePathology(c.id, p, kPathologist), UsageError);  // no reasoning
    RadiologyFindings r;
    r.stageAgreement = Agreement::Disagree;
    EXPECT_THROW(reviews.saveRadiology(c.id, r, kRadiologist), UsageError);
    ChairFindings ch;
    ch.trials = {{"NCT123", "Too short an ID", "III", "", false, ""}};
    EXPECT_THROW(reviews.saveChair(c.id, ch, kChair), UsageError);
    ch.trials = {{"a trial", "Not an ID", "III", "", false, ""}};
    EXPECT_THROW(reviews.saveChair(c.id, ch, kChair), UsageError);
    EXPECT_THROW(reviews.saveSection(c.id, SectionKey::Answer, "  \n", SectionStatus::Ready, kChair), UsageError);
    EXPECT_TRUE(plausibleRegistryId("NCT04351555"));
    EXPECT_TRUE(plausibleRegistryId("ChiCTR2400081234"));
    EXPECT_TRUE(plausibleRegistryId("ChiCTR-TRC-12002345"));
    EXPECT_TRUE(plausibleRegistryId("ISRCTN12345678"));
    EXPECT_FALSE(plausibleRegistryId("NCT0435155"));
}

TEST_F(Review, FinalizeRefusedWhileASectionIsADraftNamingIt)
{
    writeAll(SectionStatus::Ready);
    reviews.saveSection(c.id, SectionKey::VideoConsultation, "Advised.", SectionStatus::Draft, kChair);
    reviews.saveSection(c.id, SectionKey::Radiology, "Re-read.", SectionStatus::Draft, kRadiologist);
    const auto why = refusal([&] { reviews.checkCanFinalize(c.id, kChair, ""); });
    EXPECT_EQ(why, "review: cannot be finalized while sections are drafts: Imaging re-read, Video consultation");
    EXPECT_NE(refusal([&] { reviews.recordVersion(c.id, fakePdf(), 6, kChair, "", utcNow()); }).find("drafts"),
              std::string::npos);
    EXPECT_TRUE(reviews.versions(c.id).empty());
}

TEST_F(Review, OnlyTheChairFinalizes)
{
    writeAll(SectionStatus::Ready);
    EXPECT_EQ(CaseRepository(db).get(c.id).status, CaseStatus::ReadyForSignOff);  // every section ready
    for (const Actor& other : {kPathologist, kRadiologist})
        EXPECT_NE(refusal([&] {
                      reviews.recordVersion(c.id, fakePdf(), 6, other, "", utcNow());
                  }).find("cannot finalize the review: only the board chair signs it"),
                  std::string::npos);
    EXPECT_TRUE(reviews.versions(c.id).empty());
}

TEST_F(Review, FinalizedVersionIsLockedAndAmendmentsNeedAReason)
{
    writeAll(SectionStatus::Ready);
    const auto v1 = reviews.recordVersion(c.id, fakePdf(), 6, kChair, "", "2026-11-25T10:00:00Z");
    EXPECT_EQ(v1.version, 1);
    EXPECT_EQ(v1.finalizedBy, "Dr Amelia Rossi (board chair)");
    EXPECT_EQ(CaseRepository(db).get(c.id).status, CaseStatus::Finalized);
    EXPECT_THROW(reviews.recordVersion(c.id, fakePdf(std::string(64, 'b')), 6, kChair, "", utcNow()), UsageError);
    const auto v2 = reviews.recordVersion(c.id, fakePdf(std::string(64, 'b')), 7, kChair, "Trial site corrected",
                                          "2026-11-26T10:00:00Z");
    EXPECT_EQ(v2.version, 2);
    EXPECT_EQ(v2.amendmentReason, "Trial site corrected");
    const auto all = reviews.versions(c.id);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(toJson(all[0]), toJson(v1));

    // Plain SQL cannot change nor remove a finalized version.
    for (const char* sql : {"UPDATE review_versions SET pdf_sha256 = 'x' WHERE version = 1",
                            "UPDATE review_versions SET amendment_reason = 'rewritten'",
                            "DELETE FROM review_versions WHERE version = 1", "DELETE FROM review_versions"}) {
        char* message = nullptr;
        EXPECT_NE(sqlite3_exec(db.handle(), sql, nullptr, nullptr, &message), SQLITE_OK) << sql;
        ASSERT_NE(message, nullptr);
        EXPECT_NE(std::string(message).find("a finalized review version is locked"), std::string::npos) << message;
        sqlite3_free(message);
    }
    EXPECT_EQ(toJson(reviews.versions(c.id)[0]), toJson(v1));

    std::vector<std::string> actions;
    for (const auto& e : AuditLog(db).forCase(c.id))
        actions.push_back(e.action);
    EXPECT_NE(std::find(actions.begin(), actions.end(), "review.finalize"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "review.amend"), actions.end());
}

TEST_F(Review, KeyImagesKeepOrderAndBytes)
{
    const char bytes[] = "\x89PNG\r\n\x1a\n\0\0binary";  // embedded zeros: the length comes from the array
    std::string png(bytes, sizeof bytes - 1);
    KeyImage blob;
    blob.png = png;
    blob.caption = "Primary, lung window";
    blob.source = "CT series 2, slice 64";
    const auto first = reviews.addKeyImage(c.id, blob, kRadiologist);
    KeyImage file;
    file.pngPath = c.reference + "/key-images/abc.png";
    file.caption = "H&E";
    reviews.addKeyImage(c.id, file, kPathologist);
    auto images = reviews.keyImages(c.id);
    ASSERT_EQ(images.size(), 2u);
    EXPECT_EQ(images[0].png, png);
    EXPECT_EQ(images[0].position, 0);
    EXPECT_EQ(images[1].pngPath, file.pngPath);
    EXPECT_EQ(images[1].position, 1);
    EXPECT_THROW(reviews.addKeyImage(c.id, KeyImage{}, kChair), UsageError);
    reviews.removeKeyImage(c.id, first.id, kChair);
    EXPECT_EQ(reviews.keyImages(c.id).size(), 1u);
}

TEST_F(Review, LastChangeTimeFollowsContentNotSigning)
{
    const std::string before = reviews.lastChangedAt(c.id);
    EXPECT_EQ(before, CaseRepository(db).get(c.id).createdAt);
    reviews.saveSection(c.id, SectionKey::Answer, "Yes.", SectionStatus::Draft, kChair);
    EXPECT_GE(reviews.lastChangedAt(c.id), before);
}
