// `consilium inspect --json`: files, folders and DICOMDIRs in; volumes, geometry, value ranges, SUV, skipped files
// and broken files out, in exactly the documented shape.
#include "imaging/inspect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "imaging/synthetic_series.h"
#include "support.h"

namespace consilium::imaging {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

StudyIdentity study()
{
    StudyIdentity s;
    s.patientName = "Inspect^Test";
    s.patientId = "INS1";
    s.studyDate = "20260301";
    s.studyTime = "101500";
    s.patientWeightKg = 70;
    return s;
}

SyntheticSeries series(SyntheticModality modality, int slices)
{
    SyntheticSeries s;
    s.modality = modality;
    s.seriesDescription = modality == SyntheticModality::PT ? "PET WB" : "CT chest";
    s.seriesDate = "20260301";
    s.seriesTime = "101500";
    s.columns = 16;
    s.rows = 12;
    s.slices = slices;
    s.spacingX = 0.75;
    s.spacingY = 1.25;
    s.sliceSpacing = 2.5;
    s.firstVoxelLps = {-20.5, -10.25, 30};
    s.value = [](double x, double y, double z) { return 100 + x + 2 * y + 3 * z; };
    if (modality == SyntheticModality::PT) {
        s.value = [](double x, double y, double z) { return 5000 + 10 * x + z; };
        s.pet = PetDose{3.5e8, "20260301093000", 6586.2, "Fludeoxyglucose F^18^"};
    }
    return s;
}

const InspectedVolume* find(const InspectReport& r, const std::string& modality)
{
    for (const InspectedVolume& v : r.series)
        if (v.modality == modality)
            return &v;
    return nullptr;
}

bool hasWarning(const InspectedVolume& v, const std::string& code)
{
    return std::any_of(v.warnings.begin(), v.warnings.end(), [&](const GeometryWarning& w) { return w.code == code; });
}

// Every key appears, in this order, after the previous one.
void expectKeysInOrder(const std::string& json, const std::vector<std::string>& keys)
{
    std::size_t at = 0;
    for (const std::string& key : keys) {
        const std::size_t found = json.find("\"" + key + "\":", at);
        ASSERT_NE(found, std::string::npos) << "key " << key << " missing or out of order in " << json;
        at = found + key.size();
    }
}

TEST(Inspect, SyntheticFolderGivesGeometryRangeAndSuv)
{
    TempDir dir;
    writeSyntheticSeries(study(), series(SyntheticModality::CT, 5), dir / "case/ct");
    writeSyntheticSeries(study(), series(SyntheticModality::PT, 4), dir / "case/pt");
    std::ofstream(dir / "case/notes.txt") << "referral notes, not DICOM; inspect counts this file as skipped\n";

    const InspectReport report = inspect({dir / "case"});
    EXPECT_EQ(report.skipped, 1u);
    EXPECT_TRUE(report.errors.empty());
    ASSERT_EQ(report.series.size(), 2u);

    const InspectedVolume* ct = find(report, "CT");
    ASSERT_NE(ct, nullptr);
    EXPECT_EQ(ct->description, "CT chest");
    EXPECT_EQ(ct->manufacturer, "Consilium");
    EXPECT_EQ(ct->columns, 16);
    EXPECT_EQ(ct->rows, 12);
    EXPECT_EQ(ct->slices, 5);
    EXPECT_EQ(ct->spacing, (std::array<double, 3>{0.75, 1.25, 2.5}));
    EXPECT_EQ(ct->origin, (std::array<double, 3>{-20.5, -10.25, 30}));
    EXPECT_EQ(ct->direction, (std::array<double, 9>{1, 0, 0, 0, 1, 0, 0, 0, 1}));
    EXPECT_EQ(ct->transferSyntaxes, (std::vector<std::string>{"1.2.840.10008.1.2.1"}));
    EXPECT_EQ(ct->suv.status, model::SuvResult::Status::NotPet);
    // HU = 100 + x + 2y + 3z over the grid, rounded by the writer.
    const double lo = 100 - 20.5 + 2 * -10.25 + 3 * 30,
                 hi = 100 + (-20.5 + 15 * 0.75) + 2 * (-10.25 + 11 * 1.25) + 3 * 40;
    ASSERT_TRUE(ct->minimum && ct->maximum);
    EXPECT_NEAR(*ct->minimum, lo, 0.5);
    EXPECT_NEAR(*ct->maximum, hi, 0.5);

    const InspectedVolume* pt = find(report, "PT");
    ASSERT_NE(pt, nullptr);
    ASSERT_EQ(pt->suv.status, model::SuvResult::Status::Ok) << pt->suv.reason;
    // 70 kg, 3.5e8 Bq injected 45 min before the series start, F-18.
    const double decayed = 3.5e8 * std::pow(2.0, -2700.0 / 6586.2);
    EXPECT_NEAR(pt->suv.factorBw, 70000.0 / decayed, 1e-9);
    ASSERT_TRUE(pt->maximum);
    EXPECT_NEAR(*pt->maximum, 5000 + 10 * (-20.5 + 15 * 0.75) + 37.5, 1.0);  // Bq/mL, after each slice's slope

    const std::string json = toJson(report);
    EXPECT_EQ(json.rfind("{\"series\":[{\"series_uid\":", 0), 0u) << json;
    expectKeysInOrder(
        json, {"series",  "series_uid", "modality",  "description",       "manufacturer", "rows", "columns", "slices",
               "spacing", "origin",     "direction", "transfer_syntaxes", "warnings",     "suv",  "status",  "factor",
               "reason",  "min",        "max",       "skipped",           "errors"});
    EXPECT_NE(json.find("\"spacing\":[0.75,1.25,2.5]"), std::string::npos) << json;
    EXPECT_NE(json.find("\"direction\":[1,0,0,0,1,0,0,0,1]"), std::string::npos) << json;
    EXPECT_NE(json.find("\"suv\":{\"status\":\"not-pet\",\"factor\":null,\"reason\":null}"), std::string::npos);
    EXPECT_NE(json.find("\"suv\":{\"status\":\"ok\",\"factor\":0.000"), std::string::npos) << json;
    EXPECT_NE(json.find("\"skipped\":1,\"errors\":[]}"), std::string::npos) << json;
    EXPECT_EQ(json, inspectJson({dir / "case"}));
}

TEST(Inspect, PetWithoutWeightSaysWhySuvIsUnavailable)
{
    TempDir dir;
    StudyIdentity noWeight = study();
    noWeight.patientWeightKg = 0;  // PatientWeight not written
    writeSyntheticSeries(noWeight, series(SyntheticModality::PT, 3), dir / "pt");
    const InspectReport report = inspect({dir / "pt"});
    ASSERT_EQ(report.series.size(), 1u);
    const model::SuvResult& suv = report.series[0].suv;
    EXPECT_EQ(suv.status, model::SuvResult::Status::Unavailable);
    EXPECT_NE(suv.reason.find("PatientWeight"), std::string::npos) << suv.reason;
    const std::string json = toJson(report);
    EXPECT_NE(json.find("\"suv\":{\"status\":\"unavailable\",\"factor\":null,\"reason\":\""), std::string::npos)
        << json;
}

TEST(Inspect, BrokenFilesAreErrorsAndMissingPathsToo)
{
    TempDir dir;
    const auto files = writeSyntheticSeries(study(), series(SyntheticModality::CT, 4), dir / "ct");
    fs::resize_file(files[2], fs::file_size(files[2]) / 2);
    std::ofstream(dir / "ct/empty.dcm").flush();
    const InspectReport report = inspect({dir / "ct", dir / "nowhere"});
    std::map<std::string, std::string> errors(report.errors.begin(), report.errors.end());
    EXPECT_EQ(errors.size(), 3u);
    EXPECT_TRUE(errors.count(files[2].string()));
    EXPECT_NE(errors[(dir / "ct/empty.dcm").string()].find("empty file"), std::string::npos);
    EXPECT_EQ(errors[(dir / "nowhere").string()], "no such file or folder");
    ASSERT_EQ(report.series.size(), 1u);
    EXPECT_EQ(report.series[0].slices, 4);  // 3 readable slices around a 5 mm hole, resampled at 2.5 mm
    EXPECT_TRUE(hasWarning(report.series[0], "non-uniform-spacing"));
    const std::string json = toJson(report);
    EXPECT_NE(json.find("{\"file\":\"" + (dir / "nowhere").string() + "\",\"reason\":\"no such file or folder\"}"),
              std::string::npos)
        << json;
}

TEST(InspectRealData, EverySeriesWithItsGeometryAndThePetSuv)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series");
    const InspectReport report = inspect({testing::sharedData() / "dicom/series"});
    EXPECT_EQ(report.skipped, 0u);
    EXPECT_TRUE(report.errors.empty()) << report.errors.front().first << ": " << report.errors.front().second;
    ASSERT_EQ(report.series.size(), 6u);
    std::map<std::string, const InspectedVolume*> byDescription;
    for (const InspectedVolume& v : report.series)
        byDescription[v.description] = &v;

