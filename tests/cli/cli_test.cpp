#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "process.h"
#include "support.h"

using namespace consilium::testing;

namespace {

struct Cli : ::testing::Test {
    TempDir dir;
    std::filesystem::path db = dir / "consilium.db";

    ProcessResult run(std::vector<std::string> args)
    {
        args.insert(args.begin(), {CONSILIUM_BINARY, "--db", db.string()});
        return runProcess(args, dir / "stderr.txt");
    }

    std::string createCase(const std::string& name = "王秀英")
    {
        auto r = run({"case",           "create",
                      "--patient-name", name,
                      "--question",     "Surgery or chemoradiation?",
                      "--received",     "2026-11-27",
                      "--sex",          "F",
                      "--birth-date",   "1961-04-12",
                      "--institution",  "上海市胸科医院",
                      "--oncologist",   "Dr Chen Wei",
                      "--diagnosis",    "NSCLC IIIA",
                      "--service",      "written-review+video",
                      "--fee",          "1800",
                      "--country",      "China",
                      "--patient-id",   "SH-77"});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return r.out.substr(0, r.out.find(' '));
    }
};

}  // namespace

TEST_F(Cli, VersionAndHelp)
{
    auto v = run({"--version"});
    EXPECT_EQ(v.exitCode, 0);
    EXPECT_TRUE(v.out.starts_with("consilium 0.")) << v.out;
    auto h = run({"help"});
    EXPECT_EQ(h.exitCode, 0);
    for (const char* word : {"case create", "case list", "case show", "case attach", "demo", "--db"})
        EXPECT_NE(h.out.find(word), std::string::npos) << word;
}

TEST_F(Cli, CreateListShowRoundTrip)
{
    const std::string reference = createCase();
    EXPECT_EQ(reference, "SO-2026-0001");
    auto list = run({"case", "list", "--json"});
    ASSERT_EQ(list.exitCode, 0) << list.err;
    EXPECT_NE(list.out.find(R"("reference":"SO-2026-0001")"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find(R"("name":"王秀英")"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find(R"("due_on":"2026-12-11")"), std::string::npos) << list.out;  // Fri + 10 business days
    EXPECT_NE(list.out.find(R"("business_days_left":)"), std::string::npos);

    auto show = run({"case", "show", reference, "--json"});
    ASSERT_EQ(show.exitCode, 0) << show.err;
    for (const char* fragment : {R"("referring_institution":"上海市胸科医院")", R"("service":"written-review+video")",
                                 R"("fee_quoted_usd":1800)", R"("status":"received")", R"("treatment_history":[])",
                                 R"("attachments":[])", R"("birth_date":"1961-04-12")"})
        EXPECT_NE(show.out.find(fragment), std::string::npos) << fragment << "\n" << show.out;
    auto byId = run({"case", "show", "1"});
    EXPECT_EQ(byId.exitCode, 0);
    EXPECT_NE(byId.out.find("Surgery or chemoradiation?"), std::string::npos);
}

TEST_F(Cli, AttachStoresOnceAndShowsIt)
{
    const std::string reference = createCase();
    const auto letter = dir / "letter.pdf";
    std::ofstream(letter) << "%PDF-1.4 letter";
    auto a = run({"case", "attach", reference, letter.string(), letter.string(), "--kind", "letter"});
    ASSERT_EQ(a.exitCode, 0) << a.err;
    auto show = run({"case", "show", reference, "--json"});
    const auto first = show.out.find(R"("kind":"letter")");
    ASSERT_NE(first, std::string::npos) << show.out;
    EXPECT_EQ(show.out.find(R"("kind":"letter")", first + 1), std::string::npos) << "stored twice: " << show.out;
}

TEST_F(Cli, UsageErrorsExitTwoWithOneLine)
{
    createCase();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"case", "create", "--patient-name", "X"},  // no question
             {"case", "create", "--patient-name", "X", "--question", "Q", "--received", "27/11/2026"},
             {"case", "create", "--patient-name", "X", "--question", "Q", "--fee", "a lot"},
             {"case", "create", "--patient-name", "X", "--question", "Q", "--colour", "red"},
             {"case", "create", "--patient-name", "X", "--question", "Q", "--service", "phone"},
             {"case", "attach", "SO-2026-0001", "x.pdf", "--kind", "xray"},
             {"case", "attach", "SO-2026-0001"},
             {"case", "show"},
             {"case", "frobnicate"},
             {"teleport"},
             {"demo", "--colour", "red"},
             {"demo", "extra"},
             {"settings", "--turnaround-days", "ten"},
             {"settings", "--turnaround-days", "0"},
         }) {
        auto r = run(args);
        EXPECT_EQ(r.exitCode, 2) << args.back() << ": " << r.err;
        EXPECT_TRUE(r.err.starts_with("consilium: ")) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST_F(Cli, FailuresExitOneNamingTheFileOrCase)
{
    createCase();
    auto missingCase = run({"case", "show", "SO-1999-0042"});
    EXPECT_EQ(missingCase.exitCode, 1);
    EXPECT_NE(missingCase.err.find("case SO-1999-0042: no such case"), std::string::npos) << missingCase.err;

    const auto missing = (dir / "nowhere.pdf").string();
    auto missingFile = run({"case", "attach", "SO-2026-0001", missing, "--kind", "letter"});
    EXPECT_EQ(missingFile.exitCode, 1);
    EXPECT_NE(missingFile.err.find(missing + ": file not found"), std::string::npos) << missingFile.err;
}

TEST_F(Cli, RefusesAFileThatIsNotADatabase)
{
    std::ofstream(db) << "not a database";
    auto r = run({"case", "list"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find(db.string() + ": not a Consilium database"), std::string::npos) << r.err;
    std::ifstream in(db);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "not a database");
}

TEST_F(Cli, TurnaroundIsConfigurableAndUsedForNewCases)
{
    auto set = run({"settings", "--turnaround-days", "7", "--json"});
    ASSERT_EQ(set.exitCode, 0) << set.err;
    EXPECT_EQ(set.out, "{\"turnaround_business_days\":7}\n");
    auto created = run({"case", "create", "--patient-name", "A", "--question", "Q", "--received", "2026-11-23"});
    ASSERT_EQ(created.exitCode, 0) << created.err;
    EXPECT_NE(created.out.find("due 2026-12-02"), std::string::npos) << created.out;  // Mon + 7 business days
}

TEST_F(Cli, DefaultDatabaseLivesInConsiliumHome)
{
    const auto home = dir / "home";
    const std::string command = "CONSILIUM_HOME=" + shellQuote(home.string()) + " " + CONSILIUM_BINARY;
    auto r = runProcess({"sh", "-c", command + " case list"}, dir / "stderr.txt");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(home / "consilium.db"));
}

