#pragma once
// The 300-slice 512×512 CT the benchmarks share (bench_volume_load, bench_mpr_view): written once with
// writeSyntheticSeries into a work folder and reused by later runs.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "imaging/synthetic_series.h"

namespace consilium::bench {

inline std::vector<std::filesystem::path> writeCt(const std::filesystem::path& dir, int columns, int rows, int slices,
                                                  double spacing)
{
    using namespace consilium::imaging;
    StudyIdentity study;
    study.patientName = "Bench^Volume";
    study.patientId = "BENCH";
    study.studyDate = "20260301";
    study.studyTime = "101500";
    SyntheticSeries s;
    s.modality = SyntheticModality::CT;
    s.seriesDescription = "bench";
    s.seriesDate = "20260301";
    s.seriesTime = "101500";
    s.columns = columns;
    s.rows = rows;
    s.slices = slices;
    s.spacingX = s.spacingY = spacing;
    s.sliceSpacing = 1.25;
    s.firstVoxelLps = {-0.5 * columns * spacing, -0.5 * rows * spacing, -200};
    // A smooth body: soft tissue with a gentle gradient, a brighter sphere, air outside an ellipse.
    s.value = [](double x, double y, double z) {
        const double body = (x * x) / (170.0 * 170.0) + (y * y) / (120.0 * 120.0);
        if (body > 1)
            return -1000.0;
        const double r2 = x * x + (y - 20) * (y - 20) + (z + 10) * (z + 10);
        return 40.0 + 0.1 * z + 200.0 * std::exp(-r2 / 2000.0);
    };
    return writeSyntheticSeries(study, s, dir);
}

// 0001.dcm … 0300.dcm in `dir`, written the first time.
inline std::vector<std::filesystem::path> benchCtSeries(const std::filesystem::path& dir)
{
    std::vector<std::filesystem::path> files;
    if (std::filesystem::exists(dir / "0300.dcm")) {
        for (int k = 1; k <= 300; ++k) {
            char name[16];
            std::snprintf(name, sizeof name, "%04d.dcm", k);
            files.push_back(dir / name);
        }
        return files;
    }
    const auto start = std::chrono::steady_clock::now();
    files = writeCt(dir, 512, 512, 300, 0.7);
    std::printf("wrote 300 × 512×512 CT in %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return files;
}

}  // namespace consilium::bench
