#include <gtest/gtest.h>

#include <fstream>

#include "process.h"
#include "support.h"

using namespace consilium::testing;

namespace {

// `consilium report …` end to end through the real executable: each reviewer writes their sections, the chair
// compiles, finalizes and exports; the refusals come back as one line naming who and what.
struct ReviewCli : ::testing::Test {
    TempDir dir;
    std::filesystem::path db = dir / "consilium.db";
    std::string reference;

    ProcessResult run(std::vector<std::string> args)
    {
        args.insert(args.begin(), {CONSILIUM_BINARY, "--db", db.string()});
        return runProcess(args, dir / "stderr.txt");
    }

    void SetUp() override
    {
        auto r = run({"case", "create", "--patient-name", "王秀英", "--question", "Surgery or chemoradiation?",
                      "--received", "2026-11-27", "--patient-id", "SH-77", "--birth-date", "1961-04-12", "--sex", "F",
                      "--institution", "上海市胸科医院", "--oncologist", "Dr Chen Wei"});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        reference = r.out.substr(0, r.out.find(' '));
    }

    ProcessResult section(const std::string& key, const std::string& name, const std::string& role, bool ready)
    {
        std::vector<std::string> args{"report", "section", reference, key,      "--as",
                                      name,     "--role",  role,      "--text", "**" + key + "**: the finding."};
        if (ready)
            args.push_back("--ready");
        return run(args);
    }

    void writeAllSections(bool chairReady)
    {
        ASSERT_EQ(section("pathology", "Dr Priya Raman", "pathologist", true).exitCode, 0);
        ASSERT_EQ(section("radiology", "Dr Jonas Berg", "radiologist", true).exitCode, 0);
        for (const char* key :
             {"pathway", "trials", "answer", "treatment-location", "limitations", "video-consultation"})
            ASSERT_EQ(section(key, "Dr Amelia Rossi", "board-chair", chairReady).exitCode, 0);
    }
};

}  // namespace

