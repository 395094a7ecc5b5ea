// `consilium audit verify`, `backup`, `restore` and `deidentify`, run as the real executable.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcstack.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "imaging/synthetic_series.h"
#include "process.h"
#include "support.h"

using namespace consilium::testing;

namespace {

struct TrustCli : ::testing::Test {
    TempDir dir;
    std::filesystem::path db = dir / "consilium.db";

    ProcessResult run(std::vector<std::string> args)
    {
        args.insert(args.begin(), {CONSILIUM_BINARY, "--db", db.string()});
        return runProcess(args, dir / "stderr.txt");
    }

    std::string createCase(const std::string& name)
    {
        auto r = run({"case", "create", "--patient-name", name, "--question", "Surgery or chemoradiation?",
                      "--received", "2026-11-27"});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return r.out.substr(0, r.out.find(' '));
    }

    std::string caseList()
    {
        auto r = run({"case", "list", "--json"});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return r.out;
    }
};

}  // namespace

TEST_F(TrustCli, AuditVerifyReportsOkThenTheEditedRow)
{
    const std::string first = createCase("王秀英");
    createCase("Åsa Øvergård");
    ASSERT_EQ(run({"settings", "--turnaround-days", "7"}).exitCode, 0);

    auto all = run({"audit", "verify"});
    EXPECT_EQ(all.exitCode, 0) << all.err;
    EXPECT_NE(all.out.find("audit log of all cases: OK, 3 rows chained"), std::string::npos) << all.out;
    auto one = run({"audit", "verify", first, "--json"});
    EXPECT_EQ(one.exitCode, 0) << one.err;
    EXPECT_NE(one.out.find(R"("scope":"SO-2026-0001","intact":true,"rows_checked":1)"), std::string::npos) << one.out;

    if (!toolAvailable("sqlite3"))
        GTEST_SKIP() << "the sqlite3 shell is not installed (Debian package sqlite3, in scripts/setup.sh)";
    auto edit = runProcess({"sqlite3", db.string(),
                            "DROP TRIGGER audit_log_append_only_update; "
                            "UPDATE audit_log SET actor = 'someone else' WHERE id = 1;"},
                           dir / "sqlite3-stderr.txt");
    ASSERT_EQ(edit.exitCode, 0) << edit.err;
    auto broken = run({"audit", "verify", first});
    EXPECT_EQ(broken.exitCode, 1);
    EXPECT_NE(broken.out.find("BROKEN at row 1: its content does not match its hash"), std::string::npos) << broken.out;
    auto json = run({"audit", "verify", "--json"});
    EXPECT_EQ(json.exitCode, 1);
    EXPECT_NE(json.out.find(R"("intact":false,"rows_checked":0,"broken_row":1)"), std::string::npos) << json.out;
}

TEST_F(TrustCli, AuditUsageErrors)
{
    createCase("王秀英");
    EXPECT_EQ(run({"audit"}).exitCode, 2);
    EXPECT_EQ(run({"audit", "verify", "SO-2026-0001", "SO-2026-0002"}).exitCode, 2);
    auto unknown = run({"audit", "verify", "SO-2030-0009"});
    EXPECT_EQ(unknown.exitCode, 1);
    EXPECT_EQ(run({"backup"}).exitCode, 2);
    EXPECT_EQ(run({"restore"}).exitCode, 2);
}

