#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "demo/demo_case.h"
#include "demo/demo_review.h"
#include "model/error.h"
#include "process.h"
#include "report/encapsulated_pdf.h"
#include "report/review_workflow.h"
#include "review_fixtures.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"
#include "store/review_repository.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::testing;
namespace fs = std::filesystem;

namespace {

// The demo case is shared with other suites (CTest's demo_case fixture), so this suite works on a copy: the database
// (VACUUM INTO, consistent even while others read it) and the case's key images, which the review shows.
struct DemoReview : ::testing::Test {
    static inline TempDir* dir = nullptr;
    static inline store::Database* db = nullptr;
    static inline Case demo;

    static void SetUpTestSuite()
    {
        dir = new TempDir;
        fs::path source;
        if (const char* fixture = std::getenv("CONSILIUM_DEMO_DB")) {
            source = fixture;
        } else {
            source = *dir / "original" / "consilium.db";
            fs::create_directories(source.parent_path());
            auto original = store::Database::open(source);
            std::ostringstream progress;
            demo::createDemoCase(original, source.parent_path() / "referral", {"test", std::nullopt}, progress);
        }
        const fs::path copy = *dir / "copy" / "consilium.db";
        fs::create_directories(copy.parent_path());
        {
            auto original = store::Database::open(source);
            original.exec("VACUUM INTO '" + copy.string() + "'");
            const auto reference = demo::findDemoCase(original)->reference;
            fs::create_directories(copy.parent_path() / "cases" / reference);
            fs::copy(original.libraryRoot() / reference / "key-images",
                     copy.parent_path() / "cases" / reference / "key-images");
        }
        db = new store::Database(store::Database::open(copy));
        demo = *demo::findDemoCase(*db);
    }
    static void TearDownTestSuite()
    {
        delete db;
        delete dir;
    }
};

}  // namespace

// Runs first (gtest keeps the file's order): the demo as created, the chair's last section still a draft.
TEST_F(DemoReview, CompilesToFiveToEightPagesWithEveryHeadingTheQuestionAndTheAnswer)
{
    const auto out = *dir / "demo-review.pdf";
    const auto result =
        report::compileCaseReview(*db, demo.id, out, {report::Paper::A4, report::reviewPageBounds(*db)});
    EXPECT_GE(result.pages, 5);
    EXPECT_LE(result.pages, 8);
    EXPECT_FALSE(result.warning) << *result.warning;
    EXPECT_EQ(store::ReviewRepository(*db).keyImages(demo.id).size(), 4u);
    if (!toolAvailable("pdftotext"))
        GTEST_SKIP() << "poppler-utils not installed: the page count and the text were not checked";
    EXPECT_EQ(pdfPages(out, dir->path()), result.pages);
    const std::string text = pdfText(out, dir->path());
    int number = 1;
    for (SectionKey key : kAllSections)
        EXPECT_NE(text.find(std::to_string(number++) + " " + std::string(sectionTitle(key))), std::string::npos)
            << sectionTitle(key);
    for (const char* expected :
         {"should she have a right lower lobectomy, or definitive concurrent chemoradiation followed by osimertinib",
          "Our answer: definitive concurrent chemoradiation followed by osimertinib, not a right lower lobectomy.",
          "ChiCTR2600087431", "Open only in China", "NCT07114520", "Key images", "Figure 4.", "Signatures",
          demo::kDemoPathologist, demo::kDemoRadiologist, demo::kDemoChair, "Almaty City Oncology Centre",
          "ALM-ONC-2026-04412", "IASLC grade 3", "cT2a cN2 cM0"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected;
    EXPECT_NE(text.find("Video consultation — draft"), std::string::npos);
}

TEST_F(DemoReview, ChairFinalizesOnceTheLastDraftIsReadyThenExportsToThePacsStudy)
{
    const store::Actor chair{demo::kDemoChair, Role::BoardChair};
    EXPECT_THROW(report::finalizeReview(*db, demo.id, chair, "", {}), Error);
    store::ReviewRepository reviews(*db);
    const auto video = reviews.findings(demo.id).section(SectionKey::VideoConsultation);
    reviews.saveSection(demo.id, SectionKey::VideoConsultation, video.bodyMarkdown, SectionStatus::Ready, chair);
    const auto finalized = report::finalizeReview(*db, demo.id, chair, "", {});
    EXPECT_GE(finalized.compile.pages, 5);
    EXPECT_LE(finalized.compile.pages, 8);
    EXPECT_EQ(store::CaseRepository(*db).get(demo.id).status, CaseStatus::Finalized);

    const auto dcm = *dir / "demo-review.dcm";
    report::exportReviewDicom(*db, demo.id, dcm, chair);
    EXPECT_TRUE(report::readEncapsulatedPdf(dcm) == readBytes(finalized.pdf));
    // Filed into the most recent imaging study of the case, as the referring PACS knows the patient.
    std::string latestStudy, latestDate;
    for (const auto& s : store::ImagingIndex(*db).series(demo.id))
        if (s.studyDate > latestDate) {
            latestDate = s.studyDate;
            latestStudy = s.studyInstanceUid;
        }
    if (toolAvailable("dcmdump")) {
        const auto dump = runProcess({"dcmdump", dcm.string()}, dir->path() / "err.txt").out;
        EXPECT_NE(dump.find(latestStudy), std::string::npos) << dump;
        EXPECT_NE(dump.find(demo::kDemoPatientIdentifier), std::string::npos);
        EXPECT_NE(dump.find("Sadykova^Aigerim"), std::string::npos);
        EXPECT_NE(dump.find("Abenov^Nurlan^^Dr"), std::string::npos);
    }
    if (toolAvailable("dciodvfy")) {
        const auto check = runProcess({"sh", "-c", "dciodvfy '" + dcm.string() + "' 2>&1"}, dir->path() / "e.txt");
        EXPECT_EQ(check.out.find("Error"), std::string::npos) << check.out;
    } else {
        std::cout << "[ skipped ] dciodvfy not installed: the IOD check did not run\n";
    }
}
