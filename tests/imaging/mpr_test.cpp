// Multiplanar reformatting: plane geometry, orientation letters, sampling (standard, oblique, anisotropic voxels,
// rotated acquisitions, thick slabs) against values computed directly in the test.
#include <gtest/gtest.h>

#include <vtkImageData.h>

#include <cmath>
#include <numbers>

#include "imaging/plane_sampler.h"
#include "imaging/view_plane.h"
#include "model/window_level.h"

namespace consilium::imaging {
namespace {

// f(i, j, k) = i + 10 j + 100 k: linear, so trilinear sampling is exact and any point can be checked by hand.
double linearField(const Vec3& index) { return index[0] + 10 * index[1] + 100 * index[2]; }

std::shared_ptr<Volume> makeVolume(int nx, int ny, int nz, Vec3 spacing, Vec3 origin,
                                   std::array<double, 9> direction = {1, 0, 0, 0, 1, 0, 0, 0, 1})
{
    auto v = std::make_shared<Volume>();
    v->columns = nx;
    v->rows = ny;
    v->slices = nz;
    v->spacing = spacing;
    v->origin = origin;
    v->direction = direction;
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
                *p++ = float(linearField({double(i), double(j), double(k)}));
    v->minimum = 0;
    v->maximum = linearField({nx - 1.0, ny - 1.0, nz - 1.0});
    return v;
}

TEST(OrientationLetters, StandardPlanesFollowTheRadiologicalConvention)
{
    const ViewPlane axial = standardPlane(PlaneOrientation::Axial);
    EXPECT_EQ(orientationLetters(axial.right), "L");  // patient's left on the screen's right
    EXPECT_EQ(orientationLetters(axial.right * -1), "R");
    EXPECT_EQ(orientationLetters(axial.down * -1), "A");  // anterior at the top
    EXPECT_EQ(orientationLetters(axial.normal()), "S");   // seen from the feet, into the screen is up
    const ViewPlane coronal = standardPlane(PlaneOrientation::Coronal);
    EXPECT_EQ(orientationLetters(coronal.down * -1), "S");
    EXPECT_EQ(orientationLetters(coronal.right * -1), "R");
    const ViewPlane sagittal = standardPlane(PlaneOrientation::Sagittal);
    EXPECT_EQ(orientationLetters(sagittal.right * -1), "A");  // anterior on the left
    EXPECT_EQ(orientationLetters(sagittal.down * -1), "S");
}

TEST(OrientationLetters, ObliqueNamesTheSecondaryAxisFromAQuarter)
{
    const ViewPlane axial = rotated(standardPlane(PlaneOrientation::Axial), rotationAbout({0, 0, 1}, 30));
    EXPECT_EQ(orientationLetters(axial.right), "LP");  // cos 30 = 0.87 L, sin 30 = 0.5 P
    const ViewPlane slight = rotated(standardPlane(PlaneOrientation::Axial), rotationAbout({0, 0, 1}, 10));
    EXPECT_EQ(orientationLetters(slight.right), "L");  // sin 10 = 0.17: below a quarter
}

TEST(Rotation, ComposedRotationsStayOrthonormal)
{
    Rotation r = kNoRotation;
    for (int n = 0; n < 360; ++n)
        r = compose(r, rotationAbout({0.3, 1, 0.2}, 1));  // a full turn in 360 steps
    const Vec3 x = multiply(r, {1, 0, 0});
    EXPECT_NEAR(x[0], 1, 1e-9);
    EXPECT_NEAR(norm(multiply(r, {0, 1, 0})), 1, 1e-12);
}

TEST(SliceRange, StepIsTheSpacingAlongTheNormalAndIndexIsClamped)
{
    auto v = makeVolume(20, 30, 40, {0.7, 0.7, 2.5}, {-10, -20, -30});
    const SliceRange axial = sliceRange(*v, {0, 0, 1});
    EXPECT_DOUBLE_EQ(axial.step, 2.5);
    EXPECT_EQ(axial.count(), 40);
    EXPECT_DOUBLE_EQ(axial.first, -30);
    EXPECT_EQ(axial.indexOf(-30 + 2.5 * 7 + 0.4), 7);
    EXPECT_EQ(axial.indexOf(1e6), 39);
    const SliceRange sagittal = sliceRange(*v, {1, 0, 0});
    EXPECT_DOUBLE_EQ(sagittal.step, 0.7);
    EXPECT_EQ(sagittal.count(), 20);
}

// Samples one plane and compares every pixel with the field at the pixel's continuous index.
void expectPlaneMatchesField(const Volume& v, const PlaneGrid& grid)
{
    PlaneSampler sampler(std::shared_ptr<const Volume>(std::shared_ptr<const Volume>{}, &v));
    std::vector<float> values;
    sampler.sample(grid, {}, values, -1.0f, 1);
    ASSERT_EQ(values.size(), std::size_t(grid.width * grid.height));
    int checked = 0;
    for (int y = 0; y < grid.height; ++y)
        for (int x = 0; x < grid.width; ++x) {
            const Vec3 p = grid.origin + grid.xStep * x + grid.yStep * y;
            const Vec3 index = continuousIndex(v, p);
            const bool inside = index[0] >= 1e-6 && index[1] >= 1e-6 && index[2] >= 1e-6 &&
                                index[0] <= v.columns - 1 - 1e-6 && index[1] <= v.rows - 1 - 1e-6 &&
                                index[2] <= v.slices - 1 - 1e-6;
            if (!inside)
                continue;
            ++checked;
            ASSERT_NEAR(values[std::size_t(y * grid.width + x)], linearField(index), 2e-3) << "pixel " << x << "," << y;
        }
    EXPECT_GT(checked, grid.width * grid.height / 8) << "the plane must cross the volume";
}

TEST(PlaneSampler, StandardPlanesOnAnisotropicVoxels)
{
    auto v = makeVolume(24, 20, 16, {0.8, 0.8, 3.0}, {-5, 7, 100});
    const Vec3 centre = volumeCentre(*v) + Vec3{0.3, -0.2, 1.1};
    for (auto o : {PlaneOrientation::Axial, PlaneOrientation::Coronal, PlaneOrientation::Sagittal})
        expectPlaneMatchesField(*v, viewGrid(standardPlane(o), centre, 0.5, 50, 40, 0.0));
}

TEST(PlaneSampler, ObliquePlaneMatchesHandComputedValues)
{
    auto v = makeVolume(30, 30, 20, {0.9, 0.9, 2.0}, {0, 0, 0});
    const Rotation r = compose(rotationAbout({0, 0, 1}, 25), rotationAbout({1, 0, 0}, 35));
    expectPlaneMatchesField(
        *v, viewGrid(rotated(standardPlane(PlaneOrientation::Axial), r), volumeCentre(*v), 0.6, 40, 40, 0.0));
}

TEST(PlaneSampler, RotatedAcquisitionIsResampledInPatientSpace)
{
    // Columns along patient P, rows along patient L, slices along patient I: a sagittally acquired block.
    auto v = makeVolume(18, 22, 14, {1.1, 0.9, 1.7}, {50, -20, 30}, {0, 1, 0, 1, 0, 0, 0, 0, -1});
    for (auto o : {PlaneOrientation::Axial, PlaneOrientation::Coronal, PlaneOrientation::Sagittal})
        expectPlaneMatchesField(*v, viewGrid(standardPlane(o), volumeCentre(*v), 0.7, 40, 40, 0.0));
}

TEST(PlaneSampler, GantryTiltShearIsFollowed)
{
    // k axis = normal + 0.3 × row direction (a 16.7° tilt kept as shear, as volume.h describes).
    auto v = makeVolume(20, 20, 12, {1, 1, 2}, {0, 0, 0}, {1, 0, 0, 0, 1, 0.3, 0, 0, 1});
    expectPlaneMatchesField(*v,
                            viewGrid(standardPlane(PlaneOrientation::Sagittal), volumeCentre(*v), 0.5, 50, 50, 0.0));
}

TEST(PlaneSampler, ThickSlabMaximumMinimumAndMean)
{
    auto v = makeVolume(10, 10, 21, {1, 1, 1}, {0, 0, 0});
    // The field grows by 100 per slice: over a 9 mm slab centred on slice 10 the maximum is slice 14's value,
    // the minimum slice 6's, the mean slice 10's.
    const Vec3 centre{4, 4, 10};
    const PlaneGrid grid = viewGrid(standardPlane(PlaneOrientation::Axial), centre, 1.0, 1, 1, 0.0);
    PlaneSampler sampler(v);
    std::vector<float> out;
    sampler.sample(grid, {SlabMode::Maximum, 9}, out, 0);
    EXPECT_NEAR(out[0], linearField({4, 4, 14}), 1e-3);
    sampler.sample(grid, {SlabMode::Minimum, 9}, out, 0);
    EXPECT_NEAR(out[0], linearField({4, 4, 6}), 1e-3);
    sampler.sample(grid, {SlabMode::Mean, 9}, out, 0);
    EXPECT_NEAR(out[0], linearField({4, 4, 10}), 1e-3);
    sampler.sample(grid, {}, out, 0);
    EXPECT_NEAR(out[0], linearField({4, 4, 10}), 1e-3);
    // An even thickness in voxels still gives a slab centred on the plane (an odd number of samples).
    sampler.sample(grid, {SlabMode::Maximum, 6}, out, 0);
    const double max6 = out[0];
    sampler.sample(grid, {SlabMode::Minimum, 6}, out, 0);
    EXPECT_NEAR(max6 - linearField({4, 4, 10}), linearField({4, 4, 10}) - out[0], 1e-3);
}

TEST(PlaneSampler, OutsideTheVolumeGetsTheBackground)
{
    auto v = makeVolume(8, 8, 8, {1, 1, 1}, {0, 0, 0});
    const PlaneGrid grid = viewGrid(standardPlane(PlaneOrientation::Axial), {100, 100, 4}, 1.0, 4, 4, 0.0);
    std::vector<float> out;
    PlaneSampler(v).sample(grid, {}, out, -1024.0f);
    for (float value : out)
        EXPECT_EQ(value, -1024.0f);
}

TEST(ViewGrid, NeverSamplesFinerThanTheVoxels)
{
    const PlaneGrid zoomedIn = viewGrid(standardPlane(PlaneOrientation::Axial), {0, 0, 0}, 0.1, 800, 600, 0.5);
    EXPECT_EQ(zoomedIn.width, 160);  // 80 mm at 0.5 mm
    EXPECT_EQ(zoomedIn.height, 120);
    EXPECT_NEAR(zoomedIn.origin[0], -40 + 0.25, 1e-9);
    const PlaneGrid zoomedOut = viewGrid(standardPlane(PlaneOrientation::Axial), {0, 0, 0}, 1.0, 800, 600, 0.5);
    EXPECT_EQ(zoomedOut.width, 800);
}

TEST(VoxelValue, NearestVoxelAndNothingOutside)
{
    auto v = makeVolume(10, 10, 10, {2, 2, 3}, {-10, -10, -15});
    EXPECT_DOUBLE_EQ(*voxelValueAt(*v, {-10 + 2 * 3 + 0.4, -10 + 2 * 5, -15 + 3 * 7 - 1.2}), linearField({3, 5, 7}));
    EXPECT_FALSE(voxelValueAt(*v, {-13, 0, 0}));
}

TEST(WindowLevel, DicomLinearVoiFunction)
{
    const model::Window w{400, 40};
    EXPECT_DOUBLE_EQ(model::voiLinear(40 - 0.5 - 199.5, w), 0);
    EXPECT_DOUBLE_EQ(model::voiLinear(40 - 0.5 + 199.5 + 0.01, w), 1);
    EXPECT_NEAR(model::voiLinear(39.5, w), 0.5, 1e-12);
    EXPECT_NEAR(model::voiLinear(139.25, w), 0.75, 1e-12);  // (139.25 − 39.5)/399 + 0.5
    EXPECT_EQ(model::ctWindowPresets().size(), 6u);
    EXPECT_EQ(model::ctWindowPreset("lung")->window.level, -600);
    EXPECT_EQ(model::ctWindowPreset("Soft-tissue")->window.width, 400);
    EXPECT_FALSE(model::ctWindowPreset("spleen"));
}

TEST(WindowLevel, AutoWindowCoversTheBulkOfTheHistogram)
{
    std::vector<float> values;
    for (int i = 0; i <= 1000; ++i)
        values.push_back(float(i));
    values.push_back(1e6f);  // one outlier (metal) must not stretch the window
    const model::Window w = model::windowFromQuantiles(values);
    EXPECT_NEAR(w.level, 500, 6);
    EXPECT_NEAR(w.width, 990, 12);
}

}  // namespace
}  // namespace consilium::imaging