TEST_F(Cli, ImportSkipsNonDicomListsBrokenFilesAndChangesNothingTheSecondTime)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_CT_cropped_GE-DiscoveryST");
    const auto series = sharedData() / "dicom/series/STS_001_CT_cropped_GE-DiscoveryST";
    auto created = run({"case", "create", "--patient-name", "Test", "--question", "Q", "--patient-id", "STS_001"});
    ASSERT_EQ(created.exitCode, 0) << created.err;
    // A truncated copy of a real instance, and a text file.
    const auto broken = dir / "broken.dcm";
    {
        std::ifstream in(series / "000010.dcm", std::ios::binary);
        std::string bytes(std::istreambuf_iterator<char>(in), {});
        std::ofstream(broken, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    }
    const auto notes = dir / "notes.txt";
    std::ofstream(notes) << "burned by the referring PACS";

    auto first = run({"case", "import", "SO-2026-0001", series.string(), broken.string(), notes.string(), "--json"});
    ASSERT_EQ(first.exitCode, 0) << first.err;
    EXPECT_NE(first.out.find(R"("imported":59,"already_present":0,"skipped_not_dicom":1)"), std::string::npos)
        << first.out;
    EXPECT_NE(first.out.find(broken.string() + ": truncated"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find(R"("patient_mismatch":[])"), std::string::npos) << first.out;

    auto again = run({"case", "import", "SO-2026-0001", series.string(), "--json"});
    EXPECT_NE(again.out.find(R"("imported":0,"already_present":59)"), std::string::npos) << again.out;
    auto show = run({"case", "show", "SO-2026-0001", "--json"});
    EXPECT_NE(show.out.find(R"("instances":59)"), std::string::npos);

    auto onlyBroken = run({"case", "import", "SO-2026-0001", broken.string()});
    EXPECT_EQ(onlyBroken.exitCode, 1) << "nothing usable must be a failure";
}

TEST_F(Cli, ImportFollowsADicomdirAndFlagsAnotherPatientUntilConfirmed)
{
    CONSILIUM_REQUIRE_SHARED("dicom/dicomdir/pydicom_dicomdirtests/DICOMDIR");
    createCase();  // the case's patient is SH-77
    auto r = run(
        {"case", "import", "SO-2026-0001", (sharedData() / "dicom/dicomdir/pydicom_dicomdirtests/DICOMDIR").string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("31 instances imported")) << r.out;
    EXPECT_NE(r.out.find("patient to confirm: Routine Brain (CT): patient ID 77654033 in the files, SH-77 in the case"),
              std::string::npos)
        << r.out;
    auto show = run({"case", "show", "SO-2026-0001", "--json"});
    const auto at = show.out.find(R"("description":"Routine Brain")");
    ASSERT_NE(at, std::string::npos) << show.out;
    const auto uidStart = show.out.rfind(R"("series_instance_uid":")", at) + 23;
    const std::string uid = show.out.substr(uidStart, show.out.find('"', uidStart) - uidStart);
    auto confirm = run({"case", "confirm-patient", "SO-2026-0001", uid});
    EXPECT_EQ(confirm.exitCode, 0) << confirm.err;
    auto after = run({"case", "show", "SO-2026-0001", "--json"});
    EXPECT_NE(after.out.find(R"("series_instance_uid":")" + uid), std::string::npos);
    const auto series = after.out.find(R"("series_instance_uid":")" + uid);
    EXPECT_NE(after.out.find(R"("patient_check":"confirmed")", series), std::string::npos) << after.out;
    auto twice = run({"case", "confirm-patient", "SO-2026-0001", uid});
    EXPECT_EQ(twice.exitCode, 1);
}

TEST_F(Cli, InspectNeedsNoDatabaseAndReportsGeometryAndSuv)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_PT_FDG_GE-DiscoveryST");
    const auto pet = sharedData() / "dicom/series/STS_001_PT_FDG_GE-DiscoveryST";
    auto r =
        runProcess({CONSILIUM_BINARY, "--db", (dir / "never-created.db").string(), "inspect", pet.string(), "--json"},
                   dir / "stderr.txt");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "never-created.db"));
    for (const char* fragment : {R"("modality":"PT")", R"("rows":128)", R"("slices":267)",
                                 R"("suv":{"status":"ok","factor":0.00024290)", R"("skipped":0,"errors":[])"})
        EXPECT_NE(r.out.find(fragment), std::string::npos) << fragment << "\n" << r.out.substr(0, 600);
    EXPECT_EQ(run({"inspect", pet.string()}).exitCode, 2);  // JSON only
    EXPECT_EQ(run({"inspect", "--json"}).exitCode, 2);
}

