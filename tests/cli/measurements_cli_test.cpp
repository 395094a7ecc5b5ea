// `consilium measurements …` end to end: a case with two CT studies, a lesion measured at both, RECIST, SR and CSV.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "imaging/synthetic_series.h"
#include "process.h"
#include "support.h"

using namespace consilium::testing;

namespace {

struct MeasurementsCli : ::testing::Test {
    TempDir dir;
    std::filesystem::path db = dir / "consilium.db";
    std::string reference;

    ProcessResult run(std::vector<std::string> args)
    {
        args.insert(args.begin(), {CONSILIUM_BINARY, "--db", db.string()});
        return runProcess(args, dir / "stderr.txt");
    }

    // A 64 × 64 × 8 CT (0.8 mm pixels, 2.5 mm slices from z = −10) of one study on `date`.
    void writeCt(const std::string& date, const std::string& folder)
    {
        consilium::imaging::StudyIdentity s;
        s.patientName = "Cli^Patient";
        s.patientId = "CLI-1";
        s.patientBirthDate = "19600101";
        s.patientSex = "F";
        s.studyDate = date;
        s.studyTime = "090000";
        s.studyId = "1";
        s.accessionNumber = "A" + date;
        s.studyDescription = "CT chest";
        consilium::imaging::SyntheticSeries x;
        x.seriesNumber = 2;
        x.seriesDescription = "CT " + date;
        x.seriesDate = date;
        x.seriesTime = "100000";
        x.columns = x.rows = 64;
        x.slices = 8;
        x.spacingX = x.spacingY = 0.8;
        x.sliceSpacing = 2.5;
        x.firstVoxelLps = {-25.2, -25.2, -10};
        x.value = [](double px, double py, double pz) { return px * px + py * py + pz * pz < 100 ? 40.0 : -100.0; };
        consilium::imaging::writeSyntheticSeries(s, x, dir / folder);
    }

    // The series UID of the study on `date`, from `case show --json`.
    std::string seriesOn(const std::string& date)
    {
        const auto show = run({"case", "show", reference, "--json"});
        EXPECT_EQ(show.exitCode, 0) << show.err;
        const std::regex series(
            R"re("series_instance_uid":"([0-9.]+)","study_instance_uid":"[0-9.]+","study_date":")re" + date);
        std::smatch m;
        EXPECT_TRUE(std::regex_search(show.out, m, series)) << show.out;
        return m.size() > 1 ? m[1].str() : "";
    }

    void SetUp() override
    {
        const auto created = run({"case", "create", "--patient-name", "Cli Patient", "--question", "Response?",
                                  "--received", "2026-11-23", "--patient-id", "CLI-1"});
        ASSERT_EQ(created.exitCode, 0) << created.err;
        reference = created.out.substr(0, created.out.find(' '));
        writeCt("20260105", "baseline");
        writeCt("20260410", "followup");
        const auto imported =
            run({"case", "import", reference, (dir / "baseline").string(), (dir / "followup").string()});
        ASSERT_EQ(imported.exitCode, 0) << imported.err;
    }
};

}  // namespace

