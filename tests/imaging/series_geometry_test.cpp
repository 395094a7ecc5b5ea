// Stacking: which images form a volume, in which order, with which geometry and warnings. Mostly pure logic over
// SliceRecord values; the real series of ../shared/data check it against the geometry their README gives.
#include "imaging/series_geometry.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <random>
#include <set>
#include <string>

#include "enhanced_ct_fixture.h"
#include "imaging/pixel_decoder.h"
#include "model/error.h"
#include "support.h"

namespace consilium::imaging {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr std::array<double, 6> kAxial{1, 0, 0, 0, 1, 0};

SliceRecord slice(double z, int instance = 1, const std::string& series = "1.2.3")
{
    SliceRecord r;
    r.file = "slice" + std::to_string(instance) + ".dcm";
    r.seriesInstanceUid = series;
    r.sopInstanceUid = series + "." + std::to_string(instance);
    r.modality = "CT";
    r.instanceNumber = instance;
    r.rows = 4;
    r.columns = 6;
    r.position = std::array<double, 3>{-10, -20, z};
    r.orientation = kAxial;
    r.pixelSpacing = std::array<double, 2>{0.5, 0.8};  // (row spacing = y, column spacing = x)
    r.sliceThickness = 2.0;
    return r;
}

std::vector<SliceRecord> axialStack(int count, double first, double step, const std::string& series = "1.2.3")
{
    std::vector<SliceRecord> records;
    for (int k = 0; k < count; ++k)
        records.push_back(slice(first + k * step, k + 1, series));
    return records;
}

bool hasWarning(const SliceStack& s, const std::string& code)
{
    return std::any_of(s.warnings.begin(), s.warnings.end(), [&](const GeometryWarning& w) { return w.code == code; });
}

std::string warningText(const SliceStack& s, const std::string& code)
{
    for (const GeometryWarning& w : s.warnings)
        if (w.code == code)
            return w.text;
    return {};
}

// ---------------------------------------------------------------------------------------------------------------
// Sorting and geometry

TEST(SeriesGeometry, SortsByDistanceAlongTheNormalNotByInstanceNumber)
{
    auto records = axialStack(5, 100, 2.5);
    for (SliceRecord& r : records)
        r.sliceThickness = 2.5;
    // InstanceNumber runs against the position (head-first numbering), and the input order is shuffled.
    for (std::size_t k = 0; k < records.size(); ++k)
        records[k].instanceNumber = int(100 - k);
    std::mt19937 random(7);
    std::shuffle(records.begin(), records.end(), random);

    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    const SliceStack& s = stacks[0];
    EXPECT_EQ(s.key, "");
    ASSERT_EQ(s.slices.size(), 5u);
    for (std::size_t k = 0; k < 5; ++k)
        EXPECT_DOUBLE_EQ((*s.slices[k].position)[2], 100 + 2.5 * double(k));
    EXPECT_EQ(s.origin, (std::array<double, 3>{-10, -20, 100}));
    EXPECT_DOUBLE_EQ(s.spacing[2], 2.5);
    EXPECT_TRUE(s.warnings.empty()) << s.warnings.front().text;
    EXPECT_TRUE(s.resampled.empty());
}

TEST(SeriesGeometry, PixelSpacingIsRowThenColumnSoYThenX)
{
    const auto stacks = stackSlices(axialStack(3, 0, 1));
    ASSERT_EQ(stacks.size(), 1u);
    EXPECT_DOUBLE_EQ(stacks[0].spacing[0], 0.8);  // x: along a row, i.e. the column spacing
    EXPECT_DOUBLE_EQ(stacks[0].spacing[1], 0.5);  // y: between rows
    EXPECT_EQ(stacks[0].columns, 6);
    EXPECT_EQ(stacks[0].rows, 4);
}

TEST(SeriesGeometry, ObliqueStackKeepsItsDirectionAndSortsAlongItsNormal)
{
    // Sagittal-ish oblique: row along -y tilted, column along -z; normal computed, slices placed along it.
    const double c = std::cos(0.3), s = std::sin(0.3);
    const std::array<double, 6> iop{0, c, s, 0, -s, c};
    const std::array<double, 3> row{0, c, s}, col{0, -s, c};
    const std::array<double, 3> n{row[1] * col[2] - row[2] * col[1], row[2] * col[0] - row[0] * col[2],
                                  row[0] * col[1] - row[1] * col[0]};
    std::vector<SliceRecord> records;
    for (int k = 0; k < 4; ++k) {
        SliceRecord r = slice(0, 4 - k);
        r.orientation = iop;
        r.position = std::array<double, 3>{5 + 3.0 * k * n[0], 6 + 3.0 * k * n[1], 7 + 3.0 * k * n[2]};
        records.push_back(r);
    }
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    const SliceStack& st = stacks[0];
    EXPECT_NEAR(st.spacing[2], 3.0, 1e-9);
    EXPECT_EQ(st.origin, (std::array<double, 3>{5, 6, 7}));
    for (int r = 0; r < 3; ++r) {
        EXPECT_NEAR(st.direction[std::size_t(r * 3 + 0)], row[std::size_t(r)], 1e-12);
        EXPECT_NEAR(st.direction[std::size_t(r * 3 + 1)], col[std::size_t(r)], 1e-12);
        EXPECT_NEAR(st.direction[std::size_t(r * 3 + 2)], n[std::size_t(r)], 1e-12);
    }
    EXPECT_DOUBLE_EQ(st.tiltDegrees, 0);
    EXPECT_FALSE(hasWarning(st, "gantry-tilt"));
}

TEST(SeriesGeometry, GantryTiltIsMeasuredAndKeptAsShear)
{
    // Image plane tilted by 20° about x; the table moves along z, so the stack is sheared by 20°.
    const double t = 20.0 * std::numbers::pi / 180.0;
    std::vector<SliceRecord> records;
    for (int k = 0; k < 6; ++k) {
        SliceRecord r = slice(0, k + 1);
        r.orientation = std::array<double, 6>{1, 0, 0, 0, std::cos(t), -std::sin(t)};
        r.position = std::array<double, 3>{-10, -20, 4.0 * k};
        r.gantryTilt = 20;
        records.push_back(r);
    }
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    const SliceStack& s = stacks[0];
    EXPECT_NEAR(s.tiltDegrees, 20.0, 1e-9);
    ASSERT_TRUE(hasWarning(s, "gantry-tilt"));
    EXPECT_NE(warningText(s, "gantry-tilt").find("20.0°"), std::string::npos) << warningText(s, "gantry-tilt");
    // Distance between slice planes along the normal is 4 cos 20°; the k axis moves 4 mm along z per slice.
    EXPECT_NEAR(s.spacing[2], 4.0 * std::cos(t), 1e-9);
    for (std::size_t k = 0; k < 6; ++k) {
        const double z = s.origin[2] + s.direction[8] * double(k) * s.spacing[2];
        const double y = s.origin[1] + s.direction[5] * double(k) * s.spacing[2];
        EXPECT_NEAR(z, 4.0 * double(k), 1e-9);
        EXPECT_NEAR(y, -20, 1e-9);
    }
}

TEST(SeriesGeometry, NonOrthonormalOrientationIsReported)
{
    auto records = axialStack(3, 0, 1);
    for (SliceRecord& r : records)
        r.orientation = std::array<double, 6>{1, 0, 0, 0.05, 1, 0};
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    EXPECT_TRUE(hasWarning(stacks[0], "non-orthonormal-orientation"));
}

// ---------------------------------------------------------------------------------------------------------------
// Spacing

TEST(SeriesGeometry, SmallSpacingIrregularityIsReportedWithItsPlaceButNotResampled)
{
    auto records = axialStack(10, 0, 3.27);
    for (std::size_t k = 4; k < records.size(); ++k)
        (*records[k].position)[2] += 0.02;  // one step of 3.29 between slices 4 and 5 (a PET bed overlap)
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    const SliceStack& s = stacks[0];
    ASSERT_TRUE(hasWarning(s, "non-uniform-spacing"));
    const std::string text = warningText(s, "non-uniform-spacing");
    EXPECT_NE(text.find("3.29 mm between slices 4 and 5"), std::string::npos) << text;
    EXPECT_TRUE(s.resampled.empty());
    EXPECT_EQ(s.volumeSlices(), 10u);
    EXPECT_NEAR(s.spacing[2], (9 * 3.27 + 0.02) / 9, 1e-9);
}

TEST(SeriesGeometry, UniformWithinTheTolerance)
{
    auto records = axialStack(10, 0, 2.0);
    (*records[5].position)[2] += 0.004;  // DS rounding
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    EXPECT_FALSE(hasWarning(stacks[0], "non-uniform-spacing"));
}

TEST(SeriesGeometry, MissingSliceIsResampledNotStackedAtTheWrongPlace)
{
    auto records = axialStack(10, 0, 2.0);
    records.erase(records.begin() + 5);  // the slice at z = 10 is missing
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    const SliceStack& s = stacks[0];
    ASSERT_TRUE(hasWarning(s, "non-uniform-spacing"));
    EXPECT_NE(warningText(s, "non-uniform-spacing").find("4 mm between slices 5 and 6"), std::string::npos)
        << warningText(s, "non-uniform-spacing");
    ASSERT_EQ(s.volumeSlices(), 10u);
    EXPECT_DOUBLE_EQ(s.spacing[2], 2.0);
    for (std::size_t k = 0; k < 10; ++k)
        EXPECT_NEAR(s.volumeDistance(k), 2.0 * double(k), 1e-9);
    // Slice 5 of the volume (z = 10) lies halfway between input slices 4 (z = 8) and 5 (z = 12).
    EXPECT_EQ(s.resampled[5].lower, 4u);
    EXPECT_NEAR(s.resampled[5].weight, 0.5, 1e-9);
    // The others are the input slices themselves.
    EXPECT_EQ(s.resampled[6].lower, 5u);
    EXPECT_DOUBLE_EQ(s.resampled[6].weight, 0);
    EXPECT_EQ(s.resampled[9].lower, 8u);
    EXPECT_DOUBLE_EQ(s.resampled[9].weight, 0);
}

TEST(SeriesGeometry, AHoleFarWiderThanTheSpacingSplitsTheVolumeInsteadOfInventingSlices)
{
    // Three contiguous slices and one 200 mm away (the DICOMDIR sample's CT2 series looks like this).
    auto records = axialStack(3, 100, 1.25);
    records.push_back(slice(-100, 9));
    for (SliceRecord& r : records)
        r.sliceThickness = 1.25;
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 2u);
    EXPECT_EQ(stacks[0].key, "part=1");
    EXPECT_EQ(stacks[0].volumeSlices(), 1u);
    EXPECT_EQ(stacks[0].origin[2], -100);
    EXPECT_EQ(stacks[1].key, "part=2");
    EXPECT_EQ(stacks[1].volumeSlices(), 3u);
    EXPECT_DOUBLE_EQ(stacks[1].spacing[2], 1.25);
    for (const SliceStack& s : stacks) {
        EXPECT_TRUE(s.resampled.empty());
        ASSERT_TRUE(hasWarning(s, "split-series"));
        EXPECT_NE(warningText(s, "split-series").find("200 mm after slice 1"), std::string::npos)
            << warningText(s, "split-series");
    }
}

