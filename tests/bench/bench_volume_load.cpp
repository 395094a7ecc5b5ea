// Loading a DICOM series into a Volume, against dcm2niix converting the same series, in the same run.
//
//   bench_volume_load [work-folder]
//
// 1. Writes a 300-slice 512×512 CT (writeSyntheticSeries, a smooth function) once into the work folder.
// 2. Warm page cache, best of 3: loadVolume (headers + pixels into a vtkImageData; the cache is emptied between
//    runs) vs `dcm2niix -z n -o <tmp> <dir>` (headers + pixels into an uncompressed NIfTI). Ratio target ≤ 0.5.
// 3. Peak resident memory of one load (VmHWM reset through /proc/self/clear_refs just before it) against the
//    voxel bytes. Target ≤ 1.2×.
// 4. Header indexing: readDicomInstance over a folder of 10,000 files (hard links to 100 small synthetic slices),
//    warm, best of 3. Target ≥ 5,000 files/s.
// Prints figures and ratios; exits 0 whatever they are (speed targets never fail a build).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "bench_series.h"
#include "imaging/dicom_instance.h"
#include "imaging/synthetic_series.h"
#include "imaging/volume.h"

namespace fs = std::filesystem;
using namespace consilium::imaging;
using consilium::bench::benchCtSeries;
using consilium::bench::writeCt;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double bestOf(int runs, const std::function<void()>& run)
{
    double best = 1e300;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        run();
        best = std::min(best, seconds(Clock::now() - start));
    }
    return best;
}

// kB from a line of /proc/self/status ("VmHWM:   123456 kB").
long statusKb(const char* field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(field, 0) == 0)
            return std::strtol(line.c_str() + std::strlen(field), nullptr, 10);
    return -1;
}

// Resets VmHWM to the current RSS (Linux ≥ 4.0); false when the kernel refuses.
bool resetPeakRss()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return bool(clear);
}

void warm(const std::vector<fs::path>& files)
{
    std::vector<char> buffer(1 << 20);
    for (const fs::path& f : files) {
        std::ifstream in(f, std::ios::binary);
        while (in.read(buffer.data(), std::streamsize(buffer.size())))
            ;
    }
}

bool haveDcm2niix() { return std::system("dcm2niix -h > /dev/null 2>&1") == 0; }

}  // namespace

int main(int argc, char** argv)
{
    const fs::path work = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "consilium-bench-volume";
    const fs::path seriesDir = work / "ct300";
    const fs::path niftiDir = work / "nifti";
    const fs::path indexDir = work / "index10k";
    fs::create_directories(work);

    // --- 1. The series (written once; reused by later runs) -------------------------------------------------------
    const std::vector<fs::path> files = benchCtSeries(seriesDir);
    warm(files);

    // --- 2. Load vs dcm2niix -----------------------------------------------------------------------------------------
    std::size_t voxelBytes = 0;
    const double load = bestOf(3, [&] {
        auto volume = loadVolume(VolumeRequest{files, "", ""});
        voxelBytes = volume->voxelBytes();
        // the volume is released here, so the next run cannot find it in the weak cache
    });
    std::printf("loadVolume       : %7.3f s  (best of 3, warm; %.1f MB/s of voxels)\n", load,
                double(voxelBytes) / load / 1e6);
    double niix = 0;
    if (haveDcm2niix()) {
        const std::string command =
            "dcm2niix -z n -o '" + niftiDir.string() + "' '" + seriesDir.string() + "' > /dev/null 2>&1";
        niix = bestOf(3, [&] {
            fs::remove_all(niftiDir);
            fs::create_directories(niftiDir);
            if (std::system(command.c_str()) != 0)
                std::printf("dcm2niix failed\n");
        });
        std::printf("dcm2niix -z n    : %7.3f s  (best of 3, warm)\n", niix);
        std::printf("ratio load/dcm2niix: %.2f  (target <= 0.50) %s\n", load / niix,
                    load / niix <= 0.5 ? "MET" : "MISSED");
    } else {
        std::printf("dcm2niix not installed: no comparison\n");
    }

    // --- 3. Peak memory of one load ----------------------------------------------------------------------------------
    const long before = statusKb("VmRSS:");
    const bool reset = resetPeakRss();
    {
        auto volume = loadVolume(VolumeRequest{files, "", ""});
        voxelBytes = volume->voxelBytes();
    }
    const long peak = statusKb("VmHWM:");
    const double grown = double(peak - before) * 1024.0;
    std::printf("voxel bytes      : %7.1f MB\n", double(voxelBytes) / 1e6);
    std::printf("peak RSS growth  : %7.1f MB = %.2f × voxel bytes (target <= 1.2) %s%s\n", grown / 1e6,
                grown / double(voxelBytes), grown / double(voxelBytes) <= 1.2 ? "MET" : "MISSED",
                reset ? "" : " [VmHWM could not be reset: figure includes earlier peaks]");
    std::printf("peak RSS absolute: %7.1f MB (process baseline before the load %.1f MB)\n", double(peak) * 1024 / 1e6,
                double(before) * 1024 / 1e6);

    // --- 4. Header indexing ------------------------------------------------------------------------------------------
    std::vector<fs::path> indexFiles;
    if (!fs::exists(indexDir / "09999.dcm")) {
        fs::remove_all(indexDir);
        const std::vector<fs::path> small = writeCt(work / "small", 64, 64, 100, 2.0);
        fs::create_directories(indexDir);
        for (int i = 0; i < 10000; ++i) {
            char name[16];
            std::snprintf(name, sizeof name, "%05d.dcm", i);
            fs::create_hard_link(small[std::size_t(i) % small.size()], indexDir / name);
        }
    }
    for (const auto& entry : fs::directory_iterator(indexDir))
        indexFiles.push_back(entry.path());
    std::sort(indexFiles.begin(), indexFiles.end());
    warm(indexFiles);
    std::size_t read = 0;
    const double index = bestOf(3, [&] {
        read = 0;
        for (const fs::path& f : indexFiles)
            read += readDicomInstance(f).rows > 0 ? 1 : 0;
    });
    std::printf(
        "readDicomInstance: %zu files in %.3f s = %.0f files/s (one thread, warm, best of 3; target >= 5000) %s\n",
        read, index, double(indexFiles.size()) / index, double(indexFiles.size()) / index >= 5000 ? "MET" : "MISSED");
    return 0;
}
