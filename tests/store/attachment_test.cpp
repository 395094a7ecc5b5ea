#include <gtest/gtest.h>

#include <fstream>

#include "model/error.h"
#include "model/sha256.h"
#include "store/attachment_repository.h"
#include "store/audit_log.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"
#include "store/slide_repository.h"
#include "store/suv_override_repository.h"
#include "store_fixtures.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::store;
using consilium::testing::TempDir;

namespace {

const Actor kIntake{"cli:test", std::nullopt};

struct Attachments : ::testing::Test {
    TempDir dir;
    Database db = Database::open(dir / "lib" / "consilium.db");
    Case c = consilium::testing::createTestCase(db, kIntake);
    AttachmentRepository attachments{db};

    std::filesystem::path write(const std::string& name, const std::string& content)
    {
        auto p = dir / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }
};

}  // namespace

TEST_F(Attachments, CopiesIntoTheCaseFolderUnderItsHash)
{
    const std::string pdf = "%PDF-1.4\n% a tiny letter\n";
    auto source = write("Letter Dr Chen.pdf", pdf);
    Attachment a = attachments.attach(c.id, source, AttachmentKind::Letter, "Referral letter", kIntake);
    EXPECT_EQ(a.sha256, sha256Hex(pdf));
    EXPECT_EQ(a.mediaType, "application/pdf");
    EXPECT_EQ(a.originalName, "Letter Dr Chen.pdf");
    EXPECT_EQ(a.storedPath, c.reference + "/documents/" + a.sha256 + ".pdf");
    const auto stored = attachments.absolutePath(a);
    EXPECT_EQ(stored, dir / "lib" / "cases" / a.storedPath);
    std::filesystem::remove(source);  // never referenced in place
    std::ifstream in(stored, std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), pdf);
}

TEST_F(Attachments, TheSameFileTwiceIsStoredOnce)
{
    auto first = write("ngs.pdf", "%PDF-1.4 NGS");
    auto copy = write("ngs (copy).pdf", "%PDF-1.4 NGS");
    auto a = attachments.attach(c.id, first, AttachmentKind::Genomic, "", kIntake);
    auto b = attachments.attach(c.id, copy, AttachmentKind::Genomic, "", kIntake);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(attachments.forCase(c.id).size(), 1u);
    int files = 0;
    for (auto& e : std::filesystem::recursive_directory_iterator(dir / "lib" / "cases"))
        files += e.is_regular_file();
    EXPECT_EQ(files, 1);
    attachments.attach(c.id, write("other.pdf", "%PDF-1.4 other"), AttachmentKind::Letter, "", kIntake);
    EXPECT_EQ(attachments.forCase(c.id).size(), 2u);
}

TEST_F(Attachments, MissingFileIsNamedAndNothingIsIndexed)
{
    const auto missing = dir / "nope.pdf";
    try {
        attachments.attach(c.id, missing, AttachmentKind::Letter, "", kIntake);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), missing.string());
        EXPECT_EQ(e.reason(), "file not found");
    }
    EXPECT_TRUE(attachments.forCase(c.id).empty());
    EXPECT_THROW(attachments.attach(c.id, dir.path(), AttachmentKind::Letter, "", kIntake), Error);
}

TEST_F(Attachments, ImagingIndexGroupsInstancesIntoSeriesOnce)
{
    std::vector<IndexedInstance> batch;
    for (int i = 0; i < 3; ++i) {
        IndexedInstance x;
        x.header.studyInstanceUid = "1.2.3";
        x.header.seriesInstanceUid = "1.2.3.4";
        x.header.modality = "CT";
        x.header.sopInstanceUid = "1.2.3.4." + std::to_string(i);
        x.header.instanceNumber = i + 1;
        x.header.rows = x.header.columns = 512;
        x.header.pixelSpacing = std::array<double, 2>{0.78, 0.78};
        x.header.sliceThickness = 2.5;
        x.file = {std::string(64, 'a' + i), 1000, "x"};
        batch.push_back(x);
    }
    ImagingIndex index(db);
    EXPECT_EQ(index.add(c.id, batch, kIntake), 3);
    EXPECT_EQ(index.add(c.id, batch, kIntake), 0);  // importing the same files again changes nothing
    auto series = index.series(c.id);
    ASSERT_EQ(series.size(), 1u);
    EXPECT_EQ(series[0].instanceCount, 3);
    EXPECT_EQ(series[0].sizeBytes, 3000);
    EXPECT_DOUBLE_EQ((*series[0].pixelSpacing)[0], 0.78);
    // The headers name no patient: flagged until someone confirms, and the confirmation is audited.
    EXPECT_EQ(series[0].patientCheck, "mismatch");
    EXPECT_EQ(series[0].patientNote, "the files carry no patient name or ID");
    index.confirmPatient(c.id, "1.2.3.4", kIntake);
    EXPECT_EQ(index.series(c.id)[0].patientCheck, "confirmed");
    EXPECT_EQ(AuditLog(db).forCase(c.id).back().action, "imaging.confirm_patient");
    EXPECT_THROW(index.confirmPatient(c.id, "1.2.3.4", kIntake), Error);  // nothing left to confirm
}

TEST_F(Attachments, SlideFactsRoundTripIncludingMissingMpp)
{
    SlideRepository slides(db);
    CaseSlide s;
    s.caseId = c.id;
    s.title = "Frozen section";
    s.originalName = "x.svs";
    s.sha256 = std::string(64, 'b');
    s.storedPath = "p";
    s.info.vendor = "aperio";
    s.info.levels = {{4443, 3567, 1.0}, {2221, 1783, 2.0005}};
    s.info.associatedImages = {"thumbnail"};
    auto added = slides.add(s, kIntake);
    auto again = slides.add(s, kIntake);
    EXPECT_EQ(added.id, again.id);
    auto read = slides.forCase(c.id).at(0);
    EXPECT_FALSE(read.info.mppX);  // uncalibrated stays uncalibrated
    ASSERT_EQ(read.info.levels.size(), 2u);
    EXPECT_EQ(read.info.levels[1].height, 1783);
    EXPECT_DOUBLE_EQ(read.info.levels[1].downsample, 2.0005);
    EXPECT_EQ(read.info.associatedImages, std::vector<std::string>{"thumbnail"});
}

TEST_F(Attachments, SuvOverridesAreValidatedAndAudited)
{
    SuvOverrideRepository overrides(db);
    SuvOverride o;
    o.weightKg = 80;
    EXPECT_THROW(overrides.set(c.id, "1.2.3", o, kIntake), UsageError);  // no reason
    o.reason = "weighed at the scan";
    o.injectionDateTime = "yesterday";
    EXPECT_THROW(overrides.set(c.id, "1.2.3", o, kIntake), UsageError);
    o.injectionDateTime = "20261027091200";
    overrides.set(c.id, "1.2.3", o, kIntake);
    const auto stored = overrides.find(c.id, "1.2.3");
    ASSERT_TRUE(stored);
    EXPECT_EQ(*stored->weightKg, 80);
    EXPECT_EQ(stored->reviewer, "cli:test");
    const auto audit = AuditLog(db).forCase(c.id);
    EXPECT_EQ(audit.back().action, "suv.override");
    EXPECT_NE(audit.back().after.find("weighed at the scan"), std::string::npos);
    overrides.clear(c.id, "1.2.3", kIntake);
    EXPECT_FALSE(overrides.find(c.id, "1.2.3"));
    EXPECT_EQ(AuditLog(db).forCase(c.id).back().action, "suv.override_cleared");
}