TEST(SeriesGeometry, GapBetweenThinSlicesIsReported)
{
    auto records = axialStack(5, 0, 5.0);  // thickness 2 mm, 5 mm apart
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    ASSERT_TRUE(hasWarning(stacks[0], "slice-gap"));
    EXPECT_NE(warningText(stacks[0], "slice-gap").find("3 mm"), std::string::npos);
}

TEST(SeriesGeometry, SingleSliceUsesSpacingBetweenSlicesOrThickness)
{
    SliceRecord r = slice(0);
    r.spacingBetweenSlices = 3.5;
    auto stacks = stackSlices({r});
    ASSERT_EQ(stacks.size(), 1u);
    EXPECT_DOUBLE_EQ(stacks[0].spacing[2], 3.5);
    r.spacingBetweenSlices.reset();
    stacks = stackSlices({r});
    EXPECT_DOUBLE_EQ(stacks[0].spacing[2], 2.0);
}

// ---------------------------------------------------------------------------------------------------------------
// Splitting

TEST(SeriesGeometry, SplitsBySeriesUid)
{
    auto a = axialStack(3, 0, 1, "1.2.3.1");
    auto b = axialStack(4, 0, 1, "1.2.3.2");
    a.insert(a.end(), b.begin(), b.end());
    const auto stacks = stackSlices(a);
    ASSERT_EQ(stacks.size(), 2u);
    EXPECT_EQ(stacks[0].seriesInstanceUid, "1.2.3.1");
    EXPECT_EQ(stacks[0].slices.size(), 3u);
    EXPECT_EQ(stacks[1].seriesInstanceUid, "1.2.3.2");
    EXPECT_EQ(stacks[1].slices.size(), 4u);
}