TEST_F(MeasurementsCli, AddEvaluateAndExport)
{
    const std::string baseline = seriesOn("20260105"), followUp = seriesOn("20260410");
    ASSERT_FALSE(baseline.empty());
    ASSERT_FALSE(followUp.empty());

    // The primary, 24 × 16 mm at baseline (z = 0.4 is projected onto the slice at z = 0), then 15 × 11 mm.
    auto add = run({"measurements", "add", reference, "--series", baseline, "--kind", "bidirectional", "--points",
                    "-12,0,0.4;12,0,0.4;0,-8,0.4;0,8,0.4", "--lesion", "RLL primary", "--location", "lung"});
    ASSERT_EQ(add.exitCode, 0) << add.err;
    EXPECT_NE(add.out.find("24 × 16 mm on 20260105"), std::string::npos) << add.out;
    add = run({"measurements", "add", reference, "--series", followUp, "--kind", "bidirectional", "--points",
               "-7.5,0,0;7.5,0,0;0,-5.5,0;0,5.5,0", "--lesion", "RLL primary"});
    ASSERT_EQ(add.exitCode, 0) << add.err;
    add = run({"measurements", "add", reference, "--series", followUp, "--kind", "arrow", "--points", "0,0,0;10,10,0",
               "--label", "scar"});
    ASSERT_EQ(add.exitCode, 0) << add.err;

    const auto list = run({"measurements", "list", reference, "--json"});
    ASSERT_EQ(list.exitCode, 0) << list.err;
    EXPECT_NE(list.out.find(R"("long_axis_mm":24)"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find(R"("time_point":"20260410")"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find(R"("name":"RLL primary")"), std::string::npos) << list.out;

    // 24 → 15 mm: −37.5 %, PR.
    const auto recist = run({"measurements", "recist", reference, "--json"});
    ASSERT_EQ(recist.exitCode, 0) << recist.err;
    EXPECT_NE(recist.out.find(R"("selection_problems":[])"), std::string::npos) << recist.out;
    EXPECT_NE(recist.out.find(R"("change_from_baseline_percent":-37.5)"), std::string::npos) << recist.out;
    EXPECT_NE(recist.out.find(R"("overall_response":"PR")"), std::string::npos) << recist.out;
    const auto recistText = run({"measurements", "recist", reference});
    EXPECT_NE(recistText.out.find("→ PR"), std::string::npos) << recistText.out;
    EXPECT_NE(recistText.out.find("-37.5 % from baseline"), std::string::npos) << recistText.out;

    const auto sr = dir / "out" / "measurements.dcm";
    const auto exported = run({"measurements", "export", reference, "--format", "sr", "--out", sr.string()});
    ASSERT_EQ(exported.exitCode, 0) << exported.err;
    EXPECT_NE(exported.out.find("2 measurement groups, 2 images referenced, 1 arrows left out"), std::string::npos)
        << exported.out;
    ASSERT_TRUE(std::filesystem::exists(sr));
    if (std::system("command -v dciodvfy >/dev/null 2>&1") == 0) {
        const auto v = runProcess({"dciodvfy", sr.string()}, dir / "dciodvfy.txt");
        const std::string text = v.out + v.err;
        EXPECT_EQ(text.find("\nError"), std::string::npos) << text;
        EXPECT_FALSE(text.starts_with("Error")) << text;
    }

    const auto csvFile = dir / "measurements.csv";
    const auto csv = run({"measurements", "export", reference, "--format", "csv", "--out", csvFile.string()});
    ASSERT_EQ(csv.exitCode, 0) << csv.err;
    std::ifstream in(csvFile);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_NE(lines[1].find(",RLL primary,lung,target,no,"), std::string::npos) << lines[1];
    EXPECT_NE(lines[3].find(",arrow,20260410,CT,"), std::string::npos) << lines[3];

    const auto removed = run({"measurements", "remove", reference, "3"});
    EXPECT_EQ(removed.exitCode, 0) << removed.err;
    EXPECT_EQ(run({"measurements", "remove", reference, "3"}).exitCode, 1);  // already gone
}

TEST_F(MeasurementsCli, ObservationsAndErrors)
{
    const auto help = run({"help"});
    EXPECT_NE(help.out.find("measurements export CASE --format sr|csv --out FILE"), std::string::npos) << help.out;

    const std::string baseline = seriesOn("20260105");
    ASSERT_EQ(run({"measurements", "add", reference, "--series", baseline, "--kind", "line", "--points",
                   "-10,0,0;10,0,0", "--lesion", "Liver segment 7", "--location", "liver"})
                  .exitCode,
              0);
    const auto observed = run({"measurements", "observe", reference, "--lesion", "Liver segment 7", "--time-point",
                               "20260410", "--state", "disappeared"});
    EXPECT_EQ(observed.exitCode, 0) << observed.err;
    const auto recist = run({"measurements", "recist", reference, "--json"});
    EXPECT_NE(recist.out.find(R"("overall_response":"CR")"), std::string::npos) << recist.out;

    // Usage errors exit 2, failures 1, each with one line naming what is wrong.
    auto r = run({"measurements", "export", reference, "--format", "pdf", "--out", (dir / "x").string()});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
    r = run({"measurements", "add", reference, "--series", baseline, "--kind", "circle", "--points", "0,0,0"});
    EXPECT_EQ(r.exitCode, 2);
    r = run({"measurements", "add", reference, "--series", baseline, "--kind", "line", "--points", "0,0,0;a,1,0"});
    EXPECT_EQ(r.exitCode, 2);
    r = run({"measurements", "add", reference, "--series", "9.9.9", "--kind", "line", "--points", "0,0,0;1,0,0"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    r = run({"measurements", "list", "SO-2026-9999"});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    r = run({"measurements", "frobnicate", reference});
    EXPECT_EQ(r.exitCode, 2);
    const auto empty = run({"measurements", "export", reference, "--format", "sr", "--out", (dir / "y.dcm").string()});
    EXPECT_EQ(empty.exitCode, 0) << empty.err;  // the line measurement is reportable
}
