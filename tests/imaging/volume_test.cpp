// Series -> vtkImageData: values rescaled per slice, geometry exact, one shared copy per series, cancellable.
#include "imaging/volume.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>
#include <vtkMatrix3x3.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <thread>

#include "enhanced_ct_fixture.h"
#include "imaging/pixel_decoder.h"
#include "imaging/synthetic_series.h"
#include "model/error.h"
#include "support.h"

namespace consilium::imaging {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

StudyIdentity study()
{
    StudyIdentity s;
    s.patientName = "Volume^Test";
    s.patientId = "VOL1";
    s.studyDate = "20260301";
    s.studyTime = "101500";
    s.patientWeightKg = 70;
    return s;
}

// A small axial series at exactly representable positions (so the geometry can be compared with ==).
SyntheticSeries series(SyntheticModality modality, std::function<double(double, double, double)> value, int slices = 7)
{
    SyntheticSeries s;
    s.modality = modality;
    s.seriesDescription = "volume test";
    s.seriesDate = "20260301";
    s.seriesTime = "101500";
    s.columns = 24;
    s.rows = 18;
    s.slices = slices;
    s.spacingX = 0.75;
    s.spacingY = 1.25;
    s.sliceSpacing = 2.5;
    s.firstVoxelLps = {-20.5, -10.25, 30};
    s.value = std::move(value);
    if (modality == SyntheticModality::PT)
        s.pet = PetDose{3.5e8, "20260301093000", 6586.2, "Fludeoxyglucose F^18^"};
    return s;
}

double ctValue(double x, double y, double z)
{
    return 40 + 3 * x - 2 * y + 7 * z + 300 * std::sin(x * 0.2) * std::cos(y * 0.3);
}

// Voxel (i, j, k) as a double, whatever the scalar type.
double voxel(const Volume& v, int i, int j, int k) { return v.image->GetScalarComponentAsDouble(i, j, k, 0); }

// LPS position of voxel (i, j, k) from the image's own geometry.
std::array<double, 3> positionOf(const Volume& v, int i, int j, int k)
{
    double index[3] = {double(i), double(j), double(k)}, p[3];
    v.image->TransformContinuousIndexToPhysicalPoint(index, p);
    return {p[0], p[1], p[2]};
}

bool hasWarning(const Volume& v, const std::string& code)
{
    return std::any_of(v.warnings.begin(), v.warnings.end(), [&](const GeometryWarning& w) { return w.code == code; });
}

// Rewrites an attribute in every file (DCMTK load, put, save).
void rewrite(const std::vector<fs::path>& files, const DcmTagKey& tag, const std::string& value)
{
    for (const fs::path& f : files) {
        DcmFileFormat fileFormat;
        ASSERT_TRUE(fileFormat.loadFile(f.c_str()).good());
        ASSERT_TRUE(fileFormat.getDataset()->putAndInsertString(tag, value.c_str()).good());
        ASSERT_TRUE(fileFormat.saveFile(f.c_str(), EXS_LittleEndianExplicit).good());
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Round trips through synthetic series

TEST(Volume, SyntheticCtRoundTripIsExact)
{
    TempDir dir;
    const auto files = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue), dir / "ct");
    const auto volume = loadVolume(VolumeRequest{files, "", ""});
    ASSERT_TRUE(volume);
    EXPECT_EQ(volume->modality, "CT");
    EXPECT_EQ(volume->units, "HU");
    EXPECT_FALSE(volume->isFloat());
    EXPECT_EQ(volume->image->GetScalarType(), VTK_SHORT);
    int dims[3];
    volume->image->GetDimensions(dims);
    EXPECT_EQ(dims[0], 24);
    EXPECT_EQ(dims[1], 18);
    EXPECT_EQ(dims[2], 7);
    EXPECT_EQ(volume->voxelBytes(), 24u * 18u * 7u * 2u);
    double spacing[3], origin[3];
    volume->image->GetSpacing(spacing);
    volume->image->GetOrigin(origin);
    EXPECT_EQ(spacing[0], 0.75);
    EXPECT_EQ(spacing[1], 1.25);
    EXPECT_EQ(spacing[2], 2.5);
    EXPECT_EQ(origin[0], -20.5);
    EXPECT_EQ(origin[1], -10.25);
    EXPECT_EQ(origin[2], 30);
    const double identity[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            EXPECT_EQ(volume->image->GetDirectionMatrix()->GetElement(r, c), identity[r * 3 + c]);
    EXPECT_TRUE(volume->warnings.empty()) << volume->warnings.front().text;

    double lo = 1e9, hi = -1e9;
    for (int k = 0; k < 7; ++k)
        for (int j = 0; j < 18; ++j)
            for (int i = 0; i < 24; ++i) {
                const auto p = positionOf(*volume, i, j, k);
                const double expected = ctValue(p[0], p[1], p[2]);
                ASSERT_NEAR(voxel(*volume, i, j, k), expected, 0.5) << i << "," << j << "," << k;
                lo = std::min(lo, voxel(*volume, i, j, k));
                hi = std::max(hi, voxel(*volume, i, j, k));
            }
    EXPECT_EQ(volume->minimum, lo);
    EXPECT_EQ(volume->maximum, hi);
    EXPECT_EQ(volume->files.size(), 7u);
    EXPECT_EQ(volume->transferSyntaxes, (std::vector<std::string>{"1.2.840.10008.1.2.1"}));
}

TEST(Volume, PetIsFloatBecquerelPerMillilitreWithEachSlicesSlope)
{
    TempDir dir;
    auto activity = [](double x, double y, double z) {
        return 2000 + 40000 * std::exp(-(x * x + y * y) / 50) + 900 * z;
    };
    const auto files = writeSyntheticSeries(study(), series(SyntheticModality::PT, activity), dir / "pt");
    const auto volume = loadVolume(VolumeRequest{files, "", ""});
    ASSERT_TRUE(volume);
    EXPECT_TRUE(volume->isFloat());
    EXPECT_EQ(volume->units, "BQML");
    for (int k = 0; k < 7; ++k) {
        // The writer gives every slice its own slope (its maximum / 32000): the rounding error is half of it.
        double largest = 0;
        for (int j = 0; j < 18; ++j)
            for (int i = 0; i < 24; ++i) {
                const auto p = positionOf(*volume, i, j, k);
                largest = std::max(largest, activity(p[0], p[1], p[2]));
            }
        const double slope = largest / 32000;
        for (int j = 0; j < 18; ++j)
            for (int i = 0; i < 24; ++i) {
                const auto p = positionOf(*volume, i, j, k);
                ASSERT_NEAR(voxel(*volume, i, j, k), activity(p[0], p[1], p[2]), slope * 0.51 + 0.01)
                    << i << "," << j << "," << k;
            }
    }
}

TEST(Volume, ValuesBeyondInt16FallBackToFloat)
{
    TempDir dir;
    auto signal = [](double x, double y, double z) { return 30000 - 1000 * x + 10 * z; };  // up to ~50,900
    const auto files = writeSyntheticSeries(study(), series(SyntheticModality::MR, signal), dir / "mr");
    const auto volume = loadVolume(VolumeRequest{files, "", ""});
    ASSERT_TRUE(volume);
    EXPECT_TRUE(volume->isFloat());
    EXPECT_GT(volume->maximum, 32767);
    for (int k = 0; k < 7; k += 3)
        for (int i = 0; i < 24; ++i) {
            const auto p = positionOf(*volume, i, 5, k);
            EXPECT_EQ(voxel(*volume, i, 5, k), std::clamp(std::round(signal(p[0], p[1], p[2])), 0.0, 65535.0));
        }
}

TEST(Volume, Monochrome1KeepsValuesAndTellsTheDisplay)
{
    TempDir dir;
    const auto files = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue, 3), dir / "ct");
    rewrite(files, DCM_PhotometricInterpretation, "MONOCHROME1");
    const auto volume = loadVolume(VolumeRequest{files, "", ""});
    ASSERT_TRUE(volume);
    EXPECT_TRUE(volume->monochrome1);
    const auto p = positionOf(*volume, 3, 4, 1);
    EXPECT_NEAR(voxel(*volume, 3, 4, 1), ctValue(p[0], p[1], p[2]), 0.5);  // HU, not inverted
}