TEST(SeriesGeometry, SequentialAcquisitionsStayOneVolume)
{
    // Axial (step-and-shoot) CT: every rotation has its own AcquisitionNumber, the rotations follow each other.
    auto records = axialStack(8, 0, 2.0);
    for (std::size_t k = 0; k < records.size(); ++k)
        records[k].acquisitionNumber = int(k / 2) + 1;
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    EXPECT_EQ(stacks[0].slices.size(), 8u);
    EXPECT_FALSE(hasWarning(stacks[0], "split-series"));
}

TEST(SeriesGeometry, OverlappingAcquisitionsAreSeparateVolumes)
{
    auto first = axialStack(5, 0, 2.0);
    auto second = axialStack(5, 1.0, 2.0);  // interleaved with the first: a second pass over the same range
    for (auto& r : first)
        r.acquisitionNumber = 1;
    for (auto& r : second) {
        r.acquisitionNumber = 2;
        r.instanceNumber += 10;
        r.sopInstanceUid += ".b";
    }
    first.insert(first.end(), second.begin(), second.end());
    const auto stacks = stackSlices(first);
    ASSERT_EQ(stacks.size(), 2u);
    EXPECT_EQ(stacks[0].key, "acquisition=1");
    EXPECT_EQ(stacks[1].key, "acquisition=2");
    EXPECT_DOUBLE_EQ(stacks[0].spacing[2], 2.0);
    EXPECT_DOUBLE_EQ(stacks[1].origin[2], 1.0);
    EXPECT_TRUE(hasWarning(stacks[0], "split-series"));
}

