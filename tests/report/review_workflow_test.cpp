#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>

#include "model/error.h"
#include "process.h"
#include "report/encapsulated_pdf.h"
#include "report/review_workflow.h"
#include "review_fixtures.h"
#include "store/audit_log.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/review_repository.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::testing;
namespace fs = std::filesystem;

namespace {

const store::Actor kChair{"Dr Amelia Rossi", Role::BoardChair};
const store::Actor kRadiologist{"Dr Jonas Berg", Role::Radiologist};
const store::Actor kPathologist{"Dr Priya Raman", Role::Pathologist};

struct Workflow : ::testing::Test {
    TempDir dir;
    store::Database db = store::Database::open(dir / "consilium.db");
    store::ReviewRepository reviews{db};
    Case c;

    void SetUp() override
    {
        CaseIntake in;
        in.patient.name = "Åsa Øvergård";
        in.patient.birthDate = parseIsoDate("1958-02-01");
        in.patient.sex = "F";
        in.patient.referringIdentifier = "OSL-991";
        in.referringInstitution = "Oslo University Hospital";
        in.referringOncologist = "Dr Ingrid Berg";
        in.question = "Should she have adjuvant osimertinib after lobectomy?";
        in.receivedOn = parseIsoDate("2026-11-23");
        c = store::CaseRepository(db).create(in, kChair);
        for (SectionKey key : kAllSections) {
            const Role owner = sectionOwner(key);
            const store::Actor& actor = owner == Role::Pathologist   ? kPathologist
                                        : owner == Role::Radiologist ? kRadiologist
                                                                     : kChair;
            std::string body;
            for (int i = 0; i < 4; ++i)
                body += loremParagraph(i) + "\n\n";
            reviews.saveSection(c.id, key, body,
                                key == SectionKey::Limitations ? SectionStatus::Draft : SectionStatus::Ready, actor);
        }
        KeyImage image;
        image.png = testPng(128, 3);
        image.caption = "Primary tumour";
        reviews.addKeyImage(c.id, image, kRadiologist);
    }

