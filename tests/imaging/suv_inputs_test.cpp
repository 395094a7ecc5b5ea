// Reading the SUV inputs from DICOM headers (imaging/suv_inputs.h): the real GE and Siemens-type PET of
// ../shared/data against factors computed by hand from the values its README lists, private tags in every VR
// they arrive in, series-level rules, and the demo phantom's synthetic PET end to end (stored value x slope x
// factor = the phantom's SUV).
#include "imaging/suv_inputs.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvrobow.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "demo/torso_phantom.h"
#include "imaging/synthetic_series.h"
#include "model/error.h"
#include "model/suv.h"
#include "support.h"

using namespace consilium;
using consilium::demo::TorsoPhantom;
using consilium::testing::TempDir;
using model::SuvInputs;
using model::SuvResult;
namespace fs = std::filesystem;

namespace {

double bw(double weightKg, double doseBq, double uptakeS, double halfLifeS)
{
    return weightKg * 1000.0 / (doseBq * std::pow(2.0, -uptakeS / halfLifeS));
}

std::vector<fs::path> dicomFilesIn(const fs::path& dir)
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".dcm")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// Loads a file completely (pixels too), lets `change` edit it and saves it in `transferSyntax`.
void rewrite(const fs::path& file, const std::function<void(DcmDataset&)>& change,
             E_TransferSyntax transferSyntax = EXS_LittleEndianExplicit)
{
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(file.c_str()).good()) << file;
    change(*ff.getDataset());
    ASSERT_TRUE(ff.saveFile(file.c_str(), transferSyntax).good()) << file;
}

// ---------------------------------------------------------------------------------------------------------------
// The demo case's PET (src/demo/demo_case.cpp): F-18 FDG, 72 kg, 370 MBq injected 09:12, series from 10:12.

constexpr double kWeightKg = 72.0;
constexpr double kInjectedBq = 370.0e6;
constexpr double kHalfLife = 6586.2;
constexpr double kUptakeS = 3600.0;

double bqPerMlPerSuv() { return kInjectedBq * std::exp2(-kUptakeS / kHalfLife) / (kWeightKg * 1000.0); }

imaging::StudyIdentity demoStudy()
{
    imaging::StudyIdentity s;
    s.patientName = "Sadykova^Aigerim";
    s.patientId = "KZ-ALM-0001";
    s.patientBirthDate = "19670314";
    s.patientSex = "F";
    s.studyDate = "20261027";
    s.studyTime = "091000";
    s.patientWeightKg = kWeightKg;
    s.patientSizeM = 1.64;
    return s;
}

imaging::SyntheticSeries demoPet(int columns, int rows, int slices, double spacingXY, double sliceSpacing,
                                 std::array<double, 3> firstVoxel)
{
    static const TorsoPhantom phantom;
    imaging::SyntheticSeries s;
    s.modality = imaging::SyntheticModality::PT;
    s.seriesNumber = 3;
    s.seriesDescription = "PET FDG AC";
    s.seriesDate = "20261027";
    s.seriesTime = "101200";
    s.columns = columns;
    s.rows = rows;
    s.slices = slices;
    s.spacingX = s.spacingY = spacingXY;
    s.sliceSpacing = sliceSpacing;
    s.firstVoxelLps = firstVoxel;
    s.value = [](double x, double y, double z) { return phantom.petBqPerMl(x, y, z, bqPerMlPerSuv()); };
    s.pet = imaging::PetDose{kInjectedBq, "20261027091200.000000", kHalfLife, "Fludeoxyglucose F^18^"};
    return s;
}

// One slice as the viewer will see it: modality values (stored x slope + intercept) and where each voxel is.
struct Slice {
    std::vector<double> values;
    double x0, y0, z, dx, dy;
    int columns;
};

