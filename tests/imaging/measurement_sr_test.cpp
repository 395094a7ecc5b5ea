#include "imaging/measurement_sr.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/dsrdoc.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "imaging/dicom_import.h"
#include "imaging/measurement_csv.h"
#include "imaging/synthetic_series.h"
#include "model/error.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"
#include "store/measurement_repository.h"
#include "support.h"

namespace consilium::imaging {
namespace {
using consilium::testing::TempDir;

const store::Actor kReader{"Dr R. Test", std::nullopt};

std::string run(const std::string& command)
{
    std::string output;
    if (FILE* pipe = ::popen((command + " 2>&1").c_str(), "r")) {
        char buffer[4096];
        while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
            output.append(buffer, n);
        ::pclose(pipe);
    }
    return output;
}

bool installed(const char* tool)
{
    return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

std::vector<std::string> linesStartingWith(const std::string& text, const std::string& prefix)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(prefix))
            out.push_back(line);
    return out;
}

// A case with a baseline CT + PET study and a follow-up CT study, small synthetic series (64 × 64, 2.5 mm slices).
struct MeasurementReport : ::testing::Test {
    TempDir dir;
    store::Database db = store::Database::open(dir / "lib" / "consilium.db");
    model::Case c = [&] {
        model::CaseIntake in;
        in.patient.name = "Test^Patient";
        in.patient.referringIdentifier = "SR-1";
        in.question = "Response?";
        in.receivedOn = model::parseIsoDate("2026-11-23");
        return store::CaseRepository(db).create(in, kReader);
    }();
    store::MeasurementRepository repo{db};
    std::string baselineCt, petSeries, followUpCt;

    StudyIdentity study(const char* date)
    {
        StudyIdentity s;
        s.patientName = "Test^Patient";
        s.patientId = "SR-1";
        s.patientBirthDate = "19600101";
        s.patientSex = "F";
        s.studyDate = date;
        s.studyTime = "090000";
        s.studyId = "1";
        s.accessionNumber = std::string("A") + date;
        s.studyDescription = "CT chest";
        s.studyInstanceUid = newUid();
        s.frameOfReferenceUid = newUid();
        s.patientWeightKg = 70;
        return s;
    }

    std::string write(const StudyIdentity& s, SyntheticModality modality, const std::string& name)
    {
        SyntheticSeries x;
        x.modality = modality;
        x.seriesNumber = modality == SyntheticModality::PT ? 3 : 2;
        x.seriesDescription = name;
        x.seriesDate = s.studyDate;
        x.seriesTime = "100000";
        x.columns = x.rows = 64;
        x.slices = 8;
        x.spacingX = x.spacingY = 0.8;
        x.sliceSpacing = 2.5;
        x.firstVoxelLps = {-25.2, -25.2, -10};
        // A 20 mm sphere of 40 HU (or SUV 6) in −100 HU (SUV 1) around the origin.
        const bool pet = modality == SyntheticModality::PT;
        x.value = [pet](double px, double py, double pz) {
            const bool in = px * px + py * py + pz * pz < 100;
            return pet ? (in ? 6.0 : 1.0) * 5000.0 : (in ? 40.0 : -100.0);
        };
        if (pet)
            x.pet = PetDose{350e6, s.studyDate + "090000", 6586.2, "Fludeoxyglucose F^18^"};
        const auto files = writeSyntheticSeries(s, x, dir / name);
        const auto report = importDicomFiles(db, c.id, files, kReader);
        EXPECT_TRUE(report.problems.empty());
        for (const auto& series : store::ImagingIndex(db).series(c.id))
            if (series.seriesDescription == name)
                return series.seriesInstanceUid;
        ADD_FAILURE() << "series " << name << " not indexed";
        return "";
    }

    void SetUp() override
    {
        const StudyIdentity base = study("20260105");
        baselineCt = write(base, SyntheticModality::CT, "CT baseline");
        petSeries = write(base, SyntheticModality::PT, "PET baseline");
        followUpCt = write(study("20260410"), SyntheticModality::CT, "CT follow-up");
    }