    report::CompileOptions options() { return {report::Paper::A4, {1, 20}}; }

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

TEST_F(Workflow, FinalizeRefusedWhileASectionIsADraftAndNothingIsStored)
{
    EXPECT_EQ(refusal([&] { report::finalizeReview(db, c.id, kChair, "", options()); }),
              "review: cannot be finalized while sections are drafts: Limitations of this review");
    EXPECT_FALSE(fs::exists(db.libraryRoot() / c.reference / "review"));
    EXPECT_TRUE(reviews.versions(c.id).empty());
    EXPECT_EQ(store::CaseRepository(db).get(c.id).status, CaseStatus::Received);
}

TEST_F(Workflow, OnlyTheChairFinalizes)
{
    reviews.saveSection(c.id, SectionKey::Limitations, "Records only.", SectionStatus::Ready, kChair);
    EXPECT_EQ(refusal([&] { report::finalizeReview(db, c.id, kRadiologist, "", options()); }),
              "Dr Jonas Berg (radiologist): cannot finalize the review: only the board chair signs it");
    EXPECT_TRUE(reviews.versions(c.id).empty());
}

TEST_F(Workflow, FinalizeStoresLockedPdfThenAmendmentMakesVersionTwo)
{
    reviews.saveSection(c.id, SectionKey::Limitations, "Records only.", SectionStatus::Ready, kChair);
    const auto v1 = report::finalizeReview(db, c.id, kChair, "", options());
    EXPECT_EQ(v1.version.version, 1);
    EXPECT_EQ(v1.pdf, db.libraryRoot() / v1.version.storedPath);
    EXPECT_EQ(v1.version.storedPath, c.reference + "/review/" + v1.version.pdfSha256 + ".pdf");
    EXPECT_EQ(store::sha256OfFile(v1.pdf), v1.version.pdfSha256);
    EXPECT_EQ(v1.version.pages, v1.compile.pages);
    EXPECT_EQ(fs::status(v1.pdf).permissions() & fs::perms::owner_write, fs::perms::none);
    EXPECT_EQ(store::CaseRepository(db).get(c.id).status, CaseStatus::Finalized);
    if (toolAvailable("pdftotext")) {
        const std::string text = pdfText(v1.pdf, dir.path());
        EXPECT_NE(text.find("Final report, version 1, signed"), std::string::npos);
        EXPECT_EQ(text.find("not signed"), std::string::npos) << "the chair's signature is missing";
        EXPECT_EQ(text.find("DRAFT"), std::string::npos);
    }

    EXPECT_THROW(report::finalizeReview(db, c.id, kChair, "", options()), UsageError);
    reviews.saveSection(c.id, SectionKey::Answer, "Yes, for three years.", SectionStatus::Ready, kChair);
    const auto v2 = report::finalizeReview(db, c.id, kChair, "Duration of osimertinib added", options());
    EXPECT_EQ(v2.version.version, 2);
    EXPECT_NE(v2.version.pdfSha256, v1.version.pdfSha256);
    EXPECT_EQ(store::sha256OfFile(v1.pdf), v1.version.pdfSha256) << "version 1 changed";
    if (toolAvailable("pdftotext")) {
        EXPECT_NE(pdfText(v2.pdf, dir.path()).find("Amended: Duration of osimertinib added"), std::string::npos);
    }

    std::vector<std::string> actions;
    for (const auto& e : store::AuditLog(db).forCase(c.id))
        actions.push_back(e.action);
    for (const char* step : {"review.section", "review.key_image_add", "review.finalize", "review.amend"})
        EXPECT_NE(std::find(actions.begin(), actions.end(), step), actions.end()) << step;
}

TEST_F(Workflow, DraftCompileOfUnchangedFindingsIsByteIdentical)
{
    report::compileCaseReview(db, c.id, dir / "a.pdf", options());
    report::compileCaseReview(db, c.id, dir / "b.pdf", options());
    EXPECT_TRUE(readBytes(dir / "a.pdf") == readBytes(dir / "b.pdf"));
}

TEST_F(Workflow, DicomExportCarriesTheSignedPdfAndThePatient)
{
    EXPECT_NE(refusal([&] { report::exportReviewDicom(db, c.id, dir / "r.dcm", kChair); }).find("not been finalized"),
              std::string::npos);
    reviews.saveSection(c.id, SectionKey::Limitations, "Records only.", SectionStatus::Ready, kChair);
    const auto v1 = report::finalizeReview(db, c.id, kChair, "", options());
    const auto exported = report::exportReviewDicom(db, c.id, dir / "r.dcm", {"cli:test", std::nullopt});
    EXPECT_EQ(exported.version, 1);
    EXPECT_TRUE(report::readEncapsulatedPdf(dir / "r.dcm") == readBytes(v1.pdf));
    if (toolAvailable("dcmdump")) {
        const auto dump = runProcess({"dcmdump", (dir / "r.dcm").string()}, dir / "err.txt").out;
        for (const char* expected : {"OSL-991", "19580201", "Written multidisciplinary review SO-2026-0001, version 1"})
            EXPECT_NE(dump.find(expected), std::string::npos) << expected << "\n" << dump;
    }
    if (toolAvailable("dciodvfy")) {
        const auto check =
            runProcess({"sh", "-c", "dciodvfy '" + (dir / "r.dcm").string() + "' 2>&1"}, dir / "err.txt");
        EXPECT_EQ(check.out.find("Error"), std::string::npos) << check.out;
    } else {
        std::cout << "[ skipped ] dciodvfy not installed: the IOD check did not run\n";
    }
    // A signed PDF changed on disk is never exported.
    fs::permissions(v1.pdf, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(v1.pdf, std::ios::app) << "%tampered";
    EXPECT_NE(refusal([&] { report::exportReviewDicom(db, c.id, dir / "r2.dcm", kChair); }).find("no longer matches"),
              std::string::npos);
}