Slice readSlice(const fs::path& file)
{
    DcmFileFormat ff;
    EXPECT_TRUE(ff.loadFile(file.c_str()).good()) << file;
    DcmDataset& ds = *ff.getDataset();
    Float64 slope = 1, intercept = 0, x0 = 0, y0 = 0, z = 0, dy = 0, dx = 0;
    ds.findAndGetFloat64(DCM_RescaleSlope, slope);
    ds.findAndGetFloat64(DCM_RescaleIntercept, intercept);
    ds.findAndGetFloat64(DCM_ImagePositionPatient, x0, 0);
    ds.findAndGetFloat64(DCM_ImagePositionPatient, y0, 1);
    ds.findAndGetFloat64(DCM_ImagePositionPatient, z, 2);
    ds.findAndGetFloat64(DCM_PixelSpacing, dy, 0);
    ds.findAndGetFloat64(DCM_PixelSpacing, dx, 1);
    Uint16 columns = 0;
    ds.findAndGetUint16(DCM_Columns, columns);
    const Uint16* pixels = nullptr;
    unsigned long count = 0;
    EXPECT_TRUE(ds.findAndGetUint16Array(DCM_PixelData, pixels, &count).good());
    Slice s{std::vector<double>(count), x0, y0, z, dx, dy, columns};
    for (unsigned long i = 0; i < count; ++i)  // PixelRepresentation 1: signed
        s.values[i] = double(std::int16_t(pixels[i])) * slope + intercept;
    return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Real PET

TEST(SuvInputs, GeDiscoverySeriesOfTheSarcomaPatient)
{
    const fs::path dir = "dicom/series/STS_001_PT_FDG_GE-DiscoveryST";
    CONSILIUM_REQUIRE_SHARED(dir);
    const auto files = dicomFilesIn(consilium::testing::sharedData() / dir);
    ASSERT_EQ(files.size(), 267u);
    const SuvInputs in = imaging::suvInputsOfSeries(files);
    EXPECT_TRUE(in.inconsistencies.empty()) << in.inconsistencies.front();
    // The values shared/data/README.md lists for this series.
    EXPECT_EQ(in.modality, "PT");
    EXPECT_EQ(in.manufacturer, "GE MEDICAL SYSTEMS");
    EXPECT_EQ(in.units, "BQML");
    EXPECT_EQ(in.decayCorrection, "START");
    EXPECT_EQ(in.correctedImage,
              (std::vector<std::string>{"DECY", "ATTN", "SCAT", "DTIM", "RAN", "RADL", "DCAL", "SLSENS", "NORM"}));
    EXPECT_EQ(in.patientWeightKg, 71.0);
    EXPECT_EQ(in.patientSizeM, 1.63);
    EXPECT_EQ(in.patientSex, "M");
    EXPECT_EQ(in.radiopharmaceuticalStartTime, "103500.00");
    EXPECT_EQ(in.radiopharmaceuticalStartDateTime, "");
    EXPECT_EQ(in.radionuclideTotalDoseBq, 3.88777472e8);
    EXPECT_EQ(in.radionuclideHalfLifeS, 6588.0);
    EXPECT_EQ(in.seriesTime, "112011.00");
    EXPECT_EQ(in.acquisitionTime, "112011.00");
    EXPECT_EQ(in.gePostInjectionDateTime, "") << "de-identification removed (0009,100D); only its creator is left";
    EXPECT_FALSE(in.philipsSuvScaleFactor);

    const SuvResult r = model::computeSuv(in);
    ASSERT_TRUE(r.ok()) << r.reason;
    // By hand: injection 10:35:00 to the series start 11:20:11 = 2711 s;
    // 71 kg x 1000 / (3.88777472e8 Bq x 2^(-2711 / 6588)).
    const double expected = 71.0 * 1000.0 / (3.88777472e8 * std::pow(2.0, -2711.0 / 6588.0));
    EXPECT_NEAR(r.factorBw, expected, 1e-12 * expected);
    EXPECT_NEAR(r.factorBw, 2.42903e-4, 0.5e-9) << "the README's figure, to its 6 digits";
    EXPECT_DOUBLE_EQ(*r.decayTimeS, 2711.0);
    EXPECT_NE(r.scanTimeSource.find("SeriesDate/SeriesTime"), std::string::npos);
    EXPECT_NE(r.injectionTimeSource.find("on the scan date"), std::string::npos);
    // SUL: man, 71 kg, 1.63 m.
    const double lbm = 9270.0 * 71.0 / (6680.0 + 216.0 * 71.0 / (1.63 * 1.63));
    ASSERT_TRUE(r.factorLbm);
    EXPECT_NEAR(*r.factorLbm, expected * lbm / 71.0, 1e-12 * expected);

    // One instance alone says the same.
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(files[100].c_str()).good());
    const SuvResult single = model::computeSuv(imaging::readSuvInputs(*ff.getDataset()));
    ASSERT_TRUE(single.ok()) << single.reason;
    EXPECT_DOUBLE_EQ(single.factorBw, r.factorBw);
}

