#include "imaging/roi_statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <set>

#include "demo/torso_phantom.h"
#include "imaging/case_suv.h"
#include "model/error.h"
#include "store/imaging_index.h"

namespace consilium::imaging {
namespace {

// A field with no symmetry, so a voxel counted twice or missed changes every statistic.
double field(int i, int j, int k) { return double((i * 7 + j * 13 + k * 31) % 101) - 50.0 + 0.25 * i; }

std::shared_ptr<Volume> makeVolume(int nx, int ny, int nz, Vec3 spacing, Vec3 origin, std::array<double, 9> direction,
                                   const char* modality = "CT")
{
    auto v = std::make_shared<Volume>();
    v->columns = nx;
    v->rows = ny;
    v->slices = nz;
    v->spacing = spacing;
    v->origin = origin;
    v->direction = direction;
    v->modality = modality;
    v->units = std::string(modality) == "PT" ? "BQML" : "HU";
    v->image = vtkSmartPointer<vtkImageData>::New();
    v->image->SetDimensions(nx, ny, nz);
    v->image->SetSpacing(spacing.data());
    v->image->SetOrigin(origin.data());
    v->image->SetDirectionMatrix(direction.data());
    v->image->AllocateScalars(VTK_FLOAT, 1);
    auto* p = static_cast<float*>(v->image->GetScalarPointer());
    for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j)
            for (int i = 0; i < nx; ++i)
                *p++ = float(field(i, j, k));
    return v;
}

// 20° about the patient's z axis: an oblique acquisition.
std::array<double, 9> rotatedAboutZ(double degrees)
{
    const double a = degrees * std::numbers::pi / 180, c = std::cos(a), s = std::sin(a);
    return {c, -s, 0, s, c, 0, 0, 0, 1};
}

Vec3 centreOf(const Volume& v, double i, double j, double k)
{
    return Vec3{v.origin[0], v.origin[1], v.origin[2]} +
           multiply(v.direction, {i * v.spacing[0], j * v.spacing[1], k * v.spacing[2]});
}

Vec3 column(const Volume& v, int c) { return {v.direction[c], v.direction[3 + c], v.direction[6 + c]}; }

struct Direct {
    int n = 0;
    double mean = 0, sd = 0, lo = 1e300, hi = -1e300;
};

Direct direct(const std::vector<double>& values)
{
    Direct d;
    d.n = int(values.size());
    for (double x : values)
        d.mean += x / d.n, d.lo = std::min(d.lo, x), d.hi = std::max(d.hi, x);
    for (double x : values)
        d.sd += (x - d.mean) * (x - d.mean);
    d.sd = std::sqrt(d.sd / (d.n - 1));
    return d;
}

TEST(Lengths, AnisotropicVoxelsOnAnObliqueAcquisition)
{
    // 0.7 × 0.9 × 3 mm voxels, axes rotated 20°: a line from voxel (10, 20, 3) to (40, 60, 7) is, by hand,
    // sqrt((30·0.7)² + (40·0.9)² + (4·3)²) = sqrt(441 + 1296 + 144) = sqrt(1881) mm.
    const auto v = makeVolume(64, 80, 12, {0.7, 0.9, 3.0}, {-20, 10, -50}, rotatedAboutZ(20));
    const Vec3 a = centreOf(*v, 10, 20, 3), b = centreOf(*v, 40, 60, 7);
    EXPECT_NEAR(model::lengthMm(a, b), std::sqrt(1881.0), 1e-9);
    // Voxel counts times spacing along each axis would be wrong (the naive "pixels × pixel size" answer).
    EXPECT_GT(std::abs(model::lengthMm(a, b) - std::hypot(30, 40) * 0.7), 5);
    const Vec3 back = continuousIndex(*v, b);
    EXPECT_NEAR(back[0], 40, 1e-9);
    EXPECT_NEAR(back[1], 60, 1e-9);
    EXPECT_NEAR(back[2], 7, 1e-9);

    // A bidirectional drawn on the slice plane of that volume: long axis 30 voxels along i = 21 mm, short axis
    // 10 voxels along j = 9 mm.
    model::Measurement m;
    m.kind = model::MeasurementKind::Bidirectional;
    m.seriesInstanceUid = "1";
    m.plane = {centreOf(*v, 0, 0, 5), column(*v, 0), column(*v, 1)};
    m.points = {centreOf(*v, 10, 30, 5), centreOf(*v, 40, 30, 5), centreOf(*v, 25, 25, 5), centreOf(*v, 25, 35, 5)};
    const auto values = model::measurementValues(m);
    EXPECT_NEAR(*values.longAxisMm, 21.0, 1e-9);
    EXPECT_NEAR(*values.shortAxisMm, 9.0, 1e-9);
}

TEST(RoiStatistics, EllipseOnAnAcquiredSliceCountsTheVoxelsWhoseCentresAreInside)
{
    const auto v = makeVolume(64, 80, 12, {0.7, 0.9, 3.0}, {-20, 10, -50}, rotatedAboutZ(20));
    const int k = 5;
    // Plane origin at voxel (0, 0, 5) plus 0.4 mm along the normal: still slice 5.
    model::Measurement roi;
    roi.kind = model::MeasurementKind::Ellipse;
    roi.seriesInstanceUid = "1";
    roi.plane = {centreOf(*v, 0, 0, k), column(*v, 0), column(*v, 1)};
    const double cu = 20.3, cv = 31.1, a = 9.0, b = 5.5;  // axis-aligned in the plane, mm
    roi.points = {model::planePoint(roi.plane, cu, cv), model::planePoint(roi.plane, cu + a, cv),
                  model::planePoint(roi.plane, cu, cv + b)};

    // Direct: every voxel of slice 5, its centre in plane coordinates is (i·0.7, j·0.9).
    std::vector<double> inside;
    for (int j = 0; j < v->rows; ++j)
        for (int i = 0; i < v->columns; ++i) {
            const double u = i * 0.7 - cu, w = j * 0.9 - cv;
            if ((u * u) / (a * a) + (w * w) / (b * b) <= 1.0)
                inside.push_back(field(i, j, k));
        }
    const Direct d = direct(inside);
    const RoiStatistics s = roiStatistics(*v, roi, valueScale(*v));
    EXPECT_EQ(s.voxelCount, d.n);
    EXPECT_GT(d.n, 100);
    EXPECT_NEAR(*s.mean, d.mean, 1e-9);
    EXPECT_NEAR(*s.standardDeviation, d.sd, 1e-9);
    EXPECT_EQ(*s.minimum, d.lo);
    EXPECT_EQ(*s.maximum, d.hi);
    EXPECT_NEAR(s.areaMm2, std::numbers::pi * a * b, 1e-9);
    EXPECT_EQ(s.unit, "HU");
    EXPECT_FALSE(s.suvMax);
}

TEST(RoiStatistics, PolygonOnAReformattedPlaneSamplesAtTheFinestSpacing)
{
    const auto v = makeVolume(40, 40, 30, {1.0, 1.0, 2.0}, {0, 0, 0}, {1, 0, 0, 0, 1, 0, 0, 0, 1});
    // A coronal-ish plane tilted 30° about x: not an acquired slice.
    const double c = std::cos(std::numbers::pi / 6), s = std::sin(std::numbers::pi / 6);
    model::Measurement roi;
    roi.kind = model::MeasurementKind::Polygon;
    roi.seriesInstanceUid = "1";
    roi.plane = {{0, 20, 0}, {1, 0, 0}, {0, s, c}};
    for (auto [u, w] : std::vector<std::pair<double, double>>{{5.2, 4.1}, {30.7, 6.3}, {25.5, 40.2}, {8.9, 30.0}})
        roi.points.push_back(model::planePoint(roi.plane, u, w));

    // Direct: the 1 mm grid (u, w integers), the nearest voxel of each sample inside, each voxel once.
    std::vector<std::array<double, 2>> polygon;
    for (const auto& p : roi.points)
        polygon.push_back(model::planeCoordinates(roi.plane, p));
    std::set<std::tuple<long, long, long>> voxels;
    for (int w = 0; w <= 45; ++w)
        for (int u = 0; u <= 35; ++u) {
            if (!model::polygonContains(polygon, u, w))
                continue;
            const Vec3 p = model::planePoint(roi.plane, u, w);
            const long i = std::lround(p[0]), j = std::lround(p[1]), k = std::lround(p[2] / 2.0);
            if (i >= 0 && j >= 0 && k >= 0 && i < 40 && j < 40 && k < 30)
                voxels.insert({k, j, i});
        }
    std::vector<double> inside;
    for (const auto& [k, j, i] : voxels)
        inside.push_back(field(int(i), int(j), int(k)));
    const Direct d = direct(inside);
    const RoiStatistics st = roiStatistics(*v, roi, valueScale(*v));
    EXPECT_EQ(st.voxelCount, d.n);
    EXPECT_GT(d.n, 200);
    EXPECT_NEAR(*st.mean, d.mean, 1e-9);
    EXPECT_NEAR(*st.standardDeviation, d.sd, 1e-9);
    EXPECT_EQ(*st.minimum, d.lo);
    EXPECT_EQ(*st.maximum, d.hi);
}

TEST(RoiStatistics, SuvMaxAndPeakOnASyntheticHotSpot)
{
    // PET-like 4 × 4 × 3.27 mm voxels, one hot voxel of 10 000 Bq/mL and a warm neighbourhood.
    auto v = makeVolume(30, 30, 20, {4.0, 4.0, 3.27}, {-60, -60, -30}, {1, 0, 0, 0, 1, 0, 0, 0, 1}, "PT");
    auto* p = static_cast<float*>(v->image->GetScalarPointer());
    for (int k = 0; k < 20; ++k)
        for (int j = 0; j < 30; ++j)
            for (int i = 0; i < 30; ++i) {
                const double r =
                    std::sqrt(std::pow((i - 15) * 4.0, 2) + std::pow((j - 14) * 4.0, 2) + std::pow((k - 10) * 3.27, 2));
                p[(k * 30 + j) * 30 + i] = float(1000 + 9000 * std::exp(-r * r / 50.0));
            }
    model::SuvResult suv;
    suv.status = model::SuvResult::Status::Ok;
    suv.factorBw = 1.0 / 2000.0;
    const ValueScale scale = valueScale(*v, &suv);
    EXPECT_TRUE(scale.suv);
    EXPECT_EQ(scale.unit, "SUVbw");
    EXPECT_EQ(valueScale(*v).unit, "Bq/mL");  // no SUV: never SUV on raw activity

    model::Measurement roi;
    roi.kind = model::MeasurementKind::Ellipse;
    roi.seriesInstanceUid = "1";
    roi.plane = {centreOf(*v, 0, 0, 10), {1, 0, 0}, {0, 1, 0}};
    const Vec3 c = centreOf(*v, 15, 14, 10);
    roi.points = {c, c + Vec3{20, 0, 0}, c + Vec3{0, 20, 0}};
    const RoiStatistics s = roiStatistics(*v, roi, scale);
    ASSERT_TRUE(s.suvMax && s.suvPeak);
    EXPECT_NEAR(*s.suvMax, 10000.0 / 2000.0, 1e-6);
    EXPECT_NEAR((*s.hottestVoxelLps)[0], c[0], 1e-9);

    // Brute force over every voxel of the volume: centres within 6.2 mm of the hottest voxel's centre.
    double sum = 0;
    int n = 0;
    for (int k = 0; k < 20; ++k)
        for (int j = 0; j < 30; ++j)
            for (int i = 0; i < 30; ++i)
                if (model::distanceMm(centreOf(*v, i, j, k), c) <= 6.2) {
                    sum += p[(k * 30 + j) * 30 + i] / 2000.0;
                    ++n;
                }
    EXPECT_EQ(s.peakVoxelCount, n);
    EXPECT_EQ(n, 1 + 4 + 2 + 4 + 8);  // centre; 4 at 4 mm, 2 at 3.27 mm, 4 at 5.66 mm, 8 at 5.17 mm
    EXPECT_NEAR(*s.suvPeak, sum / n, 1e-9);
    EXPECT_LT(*s.suvPeak, *s.suvMax);
}

TEST(RoiStatistics, AcquiredSlicePlanesAreRecognised)
{
    const auto v = makeVolume(8, 8, 4, {0.7, 0.9, 3.0}, {0, 0, 0}, rotatedAboutZ(20));
    EXPECT_TRUE(isAcquiredSlicePlane(*v, {{0, 0, 0}, column(*v, 0), column(*v, 1)}));
    EXPECT_TRUE(isAcquiredSlicePlane(*v, {{0, 0, 6}, column(*v, 1), column(*v, 0) * -1.0}));
    EXPECT_FALSE(isAcquiredSlicePlane(*v, {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}}));  // the unrotated axial plane
    const ViewPlane coronal = standardPlane(PlaneOrientation::Coronal);
    const model::MeasurementPlane p = measurementPlane(coronal, {1, 2, 3});
    EXPECT_EQ(p.origin, (Vec3{1, 2, 3}));
    EXPECT_EQ(p.row, coronal.right);
    EXPECT_EQ(p.column, coronal.down);
    EXPECT_FALSE(isAcquiredSlicePlane(*v, p));
}