TEST(Volume, EnhancedMultiFrameUsesEachFramesPositionAndRescale)
{
    TempDir dir;
    const auto volume =
        loadVolume(VolumeRequest{{testing::writeEnhanced(dir / "enhanced.dcm", {6, 0, 3, 9}, {1, 2, 3, 4})}, "", ""});
    ASSERT_TRUE(volume);
    ASSERT_EQ(volume->slices, 4);
    EXPECT_EQ(volume->spacing, (std::array<double, 3>{0.25, 0.5, 3}));
    EXPECT_EQ(volume->origin, (std::array<double, 3>{7, 8, 0}));
    EXPECT_FALSE(volume->isFloat());
    const int frameAt[4] = {1, 2, 0, 3};  // volume slice k comes from frame frameAt[k] (z = 0, 3, 6, 9)
    for (int k = 0; k < 4; ++k) {
        const int f = frameAt[k];
        for (int j = 0; j < 3; ++j)
            for (int i = 0; i < 2; ++i)
                EXPECT_EQ(voxel(*volume, i, j, k), (100 * f + j * 2 + i) * (f + 1) - 1000) << "slice " << k;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Cache, threads, progress, cancel

TEST(Volume, SecondLoadReturnsTheSameCopyWhileAnyViewHoldsIt)
{
    TempDir dir;
    const auto files = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue, 4), dir / "ct");
    auto first = loadVolume(VolumeRequest{files, "", ""});
    ASSERT_TRUE(first);
    const std::string uid = first->seriesInstanceUid;
    auto second = loadVolume(VolumeRequest{files, "", ""});
    EXPECT_EQ(first.get(), second.get());
    // Naming the series finds it without reading a file (the files are gone).
    fs::remove_all(dir / "ct");
    auto third = loadVolume(VolumeRequest{{}, uid, ""});
    EXPECT_EQ(first.get(), third.get());
    EXPECT_EQ(cachedVolume(uid).get(), first.get());
    first.reset();
    second.reset();
    third.reset();
    EXPECT_EQ(cachedVolume(uid), nullptr);  // weak: the memory went with the last view
}