TEST(SuvInputs, AcrinSingleSiemensTypePet)
{
    const fs::path file = "dicom/single/pet/ACRIN-FLT-Breast_029_PT.dcm";
    CONSILIUM_REQUIRE_SHARED(file);
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile((consilium::testing::sharedData() / file).c_str()).good());
    const SuvInputs in = imaging::readSuvInputs(*ff.getDataset());
    EXPECT_EQ(in.units, "BQML");
    EXPECT_EQ(in.decayCorrection, "START");
    EXPECT_EQ(in.manufacturer, "");
    EXPECT_EQ(in.radiopharmaceuticalStartTime, "141700.000000");
    EXPECT_EQ(in.seriesTime, "152316.921000");
    EXPECT_FALSE(in.patientSizeM);

    const SuvResult r = model::computeSuv(in);
    ASSERT_TRUE(r.ok()) << r.reason;
    // By hand from the README: weight 69.7344 kg, dose 178340011.6 Bq, half-life 6586.2 s, injection 14:17:00,
    // series 15:23:16.921, so 3976.921 s. The file's dose has more digits (178340011.59668): 2e-12 relative.
    const double expected = 69.7344 * 1000.0 / (178340011.6 * std::pow(2.0, -3976.921 / 6586.2));
    EXPECT_NEAR(r.factorBw, expected, 1e-9 * expected);
    EXPECT_NEAR(*r.decayTimeS, 3976.921, 1e-6);
    EXPECT_FALSE(r.factorLbm) << "no PatientSize";
    EXPECT_NE(r.sulUnavailable.find("PatientSize"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------------------------
// Private attributes, in each form they arrive in

namespace {

DcmDataset philipsCounts()
{
    DcmDataset ds;
    ds.putAndInsertString(DCM_Modality, "PT");
    ds.putAndInsertString(DCM_Units, "CNTS");
    ds.putAndInsertString(DCM_CorrectedImage, "DECY\\ATTN");
    ds.putAndInsertString(DCM_DecayCorrection, "START");
    ds.putAndInsertString(DCM_PatientWeight, "54");
    return ds;
}

void putPrivate(DcmItem& item, Uint16 group, Uint16 element, DcmEVR vr, const char* value)
{
    ASSERT_TRUE(item.putAndInsertString(DcmTag(group, element, vr), value).good());
}

}  // namespace

TEST(SuvInputs, PhilipsPrivateFactorsAsDecimalStrings)
{
    DcmDataset ds = philipsCounts();
    putPrivate(ds, 0x7053, 0x0010, EVR_LO, "Philips PET Private Group");
    putPrivate(ds, 0x7053, 0x1000, EVR_DS, "0.000551 ");
    putPrivate(ds, 0x7053, 0x1009, EVR_DS, "1.602563");
    const SuvInputs in = imaging::readSuvInputs(ds);
    EXPECT_EQ(in.philipsSuvScaleFactor, 0.000551);
    EXPECT_EQ(in.philipsActivityConcentrationScaleFactor, 1.602563);
    const SuvResult r = model::computeSuv(in);
    ASSERT_TRUE(r.ok()) << r.reason;
    EXPECT_EQ(r.factorBw, 0.000551);
}

TEST(SuvInputs, PrivateValuesAreFoundInTheBlockTheirCreatorReserved)
{
    DcmDataset ds = philipsCounts();
    // Another vendor owns block 0x10 of group 7053; Philips got 0x11, so its tags are (7053,11xx).
    putPrivate(ds, 0x7053, 0x0010, EVR_LO, "SOME OTHER VENDOR");
    putPrivate(ds, 0x7053, 0x1000, EVR_DS, "99");
    putPrivate(ds, 0x7053, 0x0011, EVR_LO, "Philips PET Private Group");
    putPrivate(ds, 0x7053, 0x1100, EVR_DS, "0.000728");
    EXPECT_EQ(imaging::readSuvInputs(ds).philipsSuvScaleFactor, 0.000728);

    DcmDataset foreign = philipsCounts();  // only the other vendor: (7053,1000) is not Philips'
    putPrivate(foreign, 0x7053, 0x0010, EVR_LO, "SOME OTHER VENDOR");
    putPrivate(foreign, 0x7053, 0x1000, EVR_DS, "99");
    EXPECT_FALSE(imaging::readSuvInputs(foreign).philipsSuvScaleFactor);

    DcmDataset stripped = philipsCounts();  // no creator at all: the tag number everyone quotes
    putPrivate(stripped, 0x7053, 0x1000, EVR_DS, "0.000728");
    EXPECT_EQ(imaging::readSuvInputs(stripped).philipsSuvScaleFactor, 0.000728);
}

TEST(SuvInputs, PrivateValuesInBinaryVrs)
{
    DcmDataset ds = philipsCounts();
    putPrivate(ds, 0x7053, 0x0010, EVR_LO, "Philips PET Private Group");
    ASSERT_TRUE(ds.putAndInsertFloat64(DcmTag(0x7053, 0x1009, EVR_FD), 4.709921).good());
    const double suvScale = 0.003515736;
    Uint8 bytes[8];
    std::memcpy(bytes, &suvScale, 8);  // an FD that reached us as UN (little endian)
    auto unknown = std::make_unique<DcmOtherByteOtherWord>(DcmTag(0x7053, 0x1000, EVR_UN));
    ASSERT_TRUE(unknown->putUint8Array(bytes, 8).good());
    ASSERT_EQ(unknown->getVR(), EVR_UN);
    ASSERT_TRUE(ds.insert(unknown.release(), true).good());
    const SuvInputs in = imaging::readSuvInputs(ds);
    EXPECT_EQ(in.philipsActivityConcentrationScaleFactor, 4.709921);
    EXPECT_EQ(in.philipsSuvScaleFactor, suvScale);
}

TEST(SuvInputs, PrivateValuesOfImplicitVrFilesArriveAsUnknownBytes)
{
    TempDir dir;
    const auto files = imaging::writeSyntheticSeries(demoStudy(), demoPet(4, 4, 2, 4, 3.27, {0, 0, 0}), dir.path());
    for (const auto& file : files)
        rewrite(
            file,
            [](DcmDataset& ds) {
                ds.putAndInsertString(DCM_Units, "CNTS");
                putPrivate(ds, 0x7053, 0x0010, EVR_LO, "Philips PET Private Group");
                putPrivate(ds, 0x7053, 0x1009, EVR_DS, "1.602563");
                putPrivate(ds, 0x0009, 0x0010, EVR_LO, "GEMS_PETD_01");
                putPrivate(ds, 0x0009, 0x100D, EVR_DT, "20261027101200.00");
            },
            EXS_LittleEndianImplicit);
    // DCMTK has no dictionary entry for them: in an implicit VR file they are UN/unknown bytes.
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(files[0].c_str()).good());
    DcmElement* e = nullptr;
    ASSERT_TRUE(ff.getDataset()->findAndGetElement(DcmTagKey(0x7053, 0x1009), e).good());
    EXPECT_FALSE(e->isaString()) << "the test should exercise the UN path";
    EXPECT_TRUE(e->getVR() == EVR_UN || e->getVR() == EVR_UNKNOWN) << DcmVR(e->getVR()).getVRName();

    const SuvInputs in = imaging::suvInputsOfSeries(files);
    EXPECT_EQ(in.philipsActivityConcentrationScaleFactor, 1.602563);
    EXPECT_FALSE(in.philipsSuvScaleFactor);
    EXPECT_EQ(in.gePostInjectionDateTime, "20261027101200.00");
    const SuvResult r = model::computeSuv(in);
    ASSERT_TRUE(r.ok()) << r.reason;
    EXPECT_NEAR(r.factorBw, 1.602563 * bw(kWeightKg, kInjectedBq, kUptakeS, kHalfLife), 1e-15);
    EXPECT_EQ(r.bqmlPerUnit, 1.602563);
}

// ---------------------------------------------------------------------------------------------------------------
// Series-level rules

TEST(SuvInputs, EarliestAcquisitionAcrossTheFilesDecidesAReSavedSeries)
{
    TempDir dir;
    // 60 slices x 3.27 mm: two beds, the second acquired 125 s after the first.
    const auto files = imaging::writeSyntheticSeries(demoStudy(), demoPet(4, 4, 60, 4, 3.27, {0, 0, -100}), dir.path());
    for (const auto& file : files)
        rewrite(file, [](DcmDataset& ds) { ds.putAndInsertString(DCM_SeriesTime, "113000"); });  // re-saved later
    std::vector<fs::path> reversed(files.rbegin(), files.rend());
    const SuvInputs in = imaging::suvInputsOfSeries(reversed);
    EXPECT_TRUE(in.inconsistencies.empty());
    EXPECT_EQ(in.acquisitionDate, "20261027");
    EXPECT_EQ(in.acquisitionTime, "101200.000000");
    const SuvResult r = model::computeSuv(in);
    ASSERT_TRUE(r.ok()) << r.reason;
    EXPECT_NE(r.scanTimeSource.find("earliest AcquisitionDate"), std::string::npos) << r.scanTimeSource;
    EXPECT_NEAR(r.factorBw, bw(kWeightKg, kInjectedBq, kUptakeS, kHalfLife), 1e-15);
}

TEST(SuvInputs, ValuesThatDifferWithinTheSeriesMakeSuvUnavailable)
{
    TempDir dir;
    const auto files = imaging::writeSyntheticSeries(demoStudy(), demoPet(4, 4, 3, 4, 3.27, {0, 0, 0}), dir.path());
    rewrite(files[2], [](DcmDataset& ds) { ds.putAndInsertString(DCM_PatientWeight, "80"); });
    const SuvInputs in = imaging::suvInputsOfSeries(files);
    ASSERT_EQ(in.inconsistencies.size(), 1u);
    EXPECT_NE(in.inconsistencies[0].find("PatientWeight (0010,1030) differs within the series: 72 in 0001.dcm, 80 "
                                         "in 0003.dcm"),
              std::string::npos)
        << in.inconsistencies[0];
    const SuvResult r = model::computeSuv(in);
    EXPECT_EQ(r.status, SuvResult::Status::Unavailable);
    EXPECT_NE(r.reason.find("PatientWeight (0010,1030)"), std::string::npos);
}

TEST(SuvInputs, RefusesWhatIsNotOneReadableSeries)
{
    TempDir dir;
    auto files = imaging::writeSyntheticSeries(demoStudy(), demoPet(4, 4, 2, 4, 3.27, {0, 0, 0}), dir.path());
    auto expectError = [](const std::vector<fs::path>& list, const std::string& subject, const std::string& why) {
        try {
            imaging::suvInputsOfSeries(list);
            ADD_FAILURE() << "no error for " << subject;
        } catch (const Error& e) {
            EXPECT_EQ(e.subject(), subject);
            EXPECT_NE(e.reason().find(why), std::string::npos) << e.reason();
        }
    };
    expectError({}, "PET series", "no files");
    expectError({files[0], dir / "missing.dcm"}, (dir / "missing.dcm").string(), "no such file");
    std::ofstream(dir / "notes.txt") << "injection 09:12, 370 MBq\n";
    expectError({files[0], dir / "notes.txt"}, (dir / "notes.txt").string(), "");
    expectError({dir.path()}, dir.path().string(), "is a directory");
    rewrite(files[1], [](DcmDataset& ds) { ds.putAndInsertString(DCM_SeriesInstanceUID, "1.2.3.4"); });
    expectError(files, files[1].string(), "belongs to another series");
}

// ---------------------------------------------------------------------------------------------------------------
// The demo phantom end to end: what the writer stored, read back through the SUV inputs, gives the phantom's SUV.

namespace {

// Every voxel of a written block as SUV (stored x slope x factor) against the phantom's SUV at the voxel centre.
struct BlockSuv {
    double worstRelativeError = 0;  // over voxels with SUV > 1
    double suvMax = 0;
    double phantomMax = 0;
};

BlockSuv suvOfBlock(const std::vector<fs::path>& files, double factor)
{
    const TorsoPhantom phantom;
    BlockSuv b;
    for (const auto& file : files) {
        const Slice s = readSlice(file);
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            const double x = s.x0 + double(i % std::size_t(s.columns)) * s.dx;
            const double y = s.y0 + double(i / std::size_t(s.columns)) * s.dy;
            const double truth = phantom.petSuv(x, y, s.z);
            const double got = s.values[i] * factor;
            if (truth > 1.0)
                b.worstRelativeError = std::max(b.worstRelativeError, std::abs(got - truth) / truth);
            b.suvMax = std::max(b.suvMax, got);
            b.phantomMax = std::max(b.phantomMax, truth);
        }
    }
    return b;
}

}  // namespace

