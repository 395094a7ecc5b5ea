#include "imaging/synthetic_series.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "demo/torso_phantom.h"
#include "imaging/dicom_instance.h"
#include "model/error.h"
#include "support.h"

using namespace consilium;
using consilium::demo::TorsoPhantom;
using consilium::imaging::SyntheticModality;
using consilium::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------------------------
// Reading back with plain DCMTK, independent of the code under test

std::unique_ptr<DcmFileFormat> load(const fs::path& file)
{
    auto ff = std::make_unique<DcmFileFormat>();
    const OFCondition c = ff->loadFile(file.c_str());
    EXPECT_TRUE(c.good()) << file << ": " << c.text();
    return ff;
}

std::string text(DcmItem& item, const DcmTagKey& tag)
{
    OFString v;
    item.findAndGetOFStringArray(tag, v);
    return v.c_str();
}

double number(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0)
{
    Float64 v = std::nan("");
    EXPECT_TRUE(item.findAndGetFloat64(tag, v, pos).good()) << DcmTag(tag).getTagName();
    return v;
}

// Modality values of every pixel: stored value (signed or not, as PixelRepresentation says) x slope + intercept.
std::vector<double> modalityValues(DcmDataset& ds)
{
    Uint16 representation = 0, bits = 0;
    ds.findAndGetUint16(DCM_PixelRepresentation, representation);
    ds.findAndGetUint16(DCM_BitsAllocated, bits);
    EXPECT_EQ(bits, 16);
    // Absent rescale means identity (DCMTK's findAndGet would zero the value instead).
    Float64 slope = 1, intercept = 0;
    if (ds.tagExists(DCM_RescaleSlope))
        ds.findAndGetFloat64(DCM_RescaleSlope, slope);
    if (ds.tagExists(DCM_RescaleIntercept))
        ds.findAndGetFloat64(DCM_RescaleIntercept, intercept);
    const Uint16* pixels = nullptr;
    unsigned long count = 0;
    EXPECT_TRUE(ds.findAndGetUint16Array(DCM_PixelData, pixels, &count).good());
    std::vector<double> values(count);
    for (unsigned long i = 0; i < count; ++i) {
        const double stored = representation == 1 ? double(std::int16_t(pixels[i])) : double(pixels[i]);
        values[i] = stored * slope + intercept;
    }
    return values;
}

// DICOM DA + TM as seconds on a naive clock.
double seconds(const std::string& date, const std::string& time)
{
    using namespace std::chrono;
    const year_month_day ymd{year{std::stoi(date.substr(0, 4))}, month{unsigned(std::stoi(date.substr(4, 2)))},
                             day{unsigned(std::stoi(date.substr(6, 2)))}};
    const double days = double(sys_days{ymd}.time_since_epoch().count());
    return days * 86400.0 + std::stoi(time.substr(0, 2)) * 3600.0 + std::stoi(time.substr(2, 2)) * 60.0 +
           std::stod(time.substr(4));
}

// ---------------------------------------------------------------------------------------------------------------
// The series under test: 64 x 64 x 8 of the phantom, 3 mm voxels, with voxel (32, 32, 4) exactly on the tumour
// centre.

constexpr double kWeightKg = 72.0;
constexpr double kInjectedBq = 370.0e6;
constexpr double kHalfLife = 6586.2;
constexpr int kCentreColumn = 32, kCentreRow = 32, kCentreSlice = 4;

imaging::StudyIdentity testStudy()
{
    imaging::StudyIdentity s;
    s.patientName = "Садыкова^Айгерим";
    s.patientId = "KZ-ALM-0001";
    s.patientBirthDate = "19670314";
    s.patientSex = "F";
    s.studyInstanceUid = imaging::newUid();
    s.studyDate = "20261027";
    s.studyTime = "091000";
    s.studyId = "104412";
    s.accessionNumber = "ACC26104412";
    s.studyDescription = "PET/CT FDG";
    s.referringPhysicianName = "Abenov^Nurlan";
    s.institutionName = "Almaty City Oncology Centre";
    s.frameOfReferenceUid = imaging::newUid();
    s.patientWeightKg = kWeightKg;
    s.patientSizeM = 1.64;
    return s;
}

// Bq/mL of one SUV an hour after injection (what the PT series is written with).
double bqPerMlPerSuv() { return kInjectedBq * std::exp2(-3600.0 / kHalfLife) / (kWeightKg * 1000.0); }

