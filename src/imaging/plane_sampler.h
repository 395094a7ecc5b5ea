#pragma once
// Samples a shared Volume on a PlaneGrid (view_plane.h): the pixels of one MPR view, thick slab included.
//
// Each sampler owns its own vtkImageReslice and a shallow copy of the volume's image (same voxel array, its own
// pipeline information), so views on different threads never touch each other's VTK state while sharing one copy
// of the voxels. The copy is placed at the origin with an identity direction and the plane is mapped into that
// frame, so any volume geometry (oblique acquisitions, gantry-tilt shear) resamples exactly.
#include <memory>
#include <vector>

#include "imaging/view_plane.h"

namespace consilium::imaging {

// The volume's voxels (the same array, not a copy) as an image at the origin with identity direction: the frame in
// which VTK filters and mappers see any volume geometry as a plain grid. Patient = origin + direction · local.
vtkSmartPointer<vtkImageData> voxelFrameImage(const Volume& volume);

enum class SlabMode { None, Maximum, Minimum, Mean };

struct Slab {
    SlabMode mode = SlabMode::None;
    double thicknessMm = 0;  // full thickness, centred on the plane; ignored for None
};

class PlaneSampler {
public:
    explicit PlaneSampler(std::shared_ptr<const Volume> volume);
    ~PlaneSampler();
    PlaneSampler(const PlaneSampler&) = delete;
    PlaneSampler& operator=(const PlaneSampler&) = delete;

    const std::shared_ptr<const Volume>& volume() const { return volume_; }

    // Fills `out` (width × height floats, row-major, rescaled units: HU, Bq/mL…) with trilinear samples; points
    // outside the volume get `outside`. threads: 0 = VTK's default (all cores).
    void sample(const PlaneGrid& grid, const Slab& slab, std::vector<float>& out, float outside, int threads = 0);

private:
    struct Pipeline;
    std::shared_ptr<const Volume> volume_;
    std::unique_ptr<Pipeline> pipeline_;
};

}  // namespace consilium::imaging
