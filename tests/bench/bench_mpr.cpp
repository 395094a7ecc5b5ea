// MPR frame time on a 512×512×300 CT-sized volume (int16, 0.7 × 0.7 × 1.5 mm): what one view costs per frame
// while scrolling (axial), while rotating an oblique plane, and with a 20 mm MIP slab, at 1 and 2 threads, for a
// 512² view. Peer, in the same run: a plain one-thread trilinear loop over the same plane (what a straightforward
// sampler costs). Target (issue 4): 2D MPR frame ≤ 16 ms on this 2-core machine.
//
// The figure is the CPU sampling of one frame (imaging::PlaneSampler), which is the whole per-frame cost of a
// scroll or a rotation: the window/level and colour map run in the fragment shader, and the upload of a 512²
// float texture is well under a millisecond.
#include <vtkImageData.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "imaging/plane_sampler.h"
#include "imaging/view_plane.h"

using namespace consilium::imaging;
using Clock = std::chrono::steady_clock;

namespace {

std::shared_ptr<Volume> makeVolume()
{
    auto v = std::make_shared<Volume>();
    v->columns = 512;
    v->rows = 512;
    v->slices = 300;
    v->spacing = {0.7, 0.7, 1.5};
    v->origin = {-179, -179, -225};
    v->modality = "CT";
    v->image = vtkSmartPointer<vtkImageData>::New();
    v->image->SetDimensions(512, 512, 300);
    v->image->SetSpacing(v->spacing.data());
    v->image->SetOrigin(v->origin.data());
    v->image->AllocateScalars(VTK_SHORT, 1);
    auto* p = static_cast<short*>(v->image->GetScalarPointer());
    for (int k = 0; k < 300; ++k)
        for (int j = 0; j < 512; ++j)
            for (int i = 0; i < 512; ++i) {
                const double r = std::hypot(i - 256.0, (j - 256.0) * 1.3);
                *p++ = short(r < 230 ? 40 + ((i ^ j ^ k) & 63) : -1000);
            }
    v->minimum = -1000;
    v->maximum = 103;
    return v;
}

// The peer: one thread, trilinear, no VTK.
void plainTrilinear(const Volume& v, const PlaneGrid& g, std::vector<float>& out)
{
    const short* data = static_cast<const short*>(v.image->GetScalarPointer());
    const std::size_t nx = std::size_t(v.columns), nxy = nx * std::size_t(v.rows);
    out.resize(std::size_t(g.width) * std::size_t(g.height));
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x) {
            const Vec3 p = g.origin + g.xStep * x + g.yStep * y;
            const double fi = (p[0] - v.origin[0]) / v.spacing[0], fj = (p[1] - v.origin[1]) / v.spacing[1],
                         fk = (p[2] - v.origin[2]) / v.spacing[2];
            float value = -1000;
            if (fi >= 0 && fj >= 0 && fk >= 0 && fi < v.columns - 1 && fj < v.rows - 1 && fk < v.slices - 1) {
                const auto i = std::size_t(fi), j = std::size_t(fj), k = std::size_t(fk);
                const double a = fi - double(i), b = fj - double(j), c = fk - double(k);
                const short* q = data + k * nxy + j * nx + i;
                const double c00 = q[0] * (1 - a) + q[1] * a, c10 = q[nx] * (1 - a) + q[nx + 1] * a;
                const double c01 = q[nxy] * (1 - a) + q[nxy + 1] * a, c11 = q[nxy + nx] * (1 - a) + q[nxy + nx + 1] * a;
                value = float((c00 * (1 - b) + c10 * b) * (1 - c) + (c01 * (1 - b) + c11 * b) * c);
            }
            out[std::size_t(y) * std::size_t(g.width) + std::size_t(x)] = value;
        }
}

struct Figure {
    double meanMs;
    double p95Ms;
};

template <typename Frame>
Figure timeFrames(int frames, Frame frame)
{
    std::vector<double> ms;
    for (int f = 0; f < frames; ++f) {
        const auto start = Clock::now();
        frame(f);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (double m : ms)
        sum += m;
    return {sum / double(ms.size()), ms[std::size_t(double(ms.size()) * 0.95)]};
}

}  // namespace

int main()
{
    const auto volume = makeVolume();
    const int size = 512;
    const double mmPerPixel = 512 * 0.7 / size;
    const Vec3 centre = volumeCentre(*volume);
    std::vector<float> out;
    std::printf("MPR frame, 512x512x300 int16 volume, %dx%d view (ms per frame: mean / p95)\n", size, size);

    const auto axialAt = [&](int f) {
        return viewGrid(standardPlane(PlaneOrientation::Axial), centre + Vec3{0, 0, (f % 200 - 100) * 1.5}, mmPerPixel,
                        size, size, finestSpacing(*volume));
    };
    const auto obliqueAt = [&](int f) {
        const Rotation r = rotationAbout({1, 0.3, 0}, 10 + f * 0.5);
        return viewGrid(rotated(standardPlane(PlaneOrientation::Coronal), r), centre, mmPerPixel, size, size,
                        finestSpacing(*volume));
    };
    const Figure peerAxial = timeFrames(30, [&](int f) { plainTrilinear(*volume, axialAt(f), out); });
    const Figure peerOblique = timeFrames(30, [&](int f) { plainTrilinear(*volume, obliqueAt(f), out); });
    std::printf("  peer (plain trilinear loop, 1 thread): scroll %.1f / %.1f, oblique %.1f / %.1f\n", peerAxial.meanMs,
                peerAxial.p95Ms, peerOblique.meanMs, peerOblique.p95Ms);

    for (int threads : {1, 2}) {
        PlaneSampler sampler(volume);
        const Figure scroll = timeFrames(100, [&](int f) { sampler.sample(axialAt(f), {}, out, -1000, threads); });
        const Figure oblique = timeFrames(100, [&](int f) { sampler.sample(obliqueAt(f), {}, out, -1000, threads); });
        const Figure slab = timeFrames(30, [&](int f) {
            sampler.sample(obliqueAt(f), {SlabMode::Maximum, 20}, out, -1000, threads);
        });
        const auto coarseAt = [&](int f) {  // as SliceView samples a slab while dragging: half resolution
            const Rotation r = rotationAbout({1, 0.3, 0}, 10 + f * 0.5);
            return viewGrid(rotated(standardPlane(PlaneOrientation::Coronal), r), centre, mmPerPixel, size, size,
                            finestSpacing(*volume) * 2);
        };
        const Figure coarseSlab = timeFrames(30, [&](int f) {
            sampler.sample(coarseAt(f), {SlabMode::Maximum, 20}, out, -1000, threads);
        });
        std::printf(
            "  Consilium, %d thread%s: scroll %.1f / %.1f (%.2fx peer), oblique rotation %.1f / %.1f (%.2fx "
            "peer), oblique 20 mm MIP slab %.1f / %.1f (while dragging, half resolution: %.1f / %.1f)   "
            "target <= 16 ms: %s\n",
            threads, threads > 1 ? "s" : " ", scroll.meanMs, scroll.p95Ms, scroll.meanMs / peerAxial.meanMs,
            oblique.meanMs, oblique.p95Ms, oblique.meanMs / peerOblique.meanMs, slab.meanMs, slab.p95Ms,
            coarseSlab.meanMs, coarseSlab.p95Ms, std::max(scroll.p95Ms, oblique.p95Ms) <= 16 ? "met" : "NOT met");
    }
    return 0;
}