    const InspectedVolume* pet = byDescription.at("PET AC");
    EXPECT_EQ(pet->slices, 267);
    EXPECT_EQ(pet->manufacturer, "GE MEDICAL SYSTEMS");
    ASSERT_EQ(pet->suv.status, model::SuvResult::Status::Ok) << pet->suv.reason;
    // README: SUVbw factor 2.42903e-4 (71 kg, 3.88777472e8 Bq at 10:35:00, series 11:20:11, half-life 6588 s),
    // checked here: 71000 / (3.88777472e8 × 2^(−2711 / 6588)).
    EXPECT_NEAR(pet->suv.factorBw, 71000.0 / (3.88777472e8 * std::pow(2.0, -2711.0 / 6588.0)), 1e-9);
    EXPECT_NEAR(pet->suv.factorBw, 2.42903e-4, 2e-9);
    EXPECT_TRUE(hasWarning(*pet, "non-uniform-spacing"));
    ASSERT_TRUE(pet->maximum);
    EXPECT_GT(*pet->maximum, 10000);

    const InspectedVolume* crlm = byDescription.at("CT CH/AB/PEL");
    EXPECT_EQ(crlm->rows, 512);
    EXPECT_EQ(crlm->slices, 41);
    EXPECT_EQ(crlm->spacing[2], 5.0);
    EXPECT_EQ(crlm->suv.status, model::SuvResult::Status::NotPet);

