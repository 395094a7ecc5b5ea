#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "demo/demo_case.h"
#include "imaging/dicom_instance.h"
#include "pathology/slide.h"
#include "process.h"
#include "store/attachment_repository.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"
#include "store/slide_repository.h"
#include "support.h"

using namespace consilium;
using namespace consilium::testing;

namespace {

// The demo writes ~80 MB of DICOM and a 384-megapixel slide, so it is made once: by CTest's demo_case fixture
// (`consilium demo`, whose database CONSILIUM_DEMO_DB names), or here when the binary runs on its own.
struct DemoCase : ::testing::Test {
    static inline TempDir* dir = nullptr;
    static inline store::Database* db = nullptr;
    static inline model::Case demo;

    static void SetUpTestSuite()
    {
        dir = new TempDir;
        if (const char* fixture = std::getenv("CONSILIUM_DEMO_DB")) {
            db = new store::Database(store::Database::open(fixture));
            demo = *demo::findDemoCase(*db);
            return;
        }
        db = new store::Database(store::Database::open(*dir / "consilium.db"));
        std::ostringstream progress;
        demo = demo::createDemoCase(*db, *dir / "referral", {"test", std::nullopt}, progress);
    }
    static void TearDownTestSuite()
    {
        delete db;
        delete dir;
    }
};

}  // namespace

TEST_F(DemoCase, IsRegisteredWithItsIntakeAndHistory)
{
    EXPECT_EQ(demo.patient.name, "Aigerim Sadykova (Айгерим Садыкова)");
    EXPECT_EQ(demo.status, model::CaseStatus::InReview);
    EXPECT_NE(demo.question.find("lobectomy"), std::string::npos);
    EXPECT_EQ(model::businessDaysBetween(demo.receivedOn, demo.dueOn), 10);
    EXPECT_EQ(store::CaseRepository(*db).treatmentHistory(demo.id).size(), 2u);
    EXPECT_EQ(demo::findDemoCase(*db)->id, demo.id);
    EXPECT_GE(store::CaseRepository(*db).list().size(), 4u);  // the demo and the other referrals
}

TEST_F(DemoCase, DocumentsAreRealPdfsStoredInTheCase)
{
    store::AttachmentRepository attachments(*db);
    const auto docs = attachments.forCase(demo.id);
    ASSERT_EQ(docs.size(), 4u);
    int letters = 0;
    for (const auto& d : docs) {
        letters += d.kind == model::AttachmentKind::Letter;
        EXPECT_EQ(d.mediaType, "application/pdf");
        const auto path = attachments.absolutePath(d);
        EXPECT_EQ(store::sha256OfFile(path), d.sha256);
        if (toolAvailable("pdftotext")) {
            auto text = runProcess({"pdftotext", path.string(), "-"}, dir->path() / "err.txt");
            EXPECT_EQ(text.exitCode, 0) << text.err;
            EXPECT_NE(text.out.find("Sadykova"), std::string::npos) << d.title;
        }
    }
    EXPECT_EQ(letters, 2);  // the two latest oncologist letters
}

TEST_F(DemoCase, ImagingIsIndexedAsThreeSeries)
{
    const auto series = store::ImagingIndex(*db).series(demo.id);
    ASSERT_EQ(series.size(), 3u);
    std::map<std::string, model::SeriesSummary> byModality;
    for (const auto& s : series)
        byModality[s.modality] = s;
    EXPECT_EQ(byModality["CT"].instanceCount, 120);
    EXPECT_EQ(byModality["CT"].columns, 512);
    EXPECT_EQ(byModality["PT"].instanceCount, 92);
    EXPECT_EQ(byModality["MR"].instanceCount, 56);
    // PET and CT share the frame of reference (fusion), MR was another visit.
    EXPECT_EQ(byModality["CT"].frameOfReferenceUid, byModality["PT"].frameOfReferenceUid);
    EXPECT_EQ(byModality["CT"].studyInstanceUid, byModality["PT"].studyInstanceUid);
    EXPECT_NE(byModality["MR"].frameOfReferenceUid, byModality["CT"].frameOfReferenceUid);
}

TEST_F(DemoCase, EveryModalityPassesDciodvfy)
{
    if (!toolAvailable("dciodvfy"))
        GTEST_SKIP() << "dciodvfy (Debian package dicom3tools) is not installed";
    store::ImagingIndex index(*db);
    store::CaseFiles files(db->libraryRoot());
    for (const auto& s : index.series(demo.id)) {
        const auto paths = index.instancePaths(s.id);
        for (const auto& p : {paths.front(), paths[paths.size() / 2], paths.back()}) {
            auto r = runProcess({"sh", "-c", "dciodvfy " + shellQuote(files.absolute(p).string()) + " 2>&1"},
                                dir->path() / "err.txt");
            EXPECT_EQ(r.out.find("\nError"), std::string::npos) << s.modality << " " << p << "\n" << r.out;
            EXPECT_FALSE(r.out.starts_with("Error")) << r.out;
        }
    }
}

TEST_F(DemoCase, SlideOpensAsAperioWithMicronsPerPixel)
{
    const auto slides = store::SlideRepository(*db).forCase(demo.id);
    ASSERT_EQ(slides.size(), 1u);
    const auto& info = slides[0].info;
    EXPECT_EQ(info.vendor, "aperio");
    ASSERT_TRUE(info.calibrated());
    EXPECT_DOUBLE_EQ(*info.mppX, 0.25);
    EXPECT_DOUBLE_EQ(*info.objectivePower, 40.0);
    EXPECT_GE(info.levels.size(), 4u);
    const auto path = store::CaseFiles(db->libraryRoot()).absolute(slides[0].storedPath);
    if (toolAvailable("openslide-show-properties")) {
        auto r = runProcess({"openslide-show-properties", path.string()}, dir->path() / "err.txt");
        EXPECT_NE(r.out.find("openslide.mpp-x: '0.25'"), std::string::npos) << r.out.substr(0, 2000);
        EXPECT_NE(r.out.find("openslide.vendor: 'aperio'"), std::string::npos);
    }
}

TEST_F(DemoCase, CreatingItAgainIsNotNeeded)
{
    // `consilium demo` checks for the case first; the lookup must find it by the patient's identifier.
    auto again = demo::findDemoCase(*db);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->reference, demo.reference);
}