TEST(Volume, ConcurrentLoadsShareOneCopy)
{
    TempDir dir;
    const auto files = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue, 12), dir / "ct");
    std::shared_ptr<const Volume> a, b;
    std::thread other([&] { a = loadVolume(VolumeRequest{files, "", ""}); });
    b = loadVolume(VolumeRequest{files, "", ""});
    other.join();
    ASSERT_TRUE(a);
    EXPECT_EQ(a.get(), b.get());
}

TEST(Volume, ProgressRisesToOneAndCancelStopsTheLoad)
{
    TempDir dir;
    // Enough slices that a Cancel at the first progress report always finds some left to skip, even when the decode
    // threads run slowly (sanitizers, a loaded machine) or fast.
    const auto files = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue, 80), dir / "ct");
    std::vector<double> seen;
    std::atomic<bool> cancel{false};
    auto volume = loadVolume(
        VolumeRequest{files, "", ""}, [&](double f) { seen.push_back(f); }, cancel);
    ASSERT_TRUE(volume);
    ASSERT_FALSE(seen.empty());
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_DOUBLE_EQ(seen.back(), 1.0);
    const std::string uid = volume->seriesInstanceUid;
    volume.reset();

    std::atomic<bool> stop{false};
    int calls = 0;
    auto cancelled = loadVolume(
        VolumeRequest{files, "", ""},
        [&](double f) {
            if (f < 1.0 && ++calls == 1)
                stop = true;  // the user pressed Cancel at the first progress, with most pixels still to load
        },
        stop);
    EXPECT_EQ(cancelled, nullptr);
    EXPECT_EQ(cachedVolume(uid), nullptr);

    std::atomic<bool> already{true};
    EXPECT_EQ(loadVolume(VolumeRequest{files, "", ""}, {}, already), nullptr);
}

