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
    vtkSmartPointer<vtkImageData> local;  // voxelFrameImage: the volume's voxels at origin 0, identity direction
    vtkNew<vtkImageReslice> reslice;
    vtkNew<vtkMatrix4x4> axes;
    std::array<double, 9> toLocal{};  // LPS direction -> local frame (inverse of the direction matrix)
};

vtkSmartPointer<vtkImageData> voxelFrameImage(const Volume& volume)
{
    auto local = vtkSmartPointer<vtkImageData>::New();
    local->ShallowCopy(volume.image);
    local->SetOrigin(0, 0, 0);
    const double identity[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    local->SetDirectionMatrix(identity);
    return local;
}

PlaneSampler::PlaneSampler(std::shared_ptr<const Volume> volume)
    : volume_(std::move(volume)), pipeline_(std::make_unique<Pipeline>())
{
    Pipeline& p = *pipeline_;
    p.local = voxelFrameImage(*volume_);
    p.toLocal = inverse(volume_->direction);
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
    // Slab samples one finest voxel apart, centred on the plane. An odd count: vtkImageReslice puts an even number of
    // slab samples half a sample off-centre (found by tests/imaging/mpr_test.cpp, thick slab).
    const double slabStep = finestSpacing(*volume_);
    int slabSamples = 1;
    if (slab.mode != SlabMode::None && slab.thicknessMm > slabStep)
        slabSamples = std::max(1, int(std::lround(slab.thicknessMm / slabStep))) | 1;
    const Vec3 columns[4] = {multiply(p.toLocal, grid.xStep), multiply(p.toLocal, grid.yStep),
                             multiply(p.toLocal, normal), multiply(p.toLocal, grid.origin - origin)};
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 3; ++r)
            p.axes->SetElement(r, c, columns[c][std::size_t(r)]);
    p.axes->Modified();
    p.reslice->SetOutputExtent(0, grid.width - 1, 0, grid.height - 1, 0, 0);
    p.reslice->SetOutputSpacing(1, 1, slabStep);  // the z spacing is the slab's sample spacing
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