TEST(SeriesGeometry, TemporalPositionsSplitFourDimensionalData)
{
    std::vector<SliceRecord> records;
    for (int t = 1; t <= 3; ++t)
        for (auto r : axialStack(4, 0, 2.0)) {
            r.temporalPosition = t;
            r.instanceNumber += 10 * t;
            r.sopInstanceUid += "." + std::to_string(t);
            records.push_back(r);
        }
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 3u);
    for (int t = 0; t < 3; ++t) {
        EXPECT_EQ(stacks[std::size_t(t)].key, "temporal=" + std::to_string(t + 1));
        EXPECT_EQ(stacks[std::size_t(t)].slices.size(), 4u);
        EXPECT_FALSE(hasWarning(stacks[std::size_t(t)], "duplicate-position"));
    }
}

TEST(SeriesGeometry, RepeatedPositionsNothingTellsApartAreReportedAndDropped)
{
    auto records = axialStack(4, 0, 2.0);
    SliceRecord copy = records[2];
    copy.sopInstanceUid += ".other";
    copy.instanceNumber = 50;
    records.push_back(copy);
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    EXPECT_EQ(stacks[0].slices.size(), 4u);
    ASSERT_TRUE(hasWarning(stacks[0], "duplicate-position"));
    EXPECT_FALSE(hasWarning(stacks[0], "non-uniform-spacing"));
}

TEST(SeriesGeometry, TheSameInstanceTwiceIsUsedOnce)
{
    auto records = axialStack(4, 0, 2.0);
    SliceRecord copy = records[1];
    copy.file = "copy-of-slice2.dcm";
    records.push_back(copy);
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    EXPECT_EQ(stacks[0].slices.size(), 4u);
    EXPECT_TRUE(hasWarning(stacks[0], "duplicate-instance"));
    EXPECT_FALSE(hasWarning(stacks[0], "duplicate-position"));
}

TEST(SeriesGeometry, LocalizersAndOtherOrientationsAreSeparateVolumes)
{
    auto records = axialStack(6, 0, 2.0);
    for (int k = 0; k < 2; ++k) {  // two sagittal localizer images
        SliceRecord r = slice(0, 100 + k);
        r.imageType = {"ORIGINAL", "PRIMARY", "LOCALIZER"};
        r.orientation = std::array<double, 6>{0, 1, 0, 0, 0, -1};
        r.position = std::array<double, 3>{double(k) * 10, -100, 100};
        records.push_back(r);
    }
    for (int k = 0; k < 3; ++k) {  // a coronal reformat in the same series
        SliceRecord r = slice(0, 200 + k);
        r.orientation = std::array<double, 6>{1, 0, 0, 0, 0, -1};
        r.position = std::array<double, 3>{-100, double(k) * 5, 100};
        records.push_back(r);
    }
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 3u);
    EXPECT_EQ(stacks[0].key, "localizer");
    EXPECT_EQ(stacks[0].slices.size(), 2u);
    EXPECT_EQ(stacks[1].key, "orientation=axial");
    EXPECT_EQ(stacks[1].slices.size(), 6u);
    EXPECT_EQ(stacks[2].key, "orientation=coronal");
    EXPECT_EQ(stacks[2].slices.size(), 3u);
    EXPECT_DOUBLE_EQ(stacks[2].spacing[2], 5);
}