// ---------------------------------------------------------------------------------------------------------------
// Bad input

TEST(Volume, UnreadableFilesAreLeftOutAndSaidSo)
{
    TempDir dir;
    auto files = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue, 6), dir / "ct");
    fs::resize_file(files[3], fs::file_size(files[3]) / 2);  // cut in its pixel data
    std::ofstream(dir / "ct/zero.dcm").flush();              // a zero-byte file
    std::ofstream(dir / "ct/readme.txt") << "not a DICOM file, just some notes about the series\n";
    files.push_back(dir / "ct/zero.dcm");
    files.push_back(dir / "ct/readme.txt");
    const auto volume = loadVolume(VolumeRequest{files, "", ""});
    ASSERT_TRUE(volume);
    ASSERT_TRUE(hasWarning(*volume, "unreadable-file"));
    const auto& text = std::find_if(volume->warnings.begin(), volume->warnings.end(), [](const auto& w) {
                           return w.code == "unreadable-file";
                       })->text;
    EXPECT_NE(text.find("0004.dcm"), std::string::npos) << text;
    EXPECT_NE(text.find("zero.dcm (empty file"), std::string::npos) << text;
    EXPECT_EQ(text.find("readme"), std::string::npos) << text;  // not DICOM: not part of the series at all
    // The missing slice leaves a 5 mm step among 2.5 mm ones: resampled, the gap slice interpolated.
    EXPECT_TRUE(hasWarning(*volume, "non-uniform-spacing"));
    EXPECT_EQ(volume->slices, 6);
    EXPECT_EQ(volume->spacing[2], 2.5);
    const auto p = positionOf(*volume, 2, 2, 3);
    EXPECT_NEAR(voxel(*volume, 2, 2, 3), ctValue(p[0], p[1], p[2]), 2.0);  // linear in z: interpolation is close
}

TEST(Volume, MixedMatrixSizesLoadTheMainPartWithAWarning)
{
    TempDir dir;
    const auto big = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue, 5), dir / "big");
    SyntheticSeries small = series(SyntheticModality::CT, ctValue, 2);
    small.columns = small.rows = 8;
    small.firstVoxelLps[2] = 100;
    const auto extra = writeSyntheticSeries(study(), small, dir / "small");
    DcmFileFormat first;
    ASSERT_TRUE(first.loadFile(big.front().c_str()).good());
    OFString uid;
    first.getDataset()->findAndGetOFString(DCM_SeriesInstanceUID, uid);
    rewrite(extra, DCM_SeriesInstanceUID, uid.c_str());  // one "series" with two image sizes

    std::vector<fs::path> all = big;
    all.insert(all.end(), extra.begin(), extra.end());
    const auto main = loadVolume(VolumeRequest{all, "", ""});
    ASSERT_TRUE(main);
    EXPECT_EQ(main->columns, 24);
    EXPECT_EQ(main->slices, 5);
    EXPECT_EQ(main->key, "size=24x18");
    EXPECT_TRUE(hasWarning(*main, "varying-matrix-size"));
    const auto other = loadVolume(VolumeRequest{all, uid.c_str(), "size=8x8"});
    ASSERT_TRUE(other);
    EXPECT_EQ(other->columns, 8);
    EXPECT_EQ(other->slices, 2);
    try {
        loadVolume(VolumeRequest{all, uid.c_str(), "temporal=9"});
        FAIL() << "an unknown sub-volume loaded";
    } catch (const Error& e) {
        EXPECT_NE(e.reason().find("size=24x18"), std::string::npos) << e.reason();
    }
}