TEST_F(ReviewCli, RoleRefusalsAreOneLineNamingWhoAndWhat)
{
    auto r = section("pathology", "Dr Jonas Berg", "radiologist", true);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err,
              "consilium: Dr Jonas Berg (radiologist): cannot edit the section 'Pathology re-review': only the "
              "pathologist writes it (signed in as radiologist)\n");
    r = section("answer", "Dr Priya Raman", "pathologist", true);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("only the board chair writes it"), std::string::npos) << r.err;
    r = run({"report", "pathology", reference, "--as", "Dr Jonas Berg", "--diagnosis", "Adenocarcinoma"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("cannot edit the pathology findings"), std::string::npos) << r.err;

    writeAllSections(true);
    r = run({"report", "finalize", reference, "--as", "Dr Jonas Berg"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err,
              "consilium: Dr Jonas Berg (radiologist): cannot finalize the review: only the board chair "
              "signs it\n");
    r = run({"report", "finalize", reference, "--as", "Nobody Known"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("is not a registered reviewer"), std::string::npos) << r.err;
}

TEST_F(ReviewCli, StructuredFindingsFromTheCommandLine)
{
    auto r = run({"report", "pathology", reference, "--as", "Dr Priya Raman", "--role", "pathologist", "--diagnosis",
                  "Invasive adenocarcinoma", "--grade", "IASLC grade 3", "--grade-agreement", "disagree"});
    EXPECT_EQ(r.exitCode, 2) << "a disagreement without reasoning: " << r.err;
    r = run({"report", "pathology", reference, "--as", "Dr Priya Raman", "--role", "pathologist", "--diagnosis",
             "Invasive adenocarcinoma", "--grade", "IASLC grade 3", "--grade-agreement", "disagree", "--reasoning",
             "Solid pattern 20 %"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    r = run({"report", "radiology", reference, "--as", "Dr Jonas Berg", "--role", "radiologist", "--ct", "cT2a", "--cn",
             "cN2", "--cm", "cM0", "--stage-agreement", "agree", "--study",
             "2026-10-27|FDG PET/CT|Avid primary, SUVmax 11", "--study", "2026-10-29|MR thorax|No invasion"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    r = run({"report", "chair", reference, "--as", "Dr Amelia Rossi", "--role", "board-chair", "--intent", "Curative",
             "--video", "yes", "--trial", "NCT07114520|Consolidation study|III|Milan|open|EGFR+", "--trial",
             "ChiCTR2600087431|Neoadjuvant study|II|Shanghai|china-only|N2 single station"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    r = run({"report", "chair", reference, "--as", "Dr Amelia Rossi", "--trial", "not-an-id|T|III|X|open|E"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    writeAllSections(true);
    r = run({"report", "compile", reference, "--out", (dir / "review.pdf").string(), "--min-pages", "1"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    if (!toolAvailable("pdftotext"))
        GTEST_SKIP() << "poppler-utils not installed";
    const auto text = runProcess({"pdftotext", (dir / "review.pdf").string(), "-"}, dir / "err.txt").out;
    for (const char* expected :
         {"IASLC grade 3", "Solid pattern 20 %", "ChiCTR2600087431", "Open only in", "No invasion", "Advised"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected;
}

TEST_F(ReviewCli, CompileWarnsOutsideThePageBoundsAndTakesLetterPaper)
{
    writeAllSections(false);
    auto r = run({"report", "compile", reference, "--out", (dir / "review.pdf").string(), "--paper", "letter"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find(" pages (letter) → "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("warning: the review has "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("fewer than the 5 expected: expand"), std::string::npos) << r.out;
    r = run({"report", "compile", reference, "--out", (dir / "review.pdf").string(), "--min-pages", "1"});
    EXPECT_EQ(r.out.find("warning"), std::string::npos) << r.out;
    EXPECT_EQ(run({"report", "compile", reference, "--out", "x.pdf", "--paper", "a5"}).exitCode, 2);
    EXPECT_EQ(run({"report", "compile", reference}).exitCode, 2);  // no --out
    EXPECT_EQ(run({"report", "frobnicate", reference}).exitCode, 2);
    EXPECT_EQ(
        run({"report", "section", reference, "summary", "--as", "X", "--role", "board-chair", "--text", "t"}).exitCode,
        2);
}

TEST_F(ReviewCli, FinalizeRefusedWhileDraftThenSignedExportedAndAmended)
{
    writeAllSections(false);
    auto r = run({"report", "finalize", reference, "--as", "Dr Amelia Rossi"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err,
              "consilium: review: cannot be finalized while sections are drafts: Recommended treatment pathway, "
              "Clinical-trial options, Answer to your question, Where treatment could happen, Limitations of this "
              "review, Video consultation\n");
    r = run({"report", "export-dicom", reference, "--out", (dir / "r.dcm").string()});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("has not been finalized yet"), std::string::npos) << r.err;

    writeAllSections(true);
    r = run({"report", "finalize", reference, "--as", "Dr Amelia Rossi"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("version 1 finalized by Dr Amelia Rossi (board chair)"), std::string::npos) << r.out;
    r = run({"report", "export-dicom", reference, "--out", (dir / "r.dcm").string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(std::filesystem::file_size(dir / "r.dcm") > 1000);
    if (toolAvailable("dciodvfy")) {
        const auto check = runProcess({"sh", "-c", "dciodvfy '" + (dir / "r.dcm").string() + "' 2>&1"}, dir / "e");
        EXPECT_EQ(check.out.find("Error"), std::string::npos) << check.out;
    }

    r = run({"report", "finalize", reference, "--as", "Dr Amelia Rossi"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("an amendment needs its reason"), std::string::npos) << r.err;
    r = run({"report", "finalize", reference, "--as", "Dr Amelia Rossi", "--reason", "Trial site corrected"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto status = run({"report", "status", reference, "--json"});
    ASSERT_EQ(status.exitCode, 0) << status.err;
    for (const char* fragment : {R"("case_status":"finalized")", R"("version":1)", R"("version":2)",
                                 R"("amendment_reason":"Trial site corrected")", R"("status":"ready")"})
        EXPECT_NE(status.out.find(fragment), std::string::npos) << fragment << "\n" << status.out;
    EXPECT_EQ(status.out.find(R"("status":"draft")"), std::string::npos);
    // The signed versions cannot be changed with the sqlite3 shell either.
    if (toolAvailable("sqlite3")) {
        const auto sql = runProcess({"sqlite3", db.string(), "UPDATE review_versions SET pages = 99"}, dir / "e");
        std::ifstream e(dir / "e");
        std::string message((std::istreambuf_iterator<char>(e)), std::istreambuf_iterator<char>());
        EXPECT_NE(message.find("a finalized review version is locked"), std::string::npos) << message;
    }
}
