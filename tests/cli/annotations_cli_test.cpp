// `consilium annotations list|import|export`, run as the real executable against a library with one case and two
// slides (one calibrated like CMU-1, one without mpp): round trip through GeoJSON, measures in µm only when
// calibrated, a bad file importing nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "process.h"
#include "store/annotation_repository.h"
#include "store/case_repository.h"
#include "store/slide_repository.h"
#include "support.h"

using namespace consilium;
using namespace consilium::testing;
namespace fs = std::filesystem;

namespace {

const char* kSample = R"({"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1000,0],[1000,500],[0,500],[0,0]]]},
  "properties":{"objectType":"annotation","name":"Block A1","classification":{"name":"Tumor","color":[200,0,0]}}},
 {"type":"Feature","geometry":{"type":"LineString","coordinates":[[100,200],[700,1000]]},
  "properties":{"objectType":"annotation","name":"depth"}},
 {"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[10,10],[20,20],[30,30]]},
  "properties":{"objectType":"annotation","classification":{"name":"Mitosis","color":[255,0,255]}}},
 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[5,5],[9,5],[9,9],[5,5]]]},
  "properties":{"objectType":"cell"}}
]})";

std::string readText(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct AnnotationsCli : ::testing::Test {
    TempDir dir;
    fs::path database = dir / "consilium.db";
    std::string caseReference;
    std::int64_t calibrated = 0, uncalibrated = 0;

    void SetUp() override
    {
        auto db = store::Database::open(database);
        const store::Actor actor{"setup", std::nullopt};
        model::CaseIntake in;
        in.patient.name = "Annotation Patient";
        in.question = "Grade?";
        caseReference = store::CaseRepository(db).create(in, actor).reference;
        const auto caseId = store::CaseRepository(db).find(caseReference).id;
        calibrated = addSlide(db, caseId, "cmu1", "H&E block A1", 0.499);
        uncalibrated = addSlide(db, caseId, "tcga", "TCGA frozen", std::nullopt);
    }

    static std::int64_t addSlide(store::Database& db, std::int64_t caseId, const std::string& name,
                                 const std::string& title, std::optional<double> mpp)
    {
        model::CaseSlide s;
        s.caseId = caseId;
        s.title = title;
        s.originalName = name + ".svs";
        s.sha256 = std::string(64, name[0]);
        s.storedPath = "slides/" + name + ".svs";
        s.info.vendor = "aperio";
        s.info.levels = {{2220, 2967, 1}};
        s.info.mppX = s.info.mppY = mpp;
        return store::SlideRepository(db).add(s, {"setup", std::nullopt}).id;
    }

    ProcessResult run(std::vector<std::string> args)
    {
        args.insert(args.begin(), {CONSILIUM_BINARY, "--db", database.string()});
        return runProcess(args, dir / "stderr.txt");
    }

    fs::path write(const std::string& name, const std::string& text)
    {
        std::ofstream(dir / name, std::ios::binary) << text;
        return dir / name;
    }
};

TEST_F(AnnotationsCli, ImportListExportAndImportBackGiveTheSameAnnotations)
{
    const auto file = write("qupath.geojson", kSample);
    const auto imported = run({"annotations", "import", caseReference, std::to_string(calibrated), file.string()});
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    EXPECT_NE(imported.out.find("5 annotations imported onto slide " + std::to_string(calibrated) +
                                " (unclassified 1, Mitosis 3, Tumor 1)"),
              std::string::npos)
        << imported.out;
    EXPECT_NE(imported.out.find("note: 1 object(s) of type 'cell' were left out"), std::string::npos) << imported.out;

    // Listed by the slide's title; the 1000 × 500 px rectangle at 0.499 µm is 0.1245 mm², the ruler 499 µm.
    const auto listed = run({"annotations", "list", caseReference, "H&E block A1"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_NE(listed.out.find("rectangle  Tumour  \"Block A1\"  0.1245 mm², perimeter 1497 µm"), std::string::npos)
        << listed.out;
    EXPECT_NE(listed.out.find("ruler  unclassified  \"depth\"  499 µm"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("5 annotations: unclassified 1, Mitosis 3, Tumour 1"), std::string::npos) << listed.out;

    const auto json = run({"annotations", "list", caseReference, std::to_string(calibrated), "--json"});
    ASSERT_EQ(json.exitCode, 0) << json.err;
    EXPECT_NE(json.out.find(R"("counts":{"":1,"Mitosis":3,"Tumour":1})"), std::string::npos) << json.out;
    EXPECT_NE(json.out.find(R"("shape":"ruler","class":"","label":"depth")"), std::string::npos) << json.out;
    EXPECT_NE(json.out.find(R"("area_um2":null})"), std::string::npos) << json.out;  // a ruler has no area

    const auto out1 = dir / "first.geojson";
    const auto exported =
        run({"annotations", "export", caseReference, std::to_string(calibrated), "--out", out1.string()});
    ASSERT_EQ(exported.exitCode, 0) << exported.err;
    EXPECT_NE(exported.out.find("5 annotations → "), std::string::npos) << exported.out;

    // Into the other slide and out again: the same features (the measurements differ: that slide is uncalibrated).
    ASSERT_EQ(run({"annotations", "import", caseReference, "tcga.svs", out1.string()}).exitCode, 0);
    const auto out2 = dir / "second.geojson";
    ASSERT_EQ(run({"annotations", "export", caseReference, "tcga.svs", "--out", out2.string()}).exitCode, 0);
    auto geometryOnly = [](std::string text) {
        std::string out;
        for (std::size_t at = 0; (at = text.find(R"("geometry":)", at)) != std::string::npos; ++at)
            out += text.substr(at, text.find(R"(,"measurements")", at) - at) + "\n";
        return out;
    };
    EXPECT_EQ(geometryOnly(readText(out2)), geometryOnly(readText(out1)));
    const std::string second = readText(out2);
    EXPECT_EQ(second.find("µm"), std::string::npos);
    EXPECT_NE(second.find(R"("Area px^2":5e+05)"), std::string::npos) << second;  // shortest form of 500000

    const auto uncalibratedList = run({"annotations", "list", caseReference, std::to_string(uncalibrated)});
    EXPECT_NE(uncalibratedList.out.find("500000 px², perimeter 3000 px (uncalibrated)"), std::string::npos)
        << uncalibratedList.out;
}

TEST_F(AnnotationsCli, ABadFileImportsNothingAndSaysWhere)
{
    const std::string bad = std::string(kSample).replace(std::string(kSample).find("[700,1000]"), 10, "[700,\"x\"]");
    const auto file = write("bad.geojson", bad);
    const auto r = run({"annotations", "import", caseReference, std::to_string(calibrated), file.string()});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "consilium: " + file.string() + ": features[1].geometry.coordinates[1][1]: is not a number\n");
    const auto listed = run({"annotations", "list", caseReference, std::to_string(calibrated)});
    EXPECT_EQ(listed.out, "No annotations on this slide.\n");

    const auto asap = write("bad.xml",
                            "<ASAP_Annotations><Annotations>\n<Annotation Name=\"A\" Type=\"Dot\">"
                            "<Coordinates><Coordinate X=\"1\" Y=\"oops\"/></Coordinates></Annotation>"
                            "</Annotations></ASAP_Annotations>");
    const auto x = run({"annotations", "import", caseReference, std::to_string(calibrated), asap.string()});
    EXPECT_EQ(x.exitCode, 1);
    EXPECT_NE(x.err.find("line 2: annotation 1 ('A'), coordinate 1: Y 'oops' is not a number"), std::string::npos)
        << x.err;
    EXPECT_EQ(run({"annotations", "list", caseReference, std::to_string(calibrated)}).out,
              "No annotations on this slide.\n");
}

TEST_F(AnnotationsCli, UsageErrorsNameTheSlidesOfTheCase)
{
    const auto r = run({"annotations", "list", caseReference, "999"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("slide 999: not a slide of " + caseReference + " (its slides: " + std::to_string(calibrated) +
                         " 'H&E block A1', " + std::to_string(uncalibrated) + " 'TCGA frozen')"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(run({"annotations", "export", caseReference, "1"}).exitCode, 2);  // --out missing
    EXPECT_EQ(run({"annotations", "frobnicate"}).exitCode, 2);
    EXPECT_EQ(run({"annotations", "import", caseReference, std::to_string(calibrated)}).exitCode, 2);
}

}  // namespace