TEST(RoiStatistics, RefusesALine)
{
    const auto v = makeVolume(8, 8, 4, {1, 1, 1}, {0, 0, 0}, {1, 0, 0, 0, 1, 0, 0, 0, 1});
    model::Measurement line;
    line.seriesInstanceUid = "1";
    line.points = {{1, 1, 0}, {5, 1, 0}};
    line.plane = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
    EXPECT_THROW(roiStatistics(*v, line, valueScale(*v)), UsageError);
}

// SUVmax and SUVpeak of the demo case's PET lesion (the CTest fixture CONSILIUM_DEMO_DB), against a brute-force
// computation over the loaded volume.
TEST(RoiStatistics, DemoPetLesionSuvMaxAndPeak)
{
    const char* demoDb = std::getenv("CONSILIUM_DEMO_DB");
    if (!demoDb || !std::filesystem::exists(demoDb))
        GTEST_SKIP() << "the demo case fixture (CONSILIUM_DEMO_DB) is not there";
    auto db = store::Database::open(demoDb);
    auto q = db.prepare("SELECT id FROM cases ORDER BY id LIMIT 1");
    ASSERT_TRUE(q.step());
    const std::int64_t caseId = q.integer(0);
    std::string petUid;
    for (const auto& s : store::ImagingIndex(db).series(caseId))
        if (s.modality == "PT")
            petUid = s.seriesInstanceUid;
    ASSERT_FALSE(petUid.empty());
    const auto volume = loadCaseSeriesVolume(db, caseId, petUid);
    const model::SuvResult suv = caseSeriesSuv(db, caseId, petUid);
    ASSERT_EQ(suv.status, model::SuvResult::Status::Ok);

    // A 20 mm-radius circle around the tumour centre, on the PET slice nearest to it (axial, as acquired).
    const demo::TorsoPhantom::Point t = demo::TorsoPhantom::kTumourCentre;
    const long k = std::lround(continuousIndex(*volume, {t[0], t[1], t[2]})[2]);
    const Vec3 planeOrigin = centreOf(*volume, 0, 0, double(k));
    const Vec3 centre{t[0], t[1], planeOrigin[2]};
    model::Measurement roi;
    roi.kind = model::MeasurementKind::Ellipse;
    roi.seriesInstanceUid = petUid;
    roi.plane = {planeOrigin, {1, 0, 0}, {0, 1, 0}};
    roi.points = {centre, centre + Vec3{20, 0, 0}, centre + Vec3{0, 20, 0}};
    const RoiStatistics s = roiStatistics(*volume, roi, valueScale(*volume, &suv));
    ASSERT_TRUE(s.suvMax && s.suvPeak) << s.unit;

    // Brute force: the hottest voxel of slice k inside the circle, then every voxel of the volume within 6.2 mm.
    const Volume& v = *volume;
    auto value = [&](long i, long j, long kk) {
        const std::size_t at = (std::size_t(kk) * v.rows + std::size_t(j)) * v.columns + std::size_t(i);
        return double(static_cast<const float*>(v.image->GetScalarPointer())[at]) * suv.factorBw;
    };
    ASSERT_TRUE(v.isFloat());
    double best = -1;
    Vec3 hottest{};
    long hi = 0, hj = 0;
    int inCircle = 0;
    for (long j = 0; j < v.rows; ++j)
        for (long i = 0; i < v.columns; ++i) {
            const Vec3 p = centreOf(v, double(i), double(j), double(k));
            if (std::hypot(p[0] - centre[0], p[1] - centre[1]) > 20.0)
                continue;
            ++inCircle;
            if (value(i, j, k) > best)
                best = value(i, j, k), hottest = p, hi = i, hj = j;
        }
    double sum = 0;
    int n = 0;
    for (long kk = 0; kk < v.slices; ++kk)
        for (long j = 0; j < v.rows; ++j)
            for (long i = 0; i < v.columns; ++i)
                if (model::distanceMm(centreOf(v, double(i), double(j), double(kk)), hottest) <= 6.2)
                    sum += value(i, j, kk), ++n;
    EXPECT_EQ(s.voxelCount, inCircle);
    EXPECT_NEAR(*s.suvMax, best, 1e-9);
    EXPECT_NEAR(*s.suvPeak, sum / n, 1e-9);
    EXPECT_EQ(s.peakVoxelCount, n);
    EXPECT_NEAR((*s.hottestVoxelLps)[0], centreOf(v, double(hi), double(hj), double(k))[0], 1e-9);
    // And it is the phantom's lesion: a viable rim near SUV 11 (4 mm voxels blur it a little), a peak below it
    // and above the necrotic core.
    EXPECT_GT(*s.suvMax, 0.8 * demo::TorsoPhantom::kTumourSuvMax);
    EXPECT_LT(*s.suvMax, 1.1 * demo::TorsoPhantom::kTumourSuvMax);
    EXPECT_LT(*s.suvPeak, *s.suvMax);
    EXPECT_GT(*s.suvPeak, demo::TorsoPhantom::kTumourCoreSuv);
    std::cout << "demo PET lesion: SUVmax " << *s.suvMax << ", SUVpeak " << *s.suvPeak << " (" << n
              << " voxels), ROI mean " << *s.mean << " over " << s.voxelCount << " voxels\n";
}

}  // namespace
}  // namespace consilium::imaging