TEST(Volume, UndecodableSyntaxIsAnErrorNamingFileAndUid)
{
    TempDir dir;
    const auto files = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue, 2), dir / "ct");
    // Re-wrap slice 2's pixel data as an MPEG-2 "video" (one junk fragment).
    DcmFileFormat fileFormat;
    ASSERT_TRUE(fileFormat.loadFile(files[1].c_str()).good());
    auto* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
    sequence->insert(new DcmPixelItem(DCM_PixelItemTag));
    auto* fragment = new DcmPixelItem(DCM_PixelItemTag);
    const Uint8 junk[4] = {0, 0, 1, 0xB3};
    fragment->putUint8Array(junk, 4);
    sequence->insert(fragment);
    auto* pixelData = new DcmPixelData(DCM_PixelData);
    pixelData->putOriginalRepresentation(EXS_MPEG2MainProfileAtMainLevel, nullptr, sequence);
    fileFormat.getDataset()->insert(pixelData, true);
    ASSERT_TRUE(fileFormat.saveFile(files[1].c_str(), EXS_MPEG2MainProfileAtMainLevel).good());
    try {
        loadVolume(VolumeRequest{files, "", ""});
        FAIL() << "a series with an MPEG-2 slice loaded";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), files[1].string());
        EXPECT_NE(e.reason().find("transfer syntax 1.2.840.10008.1.2.4.100"), std::string::npos) << e.reason();
        EXPECT_NE(e.reason().find("cannot be decoded"), std::string::npos) << e.reason();
    }
}

TEST(Volume, RequestsThatNameNothingAreErrors)
{
    TempDir dir;
    const auto a = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue, 2), dir / "a");
    const auto b = writeSyntheticSeries(study(), series(SyntheticModality::CT, ctValue, 2), dir / "b");
    std::vector<fs::path> both = a;
    both.insert(both.end(), b.begin(), b.end());
    EXPECT_THROW(loadVolume(VolumeRequest{both, "", ""}), Error);  // two series, none named
    EXPECT_THROW(loadVolume(VolumeRequest{both, "1.2.3.4.5.6.7", ""}), Error);
    std::ofstream(dir / "text.txt") << "just text, not DICOM at all, nothing to load here\n";
    EXPECT_THROW(loadVolume(VolumeRequest{{dir / "text.txt"}, "", ""}), Error);
}

// ---------------------------------------------------------------------------------------------------------------
// Real series

std::vector<fs::path> folderFiles(const std::string& name)
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(testing::sharedData() / "dicom/series" / name))
        files.push_back(entry.path());
    return files;
}

// Slice k of the volume against its file decoded on its own, rescaled with the file's slope and intercept.
void expectSliceEqualsFile(const Volume& v, int k, const fs::path& file)
{
    DcmFileFormat fileFormat;
    ASSERT_TRUE(fileFormat.loadFile(file.c_str()).good());
    Float64 slope = 1, intercept = 0;
    fileFormat.getDataset()->findAndGetFloat64(DCM_RescaleSlope, slope);
    fileFormat.getDataset()->findAndGetFloat64(DCM_RescaleIntercept, intercept);
    const DecodedFrame d = decodeFrame(file);
    for (int j = 0; j < v.rows; j += 7)
        for (int i = 0; i < v.columns; i += 5) {
            const double expected =
                d.values[std::size_t(j) * std::size_t(v.columns) + std::size_t(i)] * slope + intercept;
            ASSERT_NEAR(voxel(v, i, j, k), expected, std::abs(expected) * 1e-6) << file << " " << i << "," << j;
        }
}

