// 3D view frame time: the PET maximum-intensity projection the way VolumeView renders it (vtkGPUVolumeRayCastMapper
// on OpenGL, which on this machine is Mesa llvmpipe, i.e. the CPU), at 256² and 512², at full resolution and at the
// reduced resolution used while dragging (image sample distance 2.5), with llvmpipe on 1 and 2 threads. Peer in the
// same run: VTK's own CPU ray caster, vtkFixedPointVolumeRayCastMapper, with the same threads. Target (issue 4):
// interactive MIP ≥ 10 frames a second at the reduced resolution.
//
// Needs an X display (VTK on Debian is GLX only): scripts/bench.sh runs it under Xvfb. Each thread count runs in a
// child process, because llvmpipe reads LP_NUM_THREADS once, when the context is made.
#include <vtkCamera.h>
#include <vtkColorTransferFunction.h>
#include <vtkFixedPointVolumeRayCastMapper.h>
#include <vtkGPUVolumeRayCastMapper.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPiecewiseFunction.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// A whole-body PET-sized volume, float Bq/mL: 192 × 192 × 300 at 3.65 × 3.65 × 3.27 mm, a warm body with hot spots.
vtkNew<vtkImageData> petVolume()
{
    vtkNew<vtkImageData> image;
    image->SetDimensions(192, 192, 300);
    image->SetSpacing(3.65, 3.65, 3.27);
    image->AllocateScalars(VTK_FLOAT, 1);
    auto* p = static_cast<float*>(image->GetScalarPointer());
    for (int k = 0; k < 300; ++k)
        for (int j = 0; j < 192; ++j)
            for (int i = 0; i < 192; ++i) {
                const double r = std::hypot(i - 96.0, (j - 96.0) * 1.4);
                float v = r < 70 ? 5000.0f + float((i * 7 + j * 13 + k * 5) % 900) : 0.0f;
                if (std::hypot(i - 70.0, j - 90.0, (k - 200.0) * 0.9) < 8)
                    v = 60000;
                *p++ = v;
            }
    return image;
}

struct Figure {
    double meanMs;
    double fps() const { return 1000.0 / meanMs; }
};

Figure timeFrames(vtkRenderWindow* window, vtkRenderer* renderer, int frames)
{
    window->Render();  // first frame: texture upload, shader build
    const auto start = Clock::now();
    for (int f = 0; f < frames; ++f) {
        renderer->GetActiveCamera()->Azimuth(4);
        window->Render();
    }
    return {std::chrono::duration<double, std::milli>(Clock::now() - start).count() / frames};
}

// One thread count: every size, both resolutions, both mappers. Prints one line per measure.
int runChild(int threads)
{
    vtkNew<vtkImageData> image = petVolume();
    vtkNew<vtkColorTransferFunction> colour;
    colour->AddRGBPoint(0, 1, 1, 1);
    colour->AddRGBPoint(20000, 0, 0, 0);
    vtkNew<vtkPiecewiseFunction> opacity;
    opacity->AddPoint(0, 0);
    opacity->AddPoint(20000, 1);
    vtkNew<vtkVolumeProperty> property;
    property->SetColor(colour);
    property->SetScalarOpacity(opacity);
    property->SetInterpolationTypeToLinear();

    for (int size : {256, 512}) {
        double gpuFull = 0, gpuCoarse = 0, cpuFull = 0, cpuCoarse = 0;
        for (int cpu = 0; cpu < 2; ++cpu) {
            vtkNew<vtkRenderWindow> window;
            window->SetOffScreenRendering(1);
            window->SetSize(size, size);
            window->SetMultiSamples(0);
            vtkNew<vtkRenderer> renderer;
            renderer->SetBackground(1, 1, 1);
            window->AddRenderer(renderer);
            vtkNew<vtkVolume> volume;
            volume->SetProperty(property);
            vtkNew<vtkGPUVolumeRayCastMapper> gpu;
            vtkNew<vtkFixedPointVolumeRayCastMapper> fixed;
            fixed->SetNumberOfThreads(threads);
            vtkVolumeMapper* mapper = cpu ? static_cast<vtkVolumeMapper*>(fixed) : gpu;
            mapper->SetInputData(image);
            mapper->SetBlendModeToMaximumIntensity();
            volume->SetMapper(mapper);
            renderer->AddVolume(volume);
            renderer->ResetCamera();
            renderer->GetActiveCamera()->Elevation(-90);
            renderer->GetActiveCamera()->OrthogonalizeViewUp();
            for (double distance : {1.0, 2.5}) {
                if (cpu) {
                    fixed->SetAutoAdjustSampleDistances(0);
                    fixed->SetImageSampleDistance(float(distance));
                } else {
                    gpu->SetAutoAdjustSampleDistances(false);
                    gpu->SetImageSampleDistance(float(distance));
                }
                const double ms = timeFrames(window, renderer, 12).meanMs;
                (cpu ? (distance > 1 ? cpuCoarse : cpuFull) : (distance > 1 ? gpuCoarse : gpuFull)) = ms;
            }
        }
        std::printf(
            "  %d thread%s, %3d²: full %.0f ms (%.1f fps), dragging %.0f ms (%.1f fps) | peer "
            "vtkFixedPointVolumeRayCastMapper: full %.0f ms, dragging %.0f ms | ratio full %.2fx, dragging "
            "%.2fx | target >= 10 fps dragging: %s\n",
            threads, threads > 1 ? "s" : " ", size, gpuFull, 1000 / gpuFull, gpuCoarse, 1000 / gpuCoarse, cpuFull,
            cpuCoarse, gpuFull / cpuFull, gpuCoarse / cpuCoarse, 1000 / gpuCoarse >= 10 ? "met" : "NOT met");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::string(argv[1]) == "--threads")
        return runChild(std::atoi(argv[2]));
    if (!std::getenv("DISPLAY")) {
        std::printf("bench_mip: needs an X display (scripts/bench.sh runs it under Xvfb); skipped\n");
        return 0;
    }
    std::printf("PET MIP, 192x192x300 float volume, turning 4 degrees a frame (mean ms per frame)\n");
    for (int threads : {1, 2}) {
        const std::string command =
            "LP_NUM_THREADS=" + std::to_string(threads) + " '" + argv[0] + "' --threads " + std::to_string(threads);
        std::fflush(stdout);
        if (std::system(command.c_str()) != 0)
            return 1;
    }
    return 0;
}