imaging::SyntheticSeries smallSeries(SyntheticModality modality)
{
    static const TorsoPhantom phantom;
    imaging::SyntheticSeries s;
    s.modality = modality;
    s.seriesNumber = modality == SyntheticModality::CT ? 2 : modality == SyntheticModality::PT ? 3 : 5;
    s.seriesDescription = "test series";
    s.seriesDate = "20261027";
    s.seriesTime = "101200";
    s.columns = s.rows = 64;
    s.slices = 8;
    s.spacingX = s.spacingY = 3.0;
    s.sliceSpacing = 2.5;
    const auto& c = TorsoPhantom::kTumourCentre;
    s.firstVoxelLps = {c[0] - kCentreColumn * 3.0, c[1] - kCentreRow * 3.0, c[2] - kCentreSlice * 2.5};
    switch (modality) {
        case SyntheticModality::CT:
            s.value = [](double x, double y, double z) { return phantom.ctHu(x, y, z); };
            break;
        case SyntheticModality::PT:
            s.value = [](double x, double y, double z) { return phantom.petBqPerMl(x, y, z, bqPerMlPerSuv()); };
            s.pet = imaging::PetDose{kInjectedBq, "20261027091200.000000", kHalfLife, "Fludeoxyglucose F^18^"};
            break;
        case SyntheticModality::MR:
            s.value = [](double x, double y, double z) { return phantom.mrT2Signal(x, y, z); };
            break;
    }
    return s;
}