TEST_F(TrustCli, BackupChangeRestoreCompare)
{
    createCase("王秀英");
    createCase("Åsa Øvergård");
    const std::string saved = caseList();
    const auto backup = dir / "saved.db";
    auto b = run({"backup", "--out", backup.string()});
    ASSERT_EQ(b.exitCode, 0) << b.err;
    EXPECT_NE(b.out.find("2 cases, 2 audit rows"), std::string::npos) << b.out;
    EXPECT_EQ(run({"backup", "--out", backup.string()}).exitCode, 1);  // never overwritten

    createCase("محمد الأحمد");
    ASSERT_NE(caseList(), saved);

    auto r = run({"restore", backup.string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("kept as " + db.string() + ".before-restore-"), std::string::npos) << r.out;
    EXPECT_EQ(caseList(), saved);
    EXPECT_EQ(run({"audit", "verify"}).exitCode, 0);

    std::ofstream(dir / "notes.txt") << "not a database";
    auto refused = run({"restore", (dir / "notes.txt").string()});
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_NE(refused.err.find("not a Consilium database"), std::string::npos) << refused.err;
    EXPECT_EQ(caseList(), saved);
}

namespace {

// A real measurement SR of a case: a small CT imported, one line measured, exported.
std::filesystem::path measurementReport(TrustCli& t)
{
    consilium::imaging::StudyIdentity s;
    s.patientName = "Wang^Xiuying";
    s.patientId = "SH-77";
    s.patientBirthDate = "19610412";
    s.patientSex = "F";
    s.studyDate = "20260105";
    s.studyTime = "090000";
    s.studyId = "1";
    s.accessionNumber = "ACC-20260105";
    s.studyDescription = "CT chest";
    consilium::imaging::SyntheticSeries x;
    x.seriesNumber = 2;
    x.seriesDescription = "CT chest";
    x.seriesDate = "20260105";
    x.seriesTime = "100000";
    x.columns = x.rows = 32;
    x.slices = 4;
    x.spacingX = x.spacingY = 1;
    x.sliceSpacing = 2.5;
    x.firstVoxelLps = {-16, -16, -5};
    x.value = [](double, double, double) { return 40.0; };
    consilium::imaging::writeSyntheticSeries(s, x, t.dir / "ct");
    const std::string reference = t.createCase("王秀英");
    EXPECT_EQ(t.run({"case", "import", reference, (t.dir / "ct").string()}).exitCode, 0);
    const auto show = t.run({"case", "show", reference, "--json"});
    const std::regex series(R"re("series_instance_uid":"([0-9.]+)")re");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(show.out, m, series)) << show.out;
    const auto add = t.run({"measurements", "add", reference, "--series", m[1].str(), "--kind", "line", "--points",
                            "-5,0,0;5,0,0", "--lesion", "RUL nodule", "--location", "lung"});
    EXPECT_EQ(add.exitCode, 0) << add.err;
    const auto sr = t.dir / "sr.dcm";
    const auto exported = t.run({"measurements", "export", reference, "--format", "sr", "--out", sr.string()});
    EXPECT_EQ(exported.exitCode, 0) << exported.err;
    return sr;
}

std::string value(DcmItem& item, const DcmTagKey& tag)
{
    OFString v;
    item.findAndGetOFStringArray(tag, v, true);
    return v.c_str();
}

// Every PNAME content item's value, anywhere in the tree.
void personNames(DcmItem& item, std::vector<std::string>& names)
{
    DcmStack stack;
    while (item.search(DCM_PersonName, stack, ESM_afterStackTop, true).good())
        names.push_back([&] {
            OFString v;
            static_cast<DcmElement*>(stack.top())->getOFStringArray(v);
            return std::string(v.c_str());
        }());
}

}  // namespace