TEST(SeriesGeometry, MixedMatrixSizesBecomeSeparateVolumesWithAWarning)
{
    auto records = axialStack(6, 0, 2.0);
    records[4].rows = records[5].rows = 8;
    records[4].columns = records[5].columns = 8;
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 2u);
    EXPECT_EQ(stacks[0].key, "size=6x4");
    EXPECT_EQ(stacks[0].slices.size(), 4u);
    EXPECT_EQ(stacks[1].key, "size=8x8");
    EXPECT_EQ(stacks[1].slices.size(), 2u);
    for (const SliceStack& s : stacks)
        EXPECT_TRUE(hasWarning(s, "varying-matrix-size"));
}

TEST(SeriesGeometry, VaryingPixelSpacingIsReported)
{
    auto records = axialStack(4, 0, 2.0);
    records[3].pixelSpacing = std::array<double, 2>{0.6, 0.8};
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    EXPECT_TRUE(hasWarning(stacks[0], "varying-pixel-spacing"));
}

TEST(SeriesGeometry, MissingPositionOrOrientationNeverCrashes)
{
    auto records = axialStack(5, 0, 2.0);
    records[1].position.reset();
    records[3].orientation.reset();
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 2u);
    const SliceStack& noPosition = stacks[0].key == "no-position" ? stacks[0] : stacks[1];
    const SliceStack& main = stacks[0].key == "no-position" ? stacks[1] : stacks[0];
    EXPECT_EQ(noPosition.key, "no-position");
    EXPECT_EQ(noPosition.slices.size(), 2u);
    EXPECT_TRUE(hasWarning(noPosition, "missing-position") || hasWarning(noPosition, "missing-orientation"));
    EXPECT_EQ(main.slices.size(), 3u);

    // No geometry at all: one volume in InstanceNumber order, said plainly.
    std::vector<SliceRecord> bare;
    for (int k = 3; k >= 1; --k) {
        SliceRecord r = slice(0, k);
        r.position.reset();
        r.orientation.reset();
        r.pixelSpacing.reset();
        bare.push_back(r);
    }
    const auto only = stackSlices(bare);
    ASSERT_EQ(only.size(), 1u);
    EXPECT_EQ(only[0].slices.front().instanceNumber, 1);
    EXPECT_TRUE(hasWarning(only[0], "missing-position"));
    EXPECT_TRUE(hasWarning(only[0], "missing-orientation"));
    EXPECT_TRUE(hasWarning(only[0], "missing-pixel-spacing"));
    EXPECT_EQ(only[0].spacing, (std::array<double, 3>{1, 1, 2}));
}

// ---------------------------------------------------------------------------------------------------------------
// Reading records: an Enhanced multi-frame file built with DCMTK