    const InspectedVolume* mr = byDescription.at("AXIAL SE T2 FAT SAT - RESEARCH");
    EXPECT_EQ(mr->slices, 40);
    EXPECT_TRUE(hasWarning(*mr, "slice-gap"));
    EXPECT_GT(std::abs(mr->direction[7]), 0.03);  // oblique

    for (const InspectedVolume& v : report.series) {
        EXPECT_TRUE(v.minimum && v.maximum) << v.description;
        EXPECT_EQ(v.transferSyntaxes.size(), 1u) << v.description;
    }
}

TEST(InspectRealData, DicomDirReadsTheFilesItsRecordsName)
{
    CONSILIUM_REQUIRE_SHARED("dicom/dicomdir/pydicom_dicomdirtests/DICOMDIR");
    const fs::path dicomDir = testing::sharedData() / "dicom/dicomdir/pydicom_dicomdirtests/DICOMDIR";
    const InspectReport viaIndex = inspect({dicomDir});
    EXPECT_EQ(viaIndex.skipped, 0u);
    std::set<std::string> uids;
    int images = 0;
    for (const InspectedVolume& v : viaIndex.series) {
        uids.insert(v.seriesInstanceUid);
        images += v.slices;
    }
    for (const auto& [file, reason] : viaIndex.errors)
        ADD_FAILURE() << file << ": " << reason;
    EXPECT_EQ(uids.size(), 13u);  // 13 SERIES records
    // CR images are MONOCHROME1 and 16×16 like everything here.
    bool sawCr = false;
    for (const InspectedVolume& v : viaIndex.series) {
        EXPECT_EQ(v.rows, 16) << v.seriesInstanceUid;
        sawCr = sawCr || v.modality == "CR";
    }
    EXPECT_TRUE(sawCr);

    // Walking the folder finds the same images; the DICOMDIR file itself is skipped (an index, not an image).
    const InspectReport walked = inspect({dicomDir.parent_path()});
    EXPECT_EQ(walked.skipped, 1u);
    int walkedImages = 0;
    for (const InspectedVolume& v : walked.series)
        walkedImages += v.slices;
    EXPECT_EQ(walkedImages, images);
    EXPECT_EQ(walked.series.size(), viaIndex.series.size());
}

TEST(InspectRealData, TransferSyntaxZooDecodesEverything)
{
    CONSILIUM_REQUIRE_SHARED("dicom/single");
    const InspectReport report = inspect({testing::sharedData() / "dicom/single"});
    // The HTJ2K sample decodes (pixel_decoder_test) but has neither StudyInstanceUID nor SeriesInstanceUID: it belongs
    // to no series, and the index refuses it the same way.
    const fs::path htj2k = testing::sharedData() / "dicom/single/pydicom-data/HTJ2K_08_RGB.dcm";
    ASSERT_EQ(report.errors.size(), 1u) << report.errors.front().first << ": " << report.errors.front().second;
    EXPECT_EQ(report.errors.front().first, htj2k.string());
    EXPECT_EQ(report.errors.front().second, "missing SeriesInstanceUID");
    EXPECT_EQ(report.skipped, 0u);
    std::set<std::string> syntaxes;
    for (const InspectedVolume& v : report.series) {
        EXPECT_TRUE(v.minimum && v.maximum) << v.seriesInstanceUid;
        syntaxes.insert(v.transferSyntaxes.begin(), v.transferSyntaxes.end());
    }
    // The MR_small and dcm_qa_ts families are one image re-encoded: one series, the copies reported and used once.
    for (const char* uid :
         {"1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
          "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91"})
        EXPECT_TRUE(syntaxes.count(uid)) << uid;
    std::size_t repeated = 0;
    for (const InspectedVolume& v : report.series)
        repeated += hasWarning(v, "duplicate-instance") || hasWarning(v, "duplicate-position") ? 1 : 0;
    EXPECT_GE(repeated, 2u);
}

}  // namespace
}  // namespace consilium::imaging