TEST(VolumeRealData, CrlmCtInHounsfieldUnits)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/CRLM-CT-1004_CT_GE-LightSpeed16");
    const auto volume = loadVolume(VolumeRequest{folderFiles("CRLM-CT-1004_CT_GE-LightSpeed16"), "", ""});
    ASSERT_TRUE(volume);
    EXPECT_FALSE(volume->isFloat());
    EXPECT_EQ(volume->units, "HU");
    EXPECT_EQ(volume->slices, 41);
    EXPECT_EQ(volume->origin[2], -375.0);
    EXPECT_LT(volume->minimum, -1000);  // air (and the scanner's padding) below −1000 HU
    EXPECT_GT(volume->maximum, 1000);   // bone / contrast
    expectSliceEqualsFile(*volume, 0, volume->files.front());
    expectSliceEqualsFile(*volume, 40, volume->files.back());
}

TEST(VolumeRealData, StsPetAppliesEverySlicesOwnSlope)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_PT_FDG_GE-DiscoveryST");
    const auto volume = loadVolume(VolumeRequest{folderFiles("STS_001_PT_FDG_GE-DiscoveryST"), "", ""});
    ASSERT_TRUE(volume);
    EXPECT_TRUE(volume->isFloat());
    EXPECT_EQ(volume->units, "BQML");
    EXPECT_EQ(volume->slices, 267);
    EXPECT_TRUE(hasWarning(*volume, "non-uniform-spacing"));
    for (int k : {0, 100, 200, 266})
        expectSliceEqualsFile(*volume, k, volume->files[std::size_t(k)]);
    EXPECT_GE(volume->minimum, 0);
    EXPECT_GT(volume->maximum, 10000);  // Bq/mL, not raw stored values
}

TEST(VolumeRealData, GantryTiltedCtIsShearedAndResampled)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/dcm_qa_ct_GE-HiSpeedDual_gantry-tilt");
    const auto volume = loadVolume(VolumeRequest{folderFiles("dcm_qa_ct_GE-HiSpeedDual_gantry-tilt"), "", ""});
    ASSERT_TRUE(volume);
    EXPECT_EQ(volume->slices, 37);
    EXPECT_NEAR(volume->tiltDegrees, 18.5, 0.05);
    EXPECT_TRUE(hasWarning(*volume, "gantry-tilt"));
    // The first output slice is the first input slice (01.dcm, the lowest), unblended.
    expectSliceEqualsFile(*volume, 0,
                          testing::sharedData() / "dicom/series/dcm_qa_ct_GE-HiSpeedDual_gantry-tilt/01.dcm");
    // The sheared k axis puts the last slice where 28.dcm says it is.
    const auto last = positionOf(*volume, 0, 0, 36);
    EXPECT_NEAR(last[0], -125.0, 1e-6);
    EXPECT_NEAR(last[1], -123.5404569, 1e-3);
    EXPECT_NEAR(last[2], 5.8360586 + 36 * volume->spacing[2] / std::cos(18.5 * std::numbers::pi / 180), 0.01);
}

TEST(VolumeRealData, ObliqueMrKeepsItsDirection)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_MR_T2FS_Siemens-Avanto");
    const auto volume = loadVolume(VolumeRequest{folderFiles("STS_001_MR_T2FS_Siemens-Avanto"), "", ""});
    ASSERT_TRUE(volume);
    EXPECT_EQ(volume->slices, 40);
    EXPECT_FALSE(volume->isFloat());
    EXPECT_TRUE(hasWarning(*volume, "slice-gap"));
    // Voxel (0,0,k) lies at the ImagePositionPatient of the k-th file along the normal.
    for (int k : {0, 39}) {
        DcmFileFormat fileFormat;
        ASSERT_TRUE(fileFormat.loadFile(volume->files[std::size_t(k)].c_str()).good());
        for (unsigned long a = 0; a < 3; ++a) {
            Float64 ipp = 0;
            fileFormat.getDataset()->findAndGetFloat64(DCM_ImagePositionPatient, ipp, a);
            EXPECT_NEAR(positionOf(*volume, 0, 0, k)[a], ipp, 1e-4) << "slice " << k << " axis " << a;
        }
    }
}

}  // namespace
}  // namespace consilium::imaging