TEST_F(TrustCli, DeidentifiedMeasurementReport)
{
    const auto sr = measurementReport(*this);
    ASSERT_TRUE(std::filesystem::exists(sr));
    DcmFileFormat original;
    ASSERT_TRUE(original.loadFile(sr.c_str()).good());
    DcmDataset& before = *original.getDataset();
    ASSERT_EQ(value(before, DCM_PatientName), "Wang^Xiuying");

    const auto out = dir / "teaching" / "sr-deid.dcm";
    auto r = run({"deidentify", sr.string(), "--out", out.string(), "--key", "board secret"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("PS3.15 basic profile"), std::string::npos) << r.out;
    DcmFileFormat deidentified;
    ASSERT_TRUE(deidentified.loadFile(out.c_str()).good());
    DcmDataset& after = *deidentified.getDataset();
    for (const DcmTagKey& emptied :
         {DCM_PatientName, DCM_PatientID, DCM_PatientBirthDate, DCM_PatientSex, DCM_StudyDate, DCM_AccessionNumber})
        EXPECT_EQ(value(after, emptied), "") << DcmTag(emptied).getTagName();
    for (const DcmTagKey& removed : {DCM_SeriesDate, DCM_StudyDescription, DCM_InstanceCreationDate})
        EXPECT_FALSE(after.tagExists(removed)) << DcmTag(removed).getTagName();
    EXPECT_EQ(value(after, DCM_ContentDate), "19000101");  // type 1 in an SR: a dummy, not emptied
    EXPECT_EQ(value(after, DCM_PatientIdentityRemoved), "YES");
    EXPECT_EQ(value(after, DCM_LongitudinalTemporalInformationModified), "REMOVED");
    EXPECT_NE(value(after, DCM_DeidentificationMethod).find("PS3.15 Basic Profile"), std::string::npos);

    // UIDs: new, 2.25 form, consistent (the same key gives the same ones), and the meta header follows.
    for (const DcmTagKey& uid : {DCM_SOPInstanceUID, DCM_StudyInstanceUID, DCM_SeriesInstanceUID}) {
        EXPECT_NE(value(after, uid), value(before, uid));
        EXPECT_TRUE(value(after, uid).starts_with("2.25.")) << value(after, uid);
    }
    EXPECT_EQ(value(*deidentified.getMetaInfo(), DCM_MediaStorageSOPInstanceUID), value(after, DCM_SOPInstanceUID));
    EXPECT_EQ(value(after, DCM_SOPClassUID), value(before, DCM_SOPClassUID));
    const auto again = dir / "again.dcm";
    ASSERT_EQ(run({"deidentify", sr.string(), "--out", again.string(), "--key", "board secret"}).exitCode, 0);
    DcmFileFormat second;
    ASSERT_TRUE(second.loadFile(again.c_str()).good());
    EXPECT_EQ(value(*second.getDataset(), DCM_StudyInstanceUID), value(after, DCM_StudyInstanceUID));

    // The content tree keeps its measurements; no person name is left in it.
    std::vector<std::string> names;
    personNames(after, names);
    for (const std::string& n : names)
        EXPECT_EQ(n, "ANONYMOUS");
    EXPECT_TRUE(after.tagExists(DCM_ContentSequence));
    // No byte of the patient's identity anywhere in the file.
    std::ifstream in(out, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const std::string& identity :
         {std::string("Wang"), std::string("SH-77"), std::string("19610412"), std::string("ACC-20260105"),
          std::string("王秀英"), value(before, DCM_StudyInstanceUID)})
        EXPECT_EQ(bytes.find(identity), std::string::npos) << identity;

    if (toolAvailable("dciodvfy")) {
        const auto v = runProcess({"dciodvfy", out.string()}, dir / "dciodvfy.txt");
        const std::string text = v.out + v.err;
        EXPECT_EQ(text.find("\nError"), std::string::npos) << text;
        EXPECT_FALSE(text.starts_with("Error")) << text;
    }
    EXPECT_EQ(run({"deidentify", sr.string()}).exitCode, 2);
    EXPECT_EQ(run({"deidentify", (dir / "absent.dcm").string(), "--out", (dir / "x.dcm").string()}).exitCode, 1);
}

TEST_F(TrustCli, DeidentifyRefusesAnEncapsulatedPdf)
{
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    ds.putAndInsertString(DCM_SOPClassUID, UID_EncapsulatedPDFStorage);
    ds.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.1");
    ds.putAndInsertString(DCM_PatientName, "Wang^Xiuying");
    ds.putAndInsertString(DCM_MIMETypeOfEncapsulatedDocument, "application/pdf");
    const auto pdf = dir / "review.dcm";
    ASSERT_TRUE(file.saveFile(pdf.c_str(), EXS_LittleEndianExplicit).good());
    const auto r = run({"deidentify", pdf.string(), "--out", (dir / "out.dcm").string()});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("an Encapsulated PDF: its pages print the patient's name"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "out.dcm"));
}
