#include "imaging/plane_sampler.h"

#include <vtkImageData.h>
#include <vtkImageReslice.h>
#include <vtkMatrix4x4.h>
#include <vtkNew.h>
#include <vtkPointData.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace consilium::imaging {

struct PlaneSampler::Pipeline {
    vtkNew<vtkImageData> local;  // the volume's voxels at origin 0, identity direction
    vtkNew<vtkImageReslice> reslice;
    vtkNew<vtkMatrix4x4> axes;
    std::array<double, 9> toLocal{};  // LPS direction -> local frame (inverse of the direction matrix)
};

namespace {

std::array<double, 9> inverted(const std::array<double, 9>& m)
{
    vtkNew<vtkMatrix4x4> matrix;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            matrix->SetElement(r, c, m[std::size_t(r * 3 + c)]);
    matrix->Invert();
    std::array<double, 9> out{};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            out[std::size_t(r * 3 + c)] = matrix->GetElement(r, c);
    return out;
}

Vec3 times(const std::array<double, 9>& m, const Vec3& v)
{
    return {m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
            m[6] * v[0] + m[7] * v[1] + m[8] * v[2]};
}

}  // namespace

PlaneSampler::PlaneSampler(std::shared_ptr<const Volume> volume)
    : volume_(std::move(volume)), pipeline_(std::make_unique<Pipeline>())
{
    Pipeline& p = *pipeline_;
    p.local->ShallowCopy(volume_->image);
    p.local->SetOrigin(0, 0, 0);
    const double identity[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    p.local->SetDirectionMatrix(identity);
    p.toLocal = inverted(volume_->direction);
    p.reslice->SetInputData(p.local);
    p.reslice->SetResliceAxes(p.axes);
    p.reslice->SetOutputScalarType(VTK_FLOAT);
    p.reslice->SetInterpolationModeToLinear();
    p.reslice->AutoCropOutputOff();
    p.reslice->SetOutputOrigin(0, 0, 0);
    p.reslice->SetOutputSpacing(1, 1, 1);
    p.reslice->SetOutputDimensionality(2);
}

PlaneSampler::~PlaneSampler() = default;

void PlaneSampler::sample(const PlaneGrid& grid, const Slab& slab, std::vector<float>& out, float outside, int threads)
{
    Pipeline& p = *pipeline_;
    const Vec3 origin{volume_->origin[0], volume_->origin[1], volume_->origin[2]};
    const Vec3 normal = normalized(cross(grid.xStep, grid.yStep));
    // Slab samples one finest voxel apart, centred on the plane (vtkImageReslice centres the slab on z = 0).
    const double slabStep = finestSpacing(*volume_);
    int slabSamples = 1;
    if (slab.mode != SlabMode::None && slab.thicknessMm > slabStep)
        slabSamples = std::max(1, int(std::lround(slab.thicknessMm / slabStep)));
    const Vec3 columns[4] = {times(p.toLocal, grid.xStep), times(p.toLocal, grid.yStep),
                             times(p.toLocal, normal * slabStep), times(p.toLocal, grid.origin - origin)};
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 3; ++r)
            p.axes->SetElement(r, c, columns[c][std::size_t(r)]);
    p.axes->Modified();
    p.reslice->SetOutputExtent(0, grid.width - 1, 0, grid.height - 1, 0, 0);
    p.reslice->SetBackgroundLevel(outside);
    p.reslice->SetSlabNumberOfSlices(slabSamples);
    switch (slab.mode) {
        case SlabMode::Minimum:
            p.reslice->SetSlabModeToMin();
            break;
        case SlabMode::Mean:
            p.reslice->SetSlabModeToMean();
            break;
        default:
            p.reslice->SetSlabModeToMax();
            break;
    }
    if (threads > 0)
        p.reslice->SetNumberOfThreads(threads);
    p.reslice->Update();
    vtkImageData* result = p.reslice->GetOutput();
    const auto count = std::size_t(grid.width) * std::size_t(grid.height);
    out.resize(count);
    std::memcpy(out.data(), result->GetScalarPointer(), count * sizeof(float));
}

}  // namespace consilium::imaging
