#pragma once
// Slides the tile engine's tests share, written once per test binary (writing is the slow part), and helpers to
// compare pixels.
#include "pathology/image_ops.h"
#include "pathology/slide.h"
#include "pathology/synthetic_slide.h"
#include "support.h"

#include <filesystem>
#include <memory>
#include <string>

namespace consilium::pathology::fixtures {

namespace fs = std::filesystem;

inline const char* kCmu1 = "slides/aperio/CMU-1-Small-Region.svs";
inline const char* kTcga = "slides/aperio/tcga-cr-7395-01a-01-ts1.svs";
inline const char* kNdpi = "slides/hamamatsu/test3-DAPI-2-387.ndpi";

inline const testing::TempDir& folder()
{
    static const testing::TempDir* dir = new testing::TempDir;  // leaked on purpose: outlives every test
    return *dir;
}

// 2000 × 1500 px, two native levels (1, 2); the tile pyramid adds built levels 2 and 3 above them.
inline const fs::path& pyramidSlide()
{
    static const fs::path file = [] {
        SyntheticSlideSpec spec;
        spec.width = 2000;
        spec.height = 1500;
        const fs::path f = folder() / "pyramid.svs";
        writeSyntheticSlide(spec, f);
        return f;
    }();
    return file;
}

// 1000 × 700 px: the writer stops at 1024 px, so this slide has one level, like CMU-1-Small-Region.
inline const fs::path& singleLevelSlide()
{
    static const fs::path file = [] {
        SyntheticSlideSpec spec;
        spec.width = 1000;
        spec.height = 700;
        spec.seed = 11;
        const fs::path f = folder() / "single.svs";
        writeSyntheticSlide(spec, f);
        return f;
    }();
    return file;
}

inline RgbImage crop(const RgbImage& src, int x, int y, int w, int h)
{
    RgbImage out{w, h, std::vector<std::uint8_t>(std::size_t(w) * h * 3)};
    for (int row = 0; row < h; ++row)
        std::copy_n(&src.rgb[(std::size_t(y + row) * src.width + x) * 3], std::size_t(w) * 3,
                    &out.rgb[std::size_t(row) * w * 3]);
    return out;
}

inline RgbImage halved(const RgbImage& src)
{
    RgbImage out{(src.width + 1) / 2, (src.height + 1) / 2, {}};
    out.rgb.resize(std::size_t(out.width) * out.height * 3);
    detail::halveInto(src.rgb.data(), src.width, src.height, std::size_t(src.width) * 3, out, 0, 0);
    return out;
}

// gtest-friendly: says where the first difference is instead of printing two megabytes.
inline ::testing::AssertionResult samePixels(const RgbImage& a, const RgbImage& b)
{
    if (a.width != b.width || a.height != b.height)
        return ::testing::AssertionFailure()
               << "size " << a.width << "x" << a.height << " vs " << b.width << "x" << b.height;
    for (std::size_t i = 0; i < a.rgb.size(); ++i)
        if (a.rgb[i] != b.rgb[i]) {
            const std::size_t p = i / 3;
            return ::testing::AssertionFailure()
                   << "first difference at (" << p % std::size_t(a.width) << ", " << p / std::size_t(a.width)
                   << ") channel " << i % 3 << ": " << int(a.rgb[i]) << " vs " << int(b.rgb[i]);
        }
    return ::testing::AssertionSuccess();
}

}  // namespace consilium::pathology::fixtures