TEST_F(Cli, SuvOfACaseSeriesWithAnAuditedReviewerOverride)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_PT_FDG_GE-DiscoveryST");
    const auto pet = sharedData() / "dicom/series/STS_001_PT_FDG_GE-DiscoveryST";
    ASSERT_EQ(run({"case", "create", "--patient-name", "X", "--question", "Q", "--patient-id", "STS_001"}).exitCode, 0);
    ASSERT_EQ(run({"case", "import", "SO-2026-0001", pet.string()}).exitCode, 0);
    const auto inspect = run({"inspect", pet.string(), "--json"}).out;
    const auto at = inspect.find(R"("series_uid":")") + 14;
    const std::string uid = inspect.substr(at, inspect.find('"', at) - at);

    // Hand computation from the header (README): 71 kg, 388.78 MBq at 10:35:00, scan 11:20:11, T½ 6588 s.
    const double decayed = 388.78e6 * std::exp2(-(45 * 60 + 11) / 6588.0);
    auto header = run({"case", "suv", "SO-2026-0001", uid, "--json"});
    ASSERT_EQ(header.exitCode, 0) << header.err;
    const double factor = std::stod(header.out.substr(header.out.find(R"("factor":)") + 9));
    EXPECT_NEAR(factor, 71 * 1000 / decayed, 1e-4 * factor);  // the dose above is rounded to 10 kBq

    EXPECT_EQ(run({"case", "suv", "SO-2026-0001", uid, "--weight", "80"}).exitCode, 2) << "a reason is required";
    auto overridden =
        run({"case", "suv", "SO-2026-0001", uid, "--weight", "80", "--reason", "weighed at scan", "--json"});
    ASSERT_EQ(overridden.exitCode, 0) << overridden.err;
    const double corrected = std::stod(overridden.out.substr(overridden.out.find(R"("factor":)") + 9));
    EXPECT_NEAR(corrected, factor * 80 / 71, 1e-12);
    EXPECT_NE(overridden.out.find("weighed at scan"), std::string::npos);
    EXPECT_NE(overridden.out.find(R"("overridden":true)"), std::string::npos);

    ASSERT_EQ(run({"case", "suv", "SO-2026-0001", uid, "--clear"}).exitCode, 0);
    auto cleared = run({"case", "suv", "SO-2026-0001", uid, "--json"});
    EXPECT_NEAR(std::stod(cleared.out.substr(cleared.out.find(R"("factor":)") + 9)), factor, 1e-15);
    EXPECT_EQ(run({"case", "suv", "SO-2026-0001", "1.2.3"}).exitCode, 1);  // not a series of this case
}