// Position of pixel (column, row) of a slice, from what its header says.
std::array<double, 3> voxelPosition(DcmDataset& ds, int column, int row)
{
    return {number(ds, DCM_ImagePositionPatient, 0) + column * number(ds, DCM_PixelSpacing, 1),
            number(ds, DCM_ImagePositionPatient, 1) + row * number(ds, DCM_PixelSpacing, 0),
            number(ds, DCM_ImagePositionPatient, 2)};
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------

TEST(SyntheticSeries, GeometryAndIdentityOfEverySlice)
{
    TempDir dir;
    const auto study = testStudy();
    const auto series = smallSeries(SyntheticModality::CT);
    const auto files = imaging::writeSyntheticSeries(study, series, dir / "CT");
    ASSERT_EQ(files.size(), 8u);
    std::set<std::string> seriesUids, sopUids;
    for (int k = 0; k < 8; ++k) {
        SCOPED_TRACE(files[std::size_t(k)].string());
        EXPECT_EQ(files[std::size_t(k)].parent_path(), dir / "CT");
        auto ff = load(files[std::size_t(k)]);
        DcmDataset& ds = *ff->getDataset();
        EXPECT_EQ(text(*ff->getMetaInfo(), DCM_TransferSyntaxUID), UID_LittleEndianExplicitTransferSyntax);
        EXPECT_EQ(text(ds, DCM_SOPClassUID), UID_CTImageStorage);
        EXPECT_EQ(text(ds, DCM_Modality), "CT");
        EXPECT_EQ(text(ds, DCM_SpecificCharacterSet), "ISO_IR 192");
        EXPECT_EQ(text(ds, DCM_StudyInstanceUID), study.studyInstanceUid);
        EXPECT_EQ(text(ds, DCM_FrameOfReferenceUID), study.frameOfReferenceUid);
        EXPECT_EQ(text(ds, DCM_ImageOrientationPatient), "1\\0\\0\\0\\1\\0");
        EXPECT_EQ(text(ds, DCM_PixelSpacing), "3\\3");
        EXPECT_DOUBLE_EQ(number(ds, DCM_SliceThickness), 2.5);
        EXPECT_DOUBLE_EQ(number(ds, DCM_ImagePositionPatient, 0), series.firstVoxelLps[0]);
        EXPECT_DOUBLE_EQ(number(ds, DCM_ImagePositionPatient, 1), series.firstVoxelLps[1]);
        EXPECT_DOUBLE_EQ(number(ds, DCM_ImagePositionPatient, 2), series.firstVoxelLps[2] + 2.5 * k);  // to the head
        EXPECT_EQ(text(ds, DCM_InstanceNumber), std::to_string(k + 1));
        EXPECT_EQ(text(ds, DCM_PatientAge), "059Y");
        EXPECT_EQ(text(ds, DCM_ImageType), "DERIVED\\SECONDARY\\AXIAL");
        EXPECT_EQ(text(ds, DCM_PatientPosition), "HFS");
        Uint16 rows = 0, columns = 0;
        ds.findAndGetUint16(DCM_Rows, rows);
        ds.findAndGetUint16(DCM_Columns, columns);
        EXPECT_EQ(rows, 64);
        EXPECT_EQ(columns, 64);
        seriesUids.insert(text(ds, DCM_SeriesInstanceUID));
        sopUids.insert(text(ds, DCM_SOPInstanceUID));
    }
    EXPECT_EQ(seriesUids.size(), 1u);
    EXPECT_EQ(sopUids.size(), 8u);

    // The index reads the same thing, with the Cyrillic name intact.
    const auto header = imaging::readDicomInstance(files[3]);
    EXPECT_EQ(header.patientName, "Садыкова^Айгерим");
    EXPECT_EQ(header.patientId, "KZ-ALM-0001");
    EXPECT_EQ(header.seriesNumber, 2);
    EXPECT_EQ(header.instanceNumber, 4);
    EXPECT_EQ(header.seriesInstanceUid, *seriesUids.begin());
    ASSERT_TRUE(header.imagePosition);
    EXPECT_DOUBLE_EQ((*header.imagePosition)[2], series.firstVoxelLps[2] + 7.5);
}

TEST(SyntheticSeries, CtHoldsTheHounsfieldUnitsOfTheFunction)
{
    TempDir dir;
    const TorsoPhantom phantom;
    const auto files = imaging::writeSyntheticSeries(testStudy(), smallSeries(SyntheticModality::CT), dir.path());
    double worst = 0, lowest = 1e9, highest = -1e9;
    for (const auto& file : files) {
        auto ff = load(file);
        DcmDataset& ds = *ff->getDataset();
        EXPECT_DOUBLE_EQ(number(ds, DCM_RescaleIntercept), -1024.0);
        EXPECT_DOUBLE_EQ(number(ds, DCM_RescaleSlope), 1.0);
        const auto hu = modalityValues(ds);
        ASSERT_EQ(hu.size(), 64u * 64u);
        for (int r = 0; r < 64; ++r)
            for (int c = 0; c < 64; ++c) {
                const auto p = voxelPosition(ds, c, r);
                const double expected = phantom.ctHu(p[0], p[1], p[2]);
                worst = std::max(worst, std::abs(hu[std::size_t(r * 64 + c)] - expected));
                lowest = std::min(lowest, expected);
                highest = std::max(highest, expected);
            }
    }
    EXPECT_LE(worst, 0.5);
    EXPECT_LT(lowest, -950.0);  // air and lung were in the field
    EXPECT_GT(highest, 600.0);  // and cortical bone
}

TEST(SyntheticSeries, PetStoresBqPerMlWithAScalePerSlice)
{
    TempDir dir;
    const TorsoPhantom phantom;
    const auto files = imaging::writeSyntheticSeries(testStudy(), smallSeries(SyntheticModality::PT), dir.path());
    std::set<std::string> slopes;
    for (const auto& file : files) {
        auto ff = load(file);
        DcmDataset& ds = *ff->getDataset();
        EXPECT_EQ(text(ds, DCM_Units), "BQML");
        EXPECT_EQ(text(ds, DCM_PatientPosition), "");  // PET uses the orientation code sequences
        EXPECT_DOUBLE_EQ(number(ds, DCM_RescaleIntercept), 0.0);
        slopes.insert(text(ds, DCM_RescaleSlope));
        const double slope = number(ds, DCM_RescaleSlope);
        const auto bq = modalityValues(ds);
        double largestStored = 0, worst = 0;
        for (int r = 0; r < 64; ++r)
            for (int c = 0; c < 64; ++c) {
                const auto p = voxelPosition(ds, c, r);
                const double expected = phantom.petBqPerMl(p[0], p[1], p[2], bqPerMlPerSuv());
                const double got = bq[std::size_t(r * 64 + c)];
                largestStored = std::max(largestStored, got / slope);
                // Within 0.5 %, or within half a quantisation step for values near zero.
                const double allowed = std::max(0.005 * std::abs(expected), 0.5 * slope + 1e-9);
                worst = std::max(worst, std::abs(got - expected) / allowed);
            }
        EXPECT_LE(worst, 1.0) << file;
        EXPECT_GT(largestStored, 30000.0) << file << ": the slice maximum should use most of the int16 range";
    }
    EXPECT_GE(slopes.size(), 4u) << "each slice has its own RescaleSlope";
}

TEST(SyntheticSeries, SuvFromTheWrittenHeaderMatchesThePhantomAtTheTumourCentre)
{
    TempDir dir;
    const TorsoPhantom phantom;
    const auto files = imaging::writeSyntheticSeries(testStudy(), smallSeries(SyntheticModality::PT), dir.path());
    auto ff = load(files[kCentreSlice]);
    DcmDataset& ds = *ff->getDataset();

    // QIBA preconditions.
    EXPECT_EQ(text(ds, DCM_Modality), "PT");
    EXPECT_EQ(text(ds, DCM_DecayCorrection), "START");
    const std::string corrected = text(ds, DCM_CorrectedImage);
    EXPECT_NE(corrected.find("ATTN"), std::string::npos);
    EXPECT_NE(corrected.find("DECY"), std::string::npos);

    // Scan time: the series start, as no acquisition of the series started before it.
    const double scan = seconds(text(ds, DCM_SeriesDate), text(ds, DCM_SeriesTime));
    for (const auto& file : files) {
        auto slice = load(file);
        EXPECT_GE(
            seconds(text(*slice->getDataset(), DCM_AcquisitionDate), text(*slice->getDataset(), DCM_AcquisitionTime)),
            scan);
    }
    DcmItem* radiopharmaceutical = nullptr;
    ASSERT_TRUE(ds.findAndGetSequenceItem(DCM_RadiopharmaceuticalInformationSequence, radiopharmaceutical, 0).good());
    const std::string start = text(*radiopharmaceutical, DCM_RadiopharmaceuticalStartDateTime);
    ASSERT_GE(start.size(), 14u);
    EXPECT_EQ(text(*radiopharmaceutical, DCM_RadiopharmaceuticalStartTime), start.substr(8));
    const double injection = seconds(start.substr(0, 8), start.substr(8));
    const double dose = number(*radiopharmaceutical, DCM_RadionuclideTotalDose);
    const double halfLife = number(*radiopharmaceutical, DCM_RadionuclideHalfLife);
    DcmItem* nuclide = nullptr;
    ASSERT_TRUE(radiopharmaceutical->findAndGetSequenceItem(DCM_RadionuclideCodeSequence, nuclide, 0).good());
    EXPECT_EQ(text(*nuclide, DCM_CodeValue), "77004003");
    EXPECT_EQ(text(*nuclide, DCM_CodingSchemeDesignator), "SCT");

    EXPECT_DOUBLE_EQ(scan - injection, 3600.0);
    const double decayedDose = dose * std::exp2(-(scan - injection) / halfLife);
    const double suvFactor = number(ds, DCM_PatientWeight) * 1000.0 / decayedDose;

    const auto bq = modalityValues(ds);
    const double suv = bq[std::size_t(kCentreRow * 64 + kCentreColumn)] * suvFactor;
    const auto p = voxelPosition(ds, kCentreColumn, kCentreRow);
    const auto& c = TorsoPhantom::kTumourCentre;
    EXPECT_DOUBLE_EQ(p[0], c[0]);
    EXPECT_DOUBLE_EQ(p[1], c[1]);
    EXPECT_DOUBLE_EQ(p[2], c[2]);
    const double expected = phantom.petSuv(c[0], c[1], c[2]);
    EXPECT_NEAR(suv, expected, 0.01 * expected);
    EXPECT_LT(expected, 0.5 * TorsoPhantom::kTumourSuvMax) << "the centre is the necrotic core";
}

TEST(SyntheticSeries, PetFrameTimingIsConsistent)
{
    TempDir dir;
    auto series = smallSeries(SyntheticModality::PT);
    series.slices = 60;  // 150 mm: one bed position
    series.rows = series.columns = 8;
    const auto files = imaging::writeSyntheticSeries(testStudy(), series, dir.path());
    for (const auto& file : files) {
        auto ff = load(file);
        DcmDataset& ds = *ff->getDataset();
        const double reference = number(ds, DCM_FrameReferenceTime) / 1000.0;
        EXPECT_NEAR(number(ds, DCM_DecayFactor), std::exp2(reference / kHalfLife), 1e-6);
        EXPECT_EQ(text(ds, DCM_ActualFrameDuration), "120000");  // IS, ms
        EXPECT_GT(reference, 0.0);
        EXPECT_LT(reference, 300.0);
        EXPECT_EQ(text(ds, DCM_NumberOfSlices), "60");
        EXPECT_EQ(text(ds, DCM_SeriesType), "WHOLE BODY\\IMAGE");
    }
    auto last = load(files.back());
    EXPECT_EQ(text(*last->getDataset(), DCM_ImageIndex), "60");
}

TEST(SyntheticSeries, MrIsUnsignedSignalWithoutRescale)
{
    TempDir dir;
    const TorsoPhantom phantom;
    const auto files = imaging::writeSyntheticSeries(testStudy(), smallSeries(SyntheticModality::MR), dir.path());
    auto ff = load(files[2]);
    DcmDataset& ds = *ff->getDataset();
    EXPECT_EQ(text(ds, DCM_SOPClassUID), UID_MRImageStorage);
    EXPECT_FALSE(ds.tagExists(DCM_RescaleSlope));
    EXPECT_EQ(text(ds, DCM_PixelRepresentation), "0");
    const auto signal = modalityValues(ds);
    double worst = 0;
    for (int r = 0; r < 64; ++r)
        for (int c = 0; c < 64; ++c) {
            const auto p = voxelPosition(ds, c, r);
            worst = std::max(worst, std::abs(signal[std::size_t(r * 64 + c)] - phantom.mrT2Signal(p[0], p[1], p[2])));
        }
    EXPECT_LE(worst, 0.5);
}

TEST(SyntheticSeries, RefusesWhatItCannotWrite)
{
    TempDir dir;
    auto pet = smallSeries(SyntheticModality::PT);
    pet.pet.reset();
    try {
        imaging::writeSyntheticSeries(testStudy(), pet, dir / "PET");
        ADD_FAILURE() << "a PT series without a dose was written";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), (dir / "PET").string());
        EXPECT_NE(e.reason().find("injected dose"), std::string::npos) << e.reason();
    }
    auto empty = smallSeries(SyntheticModality::CT);
    empty.rows = 0;
    EXPECT_THROW(imaging::writeSyntheticSeries(testStudy(), empty, dir / "CT"), Error);

    std::ofstream(dir / "a-file") << "not a folder";
    try {
        imaging::writeSyntheticSeries(testStudy(), smallSeries(SyntheticModality::MR), dir / "a-file" / "MR");
        ADD_FAILURE() << "wrote into a path below a regular file";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), (dir / "a-file" / "MR").string());
        EXPECT_NE(e.reason().find("cannot create folder"), std::string::npos) << e.reason();
    }
}