TEST(SeriesGeometry, EnhancedMultiFrameGeometryComesFromPerFrameFunctionalGroups)
{
    TempDir dir;
    const std::vector<double> z{6, 0, 3, 9};
    const std::vector<double> slopes{1, 2, 3, 4};
    const fs::path file = testing::writeEnhanced(dir / "enhanced.dcm", z, slopes);
    const auto records = readSliceRecords(file);
    ASSERT_EQ(records.size(), 4u);
    for (std::size_t f = 0; f < 4; ++f) {
        EXPECT_EQ(records[f].frame, int(f));
        EXPECT_EQ(records[f].frameCount, 4);
        ASSERT_TRUE(records[f].position);
        EXPECT_DOUBLE_EQ((*records[f].position)[2], z[f]);
        EXPECT_DOUBLE_EQ(records[f].rescaleSlope, slopes[f]);
        EXPECT_DOUBLE_EQ(records[f].rescaleIntercept, -1000);
        ASSERT_TRUE(records[f].pixelSpacing);
        EXPECT_DOUBLE_EQ((*records[f].pixelSpacing)[1], 0.25);
        EXPECT_DOUBLE_EQ(*records[f].sliceThickness, 1.5);
    }
    const auto stacks = stackSlices(records);
    ASSERT_EQ(stacks.size(), 1u);
    const SliceStack& s = stacks[0];
    ASSERT_EQ(s.slices.size(), 4u);
    EXPECT_EQ(s.slices[0].frame, 1);  // z = 0
    EXPECT_EQ(s.slices[1].frame, 2);  // z = 3
    EXPECT_EQ(s.slices[2].frame, 0);  // z = 6
    EXPECT_EQ(s.slices[3].frame, 3);  // z = 9
    EXPECT_DOUBLE_EQ(s.spacing[0], 0.25);
    EXPECT_DOUBLE_EQ(s.spacing[1], 0.5);
    EXPECT_DOUBLE_EQ(s.spacing[2], 3);
    EXPECT_EQ(s.origin, (std::array<double, 3>{7, 8, 0}));
    EXPECT_TRUE(hasWarning(s, "slice-gap"));  // 1.5 mm thick, 3 mm apart
}

TEST(SeriesGeometry, NonImageDicomGivesNoRecordsAndGarbageIsNotDicom)
{
    TempDir dir;
    DcmFileFormat sr;
    sr.getDataset()->putAndInsertString(DCM_SOPClassUID, UID_BasicTextSRStorage);
    sr.getDataset()->putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.999.9");
    sr.getDataset()->putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.999.8");
    ASSERT_TRUE(sr.saveFile((dir / "sr.dcm").c_str(), EXS_LittleEndianExplicit).good());
    EXPECT_TRUE(readSliceRecords(dir / "sr.dcm").empty());

    std::ofstream(dir / "notes.txt") << "not a DICOM file at all, just some text that is long enough to parse\n";
    EXPECT_THROW(readSliceRecords(dir / "notes.txt"), NotDicomError);
    std::ofstream(dir / "empty.dcm").flush();
    try {
        readSliceRecords(dir / "empty.dcm");
        FAIL() << "a zero-byte file was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), (dir / "empty.dcm").string());
        EXPECT_NE(e.reason().find("empty file"), std::string::npos);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The real series in ../shared/data (geometry from their README)

std::vector<SliceRecord> readFolder(const fs::path& folder)
{
    std::vector<SliceRecord> records;
    for (const auto& entry : fs::directory_iterator(folder))
        for (SliceRecord& r : readSliceRecords(entry.path()))
            records.push_back(std::move(r));
    return records;
}

fs::path seriesFolder(const std::string& name) { return testing::sharedData() / "dicom/series" / name; }

const SliceStack& onlyStack(const std::vector<SliceStack>& stacks)
{
    EXPECT_EQ(stacks.size(), 1u);
    return stacks.front();
}

void expectAxialIdentity(const SliceStack& s)
{
    const std::array<double, 9> identity{1, 0, 0, 0, 1, 0, 0, 0, 1};
    for (std::size_t i = 0; i < 9; ++i)
        EXPECT_NEAR(s.direction[i], identity[i], 1e-9) << "direction element " << i;
}

TEST(SeriesGeometryRealData, CrlmCtGeLightSpeed)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/CRLM-CT-1004_CT_GE-LightSpeed16");
    const auto stacks = stackSlices(readFolder(seriesFolder("CRLM-CT-1004_CT_GE-LightSpeed16")));
    const SliceStack& s = onlyStack(stacks);
    EXPECT_EQ(s.columns, 512);
    EXPECT_EQ(s.rows, 512);
    EXPECT_EQ(s.volumeSlices(), 41u);
    EXPECT_DOUBLE_EQ(s.spacing[0], 0.796875);
    EXPECT_DOUBLE_EQ(s.spacing[1], 0.796875);
    EXPECT_NEAR(s.spacing[2], 5.0, 1e-9);
    EXPECT_NEAR(s.origin[0], -198.199997, 1e-9);  // as written in the files ("-198.2" in the README)
    EXPECT_NEAR(s.origin[1], -204.0, 1e-6);
    EXPECT_NEAR(s.origin[2], -375.0, 1e-6);  // z −375 … −175
    EXPECT_NEAR(s.sliceDistances.back(), -175.0, 1e-6);
    expectAxialIdentity(s);
    EXPECT_TRUE(s.warnings.empty()) << s.warnings.front().text;
}

TEST(SeriesGeometryRealData, StsCtCroppedStartsAtInstanceZero)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_CT_cropped_GE-DiscoveryST");
    const auto stacks = stackSlices(readFolder(seriesFolder("STS_001_CT_cropped_GE-DiscoveryST")));
    const SliceStack& s = onlyStack(stacks);
    EXPECT_EQ(s.columns, 198);
    EXPECT_EQ(s.rows, 202);
    EXPECT_EQ(s.volumeSlices(), 59u);
    EXPECT_NEAR(s.spacing[0], 0.976562, 1e-9);
    EXPECT_NEAR(s.spacing[2], 3.27, 1e-6);
    EXPECT_NEAR(s.origin[2], -881.32, 1e-6);
    expectAxialIdentity(s);
    EXPECT_TRUE(s.warnings.empty()) << s.warnings.front().text;
}