TEST(SuvInputs, DemoPetGivesThePhantomSuvAtTheTumourCentre)
{
    TempDir dir;
    const TorsoPhantom phantom;
    const auto& c = TorsoPhantom::kTumourCentre;
    // 4 mm voxels with the middle one (8, 8, 5) on the tumour centre; 3.27 mm slices as the demo writes.
    const auto files = imaging::writeSyntheticSeries(
        demoStudy(), demoPet(17, 17, 11, 4.0, 3.27, {c[0] - 32.0, c[1] - 32.0, c[2] - 5 * 3.27}), dir.path());
    const SuvResult r = model::computeSuv(imaging::suvInputsOfSeries(files));
    ASSERT_TRUE(r.ok()) << r.reason;
    EXPECT_NEAR(r.factorBw, 1.0 / bqPerMlPerSuv(), 1e-12 / bqPerMlPerSuv());
    EXPECT_DOUBLE_EQ(*r.decayTimeS, 3600.0);

    const Slice centre = readSlice(files[5]);
    EXPECT_NEAR(centre.x0 + 8 * centre.dx, c[0], 1e-9);
    EXPECT_NEAR(centre.y0 + 8 * centre.dy, c[1], 1e-9);
    EXPECT_NEAR(centre.z, c[2], 1e-9);
    const double suv = centre.values[std::size_t(8 * centre.columns + 8)] * r.factorBw;
    const double expected = phantom.petSuv(c[0], c[1], c[2]);
    EXPECT_NEAR(suv, expected, 0.005 * expected);
    EXPECT_LT(suv, 0.5 * TorsoPhantom::kTumourSuvMax) << "the centre is the necrotic core, not the SUVmax rim";

    const BlockSuv block = suvOfBlock(files, r.factorBw);
    EXPECT_LE(block.worstRelativeError, 0.005);
    EXPECT_NEAR(block.suvMax, block.phantomMax, 0.005 * block.phantomMax);
}

TEST(SuvInputs, DemoPetOnTheDemoGridShowsTheStatedSuvMax)
{
    TempDir dir;
    // The block of the demo's PET grid (144 x 144 x 92 from (-286, -286, -150), 4 mm, 3.27 mm) around the primary:
    // columns 40-56, rows 73-89, slices 31-41.
    const auto files = imaging::writeSyntheticSeries(
        demoStudy(), demoPet(17, 17, 11, 4.0, 3.27, {-286.0 + 40 * 4.0, -286.0 + 73 * 4.0, -150.0 + 31 * 3.27}),
        dir.path());
    const SuvResult r = model::computeSuv(imaging::suvInputsOfSeries(files));
    ASSERT_TRUE(r.ok()) << r.reason;
    const BlockSuv block = suvOfBlock(files, r.factorBw);
    EXPECT_LE(block.worstRelativeError, 0.005);
    // The demo's documents say "SUVmax about 11"; the phantom is tuned for this grid.
    EXPECT_NEAR(block.suvMax, TorsoPhantom::kTumourSuvMax, 0.005 * TorsoPhantom::kTumourSuvMax);
}