TEST(NewUid, UniqueValidUids)
{
    std::set<std::string> uids;
    for (int i = 0; i < 2000; ++i) {
        const std::string uid = imaging::newUid();
        ASSERT_LE(uid.size(), 64u);
        ASSERT_EQ(uid.find_first_not_of("0123456789."), std::string::npos) << uid;
        uids.insert(uid);
    }
    EXPECT_EQ(uids.size(), 2000u);
}

// ---------------------------------------------------------------------------------------------------------------
// dciodvfy (dicom3tools) is the reference IOD checker. It writes to stderr and exits 0 even on errors.

namespace {

bool haveDciodvfy() { return std::system("command -v dciodvfy >/dev/null 2>&1") == 0; }

std::vector<std::string> dciodvfy(const fs::path& file)
{
    const std::string command = "dciodvfy '" + file.string() + "' 2>&1";
    std::vector<std::string> lines;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe)
        return lines;
    char buf[4096];
    std::string line;
    while (std::fgets(buf, sizeof buf, pipe.get())) {
        line += buf;
        if (!line.empty() && line.back() == '\n') {
            line.pop_back();
            lines.push_back(line);
            line.clear();
        }
    }
    if (!line.empty())
        lines.push_back(line);
    return lines;
}

class Dciodvfy : public ::testing::TestWithParam<std::pair<SyntheticModality, const char*>> {};

}  // namespace