TEST(SeriesGeometryRealData, StsPetHasPerSliceSlopesAndSlightlyUnevenBeds)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_PT_FDG_GE-DiscoveryST");
    const auto stacks = stackSlices(readFolder(seriesFolder("STS_001_PT_FDG_GE-DiscoveryST")));
    const SliceStack& s = onlyStack(stacks);
    EXPECT_EQ(s.columns, 128);
    EXPECT_EQ(s.rows, 128);
    EXPECT_EQ(s.volumeSlices(), 267u);
    EXPECT_DOUBLE_EQ(s.spacing[0], 4.6875);
    EXPECT_NEAR(s.origin[2], -881.3, 0.01);
    EXPECT_NEAR(s.sliceDistances.back(), -11.48, 0.01);
    EXPECT_NEAR(s.spacing[2], (881.3 - 11.48) / 266, 0.001);
    expectAxialIdentity(s);
    // 3.27 mm × 261, 3.29 × 4, 3.19 × 1: reported, and close enough to stack without resampling.
    ASSERT_TRUE(hasWarning(s, "non-uniform-spacing"));
    const std::string text = warningText(s, "non-uniform-spacing");
    EXPECT_NE(text.find("5 steps of 266"), std::string::npos) << text;
    EXPECT_NE(text.find("3.29 mm between slices"), std::string::npos) << text;
    EXPECT_NE(text.find("3.19 mm between slices"), std::string::npos) << text;
    EXPECT_TRUE(s.resampled.empty());
    std::set<double> slopes;
    for (const SliceRecord& r : s.slices)
        slopes.insert(r.rescaleSlope);
    EXPECT_GT(slopes.size(), 100u);  // a slope per slice
    EXPECT_EQ(s.slices.front().units, "BQML");
}

TEST(SeriesGeometryRealData, StsMrIsObliqueWithAGapBetweenSlices)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_MR_T2FS_Siemens-Avanto");
    const auto records = readFolder(seriesFolder("STS_001_MR_T2FS_Siemens-Avanto"));
    const auto stacks = stackSlices(records);
    const SliceStack& s = onlyStack(stacks);
    EXPECT_EQ(s.columns, 384);
    EXPECT_EQ(s.rows, 384);
    EXPECT_EQ(s.volumeSlices(), 40u);
    EXPECT_DOUBLE_EQ(s.spacing[0], 0.5234375);
    // The direction's first two columns are the file's (slightly off-axis) cosines.
    const std::array<double, 6> iop = *records.front().orientation;
    EXPECT_NEAR(iop[0], 0.99999259, 1e-8);
    EXPECT_NEAR(iop[2], -3.8477941e-3, 1e-10);
    for (int r = 0; r < 3; ++r) {
        EXPECT_NEAR(s.direction[std::size_t(3 * r)], iop[std::size_t(r)], 1e-6);
        EXPECT_NEAR(s.direction[std::size_t(3 * r + 1)], iop[std::size_t(3 + r)], 1e-6);
    }
    EXPECT_GT(std::abs(s.direction[7]), 0.03);  // the column direction leans into z: oblique, not axial
    // z-steps of 5.197 mm are 5.2 mm along the oblique normal; slices are 4 mm thick.
    EXPECT_NEAR(s.spacing[2], 5.2, 0.002);
    ASSERT_TRUE(hasWarning(s, "slice-gap"));
    EXPECT_NE(warningText(s, "slice-gap").find("4 mm thick"), std::string::npos) << warningText(s, "slice-gap");
    EXPECT_FALSE(hasWarning(s, "non-uniform-spacing"));
    EXPECT_FALSE(hasWarning(s, "gantry-tilt"));
}