    // On the axial slice at z = 0 (slice 4 of 8: −10 + 4 · 2.5), with the nearest image as its reference.
    model::Measurement on(const std::string& series, model::MeasurementKind kind, std::vector<model::Point3> points)
    {
        model::Measurement m;
        m.kind = kind;
        m.seriesInstanceUid = series;
        const auto image = repo.nearestSourceImage(c.id, series, points.front());
        EXPECT_TRUE(image);
        m.plane = image->plane;
        m.sopInstanceUid = image->sopInstanceUid;
        m.points = std::move(points);
        return m;
    }
};

TEST_F(MeasurementReport, RoundTripAndValidators)
{
    model::Lesion primary;
    primary.name = "RLL primary";
    primary.location = "lung";
    primary = repo.addLesion(c.id, primary, kReader);

    auto bi = [&](const std::string& series, double longMm, double shortMm) {
        auto m = on(series, model::MeasurementKind::Bidirectional,
                    {{-longMm / 2, 0, 0}, {longMm / 2, 0, 0}, {0, -shortMm / 2, 0}, {0, shortMm / 2, 0}});
        m.lesionId = primary.id;
        return repo.add(c.id, m, kReader);
    };
    bi(baselineCt, 20, 18);
    bi(followUpCt, 12.5, 10);
    repo.add(c.id, on(baselineCt, model::MeasurementKind::Line, {{-10, 5, 0}, {13.5, 5, 0}}), kReader);
    repo.add(c.id, on(baselineCt, model::MeasurementKind::Ellipse, {{0, 0, 0}, {8, 0, 0}, {0, 6, 0}}), kReader);
    repo.add(c.id,
             on(petSeries, model::MeasurementKind::Polygon, {{-12, -12, 0}, {12, -12, 0}, {12, 12, 0}, {-12, 12, 0}}),
             kReader);
    repo.add(c.id, on(baselineCt, model::MeasurementKind::Angle, {{10, 0, 0}, {0, 0, 0}, {0, 10, 0}}), kReader);
    auto arrow = on(baselineCt, model::MeasurementKind::Arrow, {{0, 0, 0}, {15, 15, 0}});
    arrow.label = "necrotic core";
    repo.add(c.id, arrow, kReader);

    const char* keep = std::getenv("CONSILIUM_KEEP_SR");  // a path: keep a copy to inspect by hand
    const auto sr = keep ? std::filesystem::path(keep) : dir / "out" / "measurements.dcm";
    const MeasurementReportSummary summary = writeMeasurementReport(db, c.id, sr, "Test^Reader");
    EXPECT_EQ(summary.groups, 6);
    EXPECT_EQ(summary.leftOut, 1);
    EXPECT_EQ(summary.images, 3);  // slice 4 of each of the three series
    ASSERT_TRUE(std::filesystem::exists(sr));

    // Read it back with DCMTK: the tree holds the lengths and the tracking identifiers.
    DcmFileFormat file;
    ASSERT_TRUE(file.loadFile(sr.c_str()).good());
    DSRDocument doc;
    ASSERT_TRUE(doc.read(*file.getDataset()).good());
    EXPECT_EQ(doc.getDocumentType(), DSRTypes::DT_EnhancedSR);
    std::multimap<std::string, double> numbers;  // quantity meaning -> value
    std::vector<std::string> trackingIds, trackingUids, timePoints;
    int regions = 0;
    DSRDocumentTree& tree = doc.getTree();
    ASSERT_GT(tree.gotoRoot(), 0u);
    do {
        const DSRContentItem& item = tree.getCurrentContentItem();
        const std::string quantity = item.getConceptName().getCodeMeaning().c_str();
        if (item.getValueType() == DSRTypes::VT_Num)
            numbers.emplace(quantity, std::stod(item.getNumericValue().getNumericValue().c_str()));
        else if (quantity == "Tracking Identifier")
            trackingIds.push_back(item.getStringValue().c_str());
        else if (quantity == "Tracking Unique Identifier")
            trackingUids.push_back(item.getStringValue().c_str());
        else if (quantity == "Time Point")
            timePoints.push_back(item.getStringValue().c_str());
        else if (item.getValueType() == DSRTypes::VT_SCoord)
            ++regions;
    } while (tree.iterate());
    auto values = [&](const std::string& quantity) {
        std::vector<double> v;
        for (auto [it, end] = numbers.equal_range(quantity); it != end; ++it)
            v.push_back(it->second);
        return v;
    };
    EXPECT_EQ(values("Long Axis"), (std::vector<double>{20, 12.5}));
    EXPECT_EQ(values("Short Axis"), (std::vector<double>{18, 10}));
    EXPECT_EQ(values("Length"), (std::vector<double>{23.5}));
    EXPECT_EQ(values("Angle"), (std::vector<double>{90}));
    ASSERT_EQ(values("Area").size(), 2u);
    EXPECT_NEAR(values("Area")[0], 150.796, 1e-3);  // π · 8 · 6
    EXPECT_NEAR(values("Area")[1], 576, 1e-3);
    EXPECT_EQ(values("Attenuation Coefficient").size(), 4u);  // mean, SD, min, max of the CT ellipse
    EXPECT_EQ(values("Attenuation Coefficient")[0], 40);      // all inside the 40 HU sphere
    EXPECT_EQ(values("SUVbw").size(), 5u);                    // … and of the PET polygon, with SUVpeak
    EXPECT_GE(regions, 6);
    // The lesion keeps one tracking UID across both time points; unassigned measurements have their own.
    EXPECT_EQ(std::count(trackingIds.begin(), trackingIds.end(), "RLL primary"), 2);
    EXPECT_EQ(std::count(trackingUids.begin(), trackingUids.end(), primary.trackingUid), 2);
    EXPECT_EQ(trackingUids.size(), 6u);
    EXPECT_EQ(std::count(timePoints.begin(), timePoints.end(), "20260410"), 1);

    // The SR belongs to the latest study; the others' images are pertinent other evidence.
    OFString studyUid;
    doc.getStudyInstanceUID(studyUid);
    EXPECT_EQ(doc.getCurrentRequestedProcedureEvidence().getNumberOfInstances(), 1u);
    EXPECT_EQ(doc.getPertinentOtherEvidence().getNumberOfInstances(), 2u);

    if (installed("dsrdump")) {
        // stderr only: "E:" lines are errors, "W:" lines warnings. DCMTK's VR checker cannot check UTF-8 text
        // (ISO_IR 192) and says so; that one is about the checker, not the file.
        const std::string messages = run("dsrdump '" + sr.string() + "' 2>&1 >/dev/null; echo \"exit=$?\"");
        EXPECT_NE(messages.find("exit=0"), std::string::npos) << messages;
        EXPECT_TRUE(linesStartingWith(messages, "E:").empty()) << messages;
        for (const auto& w : linesStartingWith(messages, "W:"))
            EXPECT_NE(w.find("does not support this Specific Character Set: ISO_IR 192"), std::string::npos) << w;
        const std::string dump = run("dsrdump '" + sr.string() + "' 2>/dev/null");
        EXPECT_NE(dump.find("<contains NUM:(,,\"Long Axis\")=\"20\" (mm,UCUM,\"millimeter\")>"), std::string::npos)
            << dump;
    } else {
        std::cout << "dsrdump is not installed: the dump check was skipped\n";
    }
    if (installed("dciodvfy")) {
        // dciodvfy exits 0 even on errors: the lines beginning with "Error" are what counts (formats.md).
        const std::string report = run("dciodvfy '" + sr.string() + "'");
        EXPECT_TRUE(linesStartingWith(report, "Error").empty()) << report;
        std::cout << "dciodvfy: " << linesStartingWith(report, "Warning").size() << " warnings\n" << report;
    } else {
        std::cout << "dciodvfy is not installed: the validator check was skipped\n";
    }
}

TEST_F(MeasurementReport, NothingToReport)
{
    EXPECT_THROW(writeMeasurementReport(db, c.id, dir / "none.dcm", "x"), Error);
    EXPECT_FALSE(std::filesystem::exists(dir / "none.dcm"));
}

TEST_F(MeasurementReport, CsvHasOneRowPerMeasurementWithTheValues)
{
    model::Lesion node;
    node.name = "Node, \"subcarinal\"";
    node.location = "mediastinum";
    node.nodal = true;
    node = repo.addLesion(c.id, node, kReader);
    auto m = on(baselineCt, model::MeasurementKind::Bidirectional, {{-9, 0, 0}, {9, 0, 0}, {0, -7.5, 0}, {0, 7.5, 0}});
    m.lesionId = node.id;
    repo.add(c.id, m, kReader);
    repo.add(c.id, on(baselineCt, model::MeasurementKind::Ellipse, {{0, 0, 0}, {8, 0, 0}, {0, 6, 0}}), kReader);
    std::ostringstream out;
    EXPECT_EQ(writeMeasurementCsv(db, c.id, out), 2);
    const std::string csv = out.str();
    std::vector<std::string> lines;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    ASSERT_EQ(lines.size(), 3u) << csv;
    EXPECT_TRUE(lines[0].starts_with("measurement_id,lesion,location,category,nodal,tracking_uid,kind,"));
    EXPECT_NE(lines[1].find(",\"Node, \"\"subcarinal\"\"\",mediastinum,target,yes," + node.trackingUid +
                            ",bidirectional,20260105,CT,"),
              std::string::npos)
        << lines[1];
    EXPECT_NE(lines[1].find(",,18,15,,,,,,,,,,,"), std::string::npos) << lines[1];
    EXPECT_NE(lines[2].find(",ellipse,20260105,CT,"), std::string::npos) << lines[2];
    EXPECT_NE(lines[2].find(",40,0,40,40,HU,,,"), std::string::npos) << lines[2];
}

}  // namespace
}  // namespace consilium::imaging