TEST_P(Dciodvfy, WrittenFilesHaveNoErrors)
{
    if (!haveDciodvfy())
        GTEST_SKIP() << "dciodvfy is not installed (Debian package dicom3tools)";
    const auto [modality, iod] = GetParam();
    TempDir dir;
    auto series = smallSeries(modality);
    series.rows = series.columns = 16;
    series.slices = 3;
    const auto files = imaging::writeSyntheticSeries(testStudy(), series, dir.path());
    const auto lines = dciodvfy(files[1]);
    ASSERT_FALSE(lines.empty()) << "dciodvfy printed nothing";
    EXPECT_EQ(lines.front(), iod) << "dciodvfy recognised another IOD";
    for (const auto& line : lines) {
        EXPECT_NE(line.rfind("Error", 0), 0u) << line;
        if (line.rfind("Warning", 0) == 0)
            std::cout << "[dciodvfy " << iod << "] " << line << '\n';
    }
}

INSTANTIATE_TEST_SUITE_P(EachModality, Dciodvfy,
                         ::testing::Values(std::pair{SyntheticModality::CT, "CTImage"},
                                           std::pair{SyntheticModality::PT, "PETImage"},
                                           std::pair{SyntheticModality::MR, "MRImage"}),
                         [](const auto& info) { return std::string(info.param.second); });