TEST(SeriesGeometryRealData, CmbCrcAdcNonSquareWithGap)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/CMB-CRC_MR_ADC_Toshiba-Titan");
    const auto stacks = stackSlices(readFolder(seriesFolder("CMB-CRC_MR_ADC_Toshiba-Titan")));
    const SliceStack& s = onlyStack(stacks);
    EXPECT_EQ(s.columns, 256);
    EXPECT_EQ(s.rows, 288);
    EXPECT_EQ(s.volumeSlices(), 36u);
    EXPECT_DOUBLE_EQ(s.spacing[0], 1.5625);
    EXPECT_NEAR(s.spacing[2], 7.0, 1e-6);
    expectAxialIdentity(s);
    EXPECT_TRUE(hasWarning(s, "slice-gap"));  // 6 mm thick, 7 mm apart
}

TEST(SeriesGeometryRealData, GeHiSpeedGantryTiltAndTwoSpacings)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/dcm_qa_ct_GE-HiSpeedDual_gantry-tilt");
    const auto stacks = stackSlices(readFolder(seriesFolder("dcm_qa_ct_GE-HiSpeedDual_gantry-tilt")));
    // AcquisitionNumber changes every one or two slices (one per rotation): still one volume.
    const SliceStack& s = onlyStack(stacks);
    EXPECT_EQ(s.slices.size(), 28u);
    EXPECT_EQ(s.columns, 512);
    EXPECT_DOUBLE_EQ(s.spacing[0], 0.4882812);
    EXPECT_NEAR(s.tiltDegrees, 18.5, 0.05);
    ASSERT_TRUE(hasWarning(s, "gantry-tilt"));
    EXPECT_NE(warningText(s, "gantry-tilt").find("18.5°"), std::string::npos);
    // The k axis moves along z only (the table), 1/cos(18.5°) mm per mm along the normal.
    EXPECT_NEAR(s.direction[2], 0, 1e-6);
    EXPECT_NEAR(s.direction[5], 0, 1e-4);
    EXPECT_NEAR(s.direction[8], 1 / std::cos(18.5 * std::numbers::pi / 180), 1e-4);
    EXPECT_NEAR(s.direction[4], 0.9483237, 1e-6);
    EXPECT_NEAR(s.direction[7], -0.3173047, 1e-6);
    // 4.22 mm z-steps (×13) then 7.38 (×13): 4.0 and 7.0 mm between tilted planes. Stacked at the mean spacing the
    // slices would be off by > 20 mm, so the volume is resampled at 4.0 mm.
    ASSERT_TRUE(hasWarning(s, "non-uniform-spacing"));
    const std::string text = warningText(s, "non-uniform-spacing");
    EXPECT_NE(text.find("between slices 15 and 28 (13 steps)"), std::string::npos) << text;
    EXPECT_NE(text.find("resampled"), std::string::npos) << text;
    EXPECT_NEAR(s.spacing[2], 4.0019, 0.0005);
    EXPECT_EQ(s.volumeSlices(), 37u);
    EXPECT_TRUE(hasWarning(s, "varying-slice-thickness"));
}

TEST(SeriesGeometryRealData, EnhancedMrWithoutFunctionalGroupsIsStackedInFrameOrder)
{
    // pydicom's emri_small is an Enhanced MR multi-frame whose functional groups were stripped (the README's
    // "with functional groups" is not what the file holds): 10 frames, no geometry at all.
    CONSILIUM_REQUIRE_SHARED("dicom/single/pydicom-data/emri_small.dcm");
    const auto records = readSliceRecords(testing::sharedData() / "dicom/single/pydicom-data/emri_small.dcm");
    ASSERT_EQ(records.size(), 10u);
    const auto stacks = stackSlices(records);
    const SliceStack& s = onlyStack(stacks);
    EXPECT_EQ(s.volumeSlices(), 10u);
    for (std::size_t f = 0; f < 10; ++f)
        EXPECT_EQ(s.slices[f].frame, int(f));
    EXPECT_TRUE(hasWarning(s, "missing-position"));
    EXPECT_DOUBLE_EQ(s.spacing[2], 1.2);  // SpacingBetweenSlices
}

}  // namespace
}  // namespace consilium::imaging
