// Slide: opening real whole-slide images through OpenSlide 3.4.1, their facts, their pixels, and bad input.
#include "pathology/slide.h"

#include "model/error.h"
#include "support.h"

#include <openslide.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <future>
#include <string>
#include <vector>

namespace consilium::pathology {
namespace {

using consilium::testing::sharedData;
using consilium::testing::TempDir;
namespace fs = std::filesystem;

const char* kCmu1 = "slides/aperio/CMU-1-Small-Region.svs";
const char* kTcga = "slides/aperio/tcga-cr-7395-01a-01-ts1.svs";
const char* kNdpi = "slides/hamamatsu/test3-DAPI-2-387.ndpi";

std::vector<std::string> sorted(std::vector<std::string> v)
{
    std::sort(v.begin(), v.end());
    return v;
}

const std::uint8_t* pixel(const RgbImage& img, int x, int y)
{
    return img.rgb.data() + (std::size_t(y) * img.width + x) * 3;
}

double meanLuminance(const RgbImage& img)
{
    double sum = 0;
    for (std::size_t i = 0; i < img.rgb.size(); ++i)
        sum += img.rgb[i];
    return sum / double(img.rgb.size());
}

// The reason an open attempt fails, with the checks every failure must pass: consilium::Error, naming the file.
std::string openFailure(const fs::path& file)
{
    try {
        Slide::open(file);
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), file.string());
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
        return e.reason();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a consilium::Error: " << e.what();
        return {};
    }
    ADD_FAILURE() << "opened " << file;
    return {};
}

void writeFile(const fs::path& file, const std::string& bytes) { std::ofstream(file, std::ios::binary) << bytes; }

std::string readBytes(const fs::path& file, std::size_t count)
{
    std::ifstream in(file, std::ios::binary);
    std::string bytes(count, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(count));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

TEST(Slide, Cmu1SmallRegionFacts)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    const auto slide = Slide::open(sharedData() / kCmu1);
    const model::SlideInfo& info = slide->info();
    EXPECT_EQ(info.vendor, "aperio");
    ASSERT_EQ(info.levels.size(), 1u);
    EXPECT_EQ(info.levels[0].width, 2220);
    EXPECT_EQ(info.levels[0].height, 2967);
    EXPECT_DOUBLE_EQ(info.levels[0].downsample, 1.0);
    ASSERT_TRUE(info.calibrated());
    EXPECT_NEAR(*info.mppX, 0.499, 1e-9);
    EXPECT_NEAR(*info.mppY, 0.499, 1e-9);
    ASSERT_TRUE(info.objectivePower);
    EXPECT_DOUBLE_EQ(*info.objectivePower, 20);
    EXPECT_EQ(sorted(info.associatedImages), (std::vector<std::string>{"label", "macro", "thumbnail"}));
    EXPECT_EQ(info.quickhash, "6335ea0e6cc54c2cba64bb265d3c713a50cd84484924e3a9c109558c13521d5c");
    EXPECT_EQ(info.properties.at("aperio.AppMag"), "20");
    EXPECT_EQ(info.properties.at("openslide.vendor"), "aperio");
    EXPECT_EQ(slide->path(), sharedData() / kCmu1);
    EXPECT_EQ(detectVendor(sharedData() / kCmu1), "aperio");
}

TEST(Slide, TcgaJpeg2000HasNoMppAndNoneIsGuessed)
{
    CONSILIUM_REQUIRE_SHARED(kTcga);
    const auto slide = Slide::open(sharedData() / kTcga);
    const model::SlideInfo& info = slide->info();
    EXPECT_EQ(info.vendor, "aperio");
    ASSERT_EQ(info.levels.size(), 2u);
    EXPECT_EQ(info.levels[0].width, 4443);
    EXPECT_EQ(info.levels[0].height, 3567);
    EXPECT_EQ(info.levels[1].width, 2221);
    EXPECT_EQ(info.levels[1].height, 1783);
    EXPECT_NEAR(info.levels[1].downsample, 2.0005, 1e-4);
    // No MPP and no AppMag in the header: uncalibrated, and nothing derived from anything else.
    EXPECT_FALSE(info.mppX);
    EXPECT_FALSE(info.mppY);
    EXPECT_FALSE(info.calibrated());
    EXPECT_FALSE(info.objectivePower);
    EXPECT_EQ(info.properties.count("openslide.mpp-x"), 0u);
    EXPECT_EQ(info.associatedImages, std::vector<std::string>{"thumbnail"});
    EXPECT_EQ(info.quickhash.size(), 64u);

    // Level 1's downsample is 2.0005, not 2: thumbnails of about half size, from level 0 (2222 px) or level 1
    // (2220 px), must have every pixel filled, with no black rows or columns.
    for (const auto& [side, height] : {std::pair<int, int>{2222, 1784}, {2220, 1782}}) {
        const RgbImage thumb = slide->thumbnail(side);
        ASSERT_EQ(thumb.width, side);
        ASSERT_EQ(thumb.height, height);
        std::size_t black = 0;
        for (std::size_t i = 0; i < thumb.rgb.size(); i += 3)
            black += thumb.rgb[i] + thumb.rgb[i + 1] + thumb.rgb[i + 2] == 0;
        EXPECT_EQ(black, 0u) << side;
    }

    // JPEG 2000 tiles decode to real content at both levels.
    for (int level : {0, 1}) {
        const RgbImage region = slide->readRegion(level, 1000, 1000, 256, 256);
        ASSERT_EQ(region.rgb.size(), 256u * 256 * 3);
        EXPECT_LT(meanLuminance(region), 230) << "level " << level << " looks blank";
    }
}

TEST(Slide, HamamatsuNdpiFacts)
{
    CONSILIUM_REQUIRE_SHARED(kNdpi);
    const auto slide = Slide::open(sharedData() / kNdpi);
    const model::SlideInfo& info = slide->info();
    EXPECT_EQ(info.vendor, "hamamatsu");
    ASSERT_EQ(info.levels.size(), 7u);
    const std::int64_t widths[] = {3968, 1984, 992, 496, 248, 124, 62};
    const std::int64_t heights[] = {4864, 2432, 1216, 608, 304, 152, 76};
    for (std::size_t i = 0; i < 7; ++i) {
        EXPECT_EQ(info.levels[i].width, widths[i]) << "level " << i;
        EXPECT_EQ(info.levels[i].height, heights[i]) << "level " << i;
        EXPECT_DOUBLE_EQ(info.levels[i].downsample, double(1 << i)) << "level " << i;
    }
    ASSERT_TRUE(info.calibrated());
    EXPECT_NEAR(*info.mppX, 0.22818, 1e-5);
    EXPECT_NEAR(*info.mppY, 0.22818, 1e-5);
    ASSERT_TRUE(info.objectivePower);
    EXPECT_DOUBLE_EQ(*info.objectivePower, 40);
    EXPECT_EQ(info.associatedImages, std::vector<std::string>{"macro"});
    EXPECT_EQ(detectVendor(sharedData() / kNdpi), "hamamatsu");
}

// readRegion against OpenSlide's raw premultiplied ARGB: opaque pixels pass through unchanged, pixels outside the
// slide (alpha 0) become the background colour (white here: CMU-1 declares none), never black.
TEST(Slide, ReadRegionUnpremultipliesAndFillsOutsideWithBackground)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    const fs::path file = sharedData() / kCmu1;
    const auto slide = Slide::open(file);
    ASSERT_EQ(slide->info().properties.count("openslide.background-color"), 0u);

    const int w = 300, h = 200;
    const std::int64_t x = 2220 - 150, y = 2967 - 100;  // straddles the bottom-right corner
    const RgbImage region = slide->readRegion(0, x, y, w, h);
    ASSERT_EQ(region.width, w);
    ASSERT_EQ(region.height, h);
    ASSERT_EQ(region.rgb.size(), std::size_t(w) * h * 3);

    openslide_t* raw = openslide_open(file.c_str());
    ASSERT_NE(raw, nullptr);
    std::vector<std::uint32_t> argb(std::size_t(w) * h);
    openslide_read_region(raw, argb.data(), x, y, 0, w, h);
    ASSERT_EQ(openslide_get_error(raw), nullptr);
    openslide_close(raw);

    int opaque = 0, transparent = 0;
    for (int j = 0; j < h; ++j)
        for (int i = 0; i < w; ++i) {
            const std::uint32_t p = argb[std::size_t(j) * w + i];
            const std::uint8_t* q = pixel(region, i, j);
            const bool outside = x + i >= 2220 || y + j >= 2967;
            if (outside) {
                EXPECT_EQ(p >> 24, 0u);
                ASSERT_EQ(q[0], 255);
                ASSERT_EQ(q[1], 255);
                ASSERT_EQ(q[2], 255);
                ++transparent;
            } else if ((p >> 24) == 255) {
                ASSERT_EQ(q[0], (p >> 16) & 0xff);
                ASSERT_EQ(q[1], (p >> 8) & 0xff);
                ASSERT_EQ(q[2], p & 0xff);
                ++opaque;
            }
        }
    EXPECT_EQ(opaque, 150 * 100);
    EXPECT_EQ(transparent, w * h - 150 * 100);

    // Negative coordinates: the part left of and above the slide is background too.
    const RgbImage corner = slide->readRegion(0, -64, -64, 128, 128);
    EXPECT_EQ(pixel(corner, 10, 10)[0], 255);
    EXPECT_EQ(pixel(corner, 10, 100)[1], 255);
    EXPECT_EQ(pixel(corner, 100, 10)[2], 255);
}

TEST(Slide, ReadRegionRejectsBadArguments)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    const auto slide = Slide::open(sharedData() / kCmu1);
    EXPECT_THROW(slide->readRegion(1, 0, 0, 16, 16), Error);
    EXPECT_THROW(slide->readRegion(-1, 0, 0, 16, 16), Error);
    EXPECT_THROW(slide->readRegion(0, 0, 0, 0, 16), Error);
    EXPECT_THROW(slide->readRegion(0, 0, 0, 16, -3), Error);
    EXPECT_THROW(slide->readRegion(0, 0, 0, 100000, 100000), Error);
    EXPECT_THROW(slide->thumbnail(0), Error);
}

TEST(Slide, ConcurrentReadsMatchSerialReads)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    const auto slide = Slide::open(sharedData() / kCmu1);
    std::vector<RgbImage> expected;
    for (int i = 0; i < 16; ++i)
        expected.push_back(slide->readRegion(0, 97 * i, 131 * i, 256, 256));
    auto worker = [&](int offset) {
        for (int round = 0; round < 4; ++round)
            for (int i = offset; i < 16; i += 2)
                if (slide->readRegion(0, 97 * i, 131 * i, 256, 256).rgb != expected[i].rgb)
                    return false;
        return true;
    };
    auto a = std::async(std::launch::async, worker, 0);
    auto b = std::async(std::launch::async, worker, 1);
    EXPECT_TRUE(a.get());
    EXPECT_TRUE(b.get());
}

TEST(Slide, AssociatedImages)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    const auto slide = Slide::open(sharedData() / kCmu1);
    const RgbImage label = slide->associatedImage("label");
    EXPECT_EQ(label.width, 387);
    EXPECT_EQ(label.height, 463);
    EXPECT_EQ(label.rgb.size(), std::size_t(387) * 463 * 3);
    const RgbImage macro = slide->associatedImage("macro");
    EXPECT_EQ(macro.width, 1280);
    EXPECT_EQ(macro.height, 431);
    EXPECT_GT(meanLuminance(macro), 20);
    EXPECT_THROW(slide->associatedImage("overview"), Error);
}

// The thumbnail is a box-filtered reduction of the whole slide: same aspect, same mean colour.
TEST(Slide, ThumbnailFitsAndAveragesTheWholeSlide)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    const auto slide = Slide::open(sharedData() / kCmu1);
    const RgbImage thumb = slide->thumbnail(256);
    EXPECT_EQ(thumb.height, 256);
    EXPECT_EQ(thumb.width, 192);  // 2220 × 256 / 2967 = 191.5
    ASSERT_EQ(thumb.rgb.size(), std::size_t(192) * 256 * 3);
    const RgbImage full = slide->readRegion(0, 0, 0, 2220, 2967);
    EXPECT_NEAR(meanLuminance(thumb), meanLuminance(full), 1.0);

    const RgbImage same = slide->thumbnail(4000);  // never enlarged
    EXPECT_EQ(same.width, 2220);
    EXPECT_EQ(same.height, 2967);
    EXPECT_EQ(same.rgb, full.rgb);
}

TEST(Slide, BadInputThrowsErrorNamingTheFile)
{
    TempDir dir;
    const fs::path text = dir / "notes.svs";
    writeFile(text, "This is a referral letter, not a slide.\n");
    EXPECT_EQ(openFailure(text), "not a slide OpenSlide recognises (format not supported)");
    EXPECT_EQ(detectVendor(text), "");

    const fs::path empty = dir / "empty.svs";
    writeFile(empty, "");
    EXPECT_EQ(openFailure(empty), "empty file");

    const fs::path missing = dir / "missing.svs";
    EXPECT_EQ(openFailure(missing), "file not found");
    EXPECT_EQ(detectVendor(missing), "");

    EXPECT_EQ(openFailure(dir.path()), "not a regular file");
}

TEST(Slide, TruncatedSlideThrowsErrorNamingTheFile)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    TempDir dir;
    const fs::path original = sharedData() / kCmu1;
    for (std::size_t keep : {std::size_t(100), std::size_t(600000), fs::file_size(original) - 1000}) {
        const fs::path cut = dir / ("cut-" + std::to_string(keep) + ".svs");
        writeFile(cut, readBytes(original, keep));
        const std::string reason = openFailure(cut);
        EXPECT_NE(reason.find("truncated"), std::string::npos) << keep << " bytes: " << reason;
    }
}

// A slide whose directories are intact but whose tile data is damaged opens, and the first read of a damaged
// tile fails with OpenSlide's own message, naming the file.
TEST(Slide, DamagedTileDataThrowsOnRead)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    TempDir dir;
    std::string bytes = readBytes(sharedData() / kCmu1, 1u << 24);
    std::fill(bytes.begin() + 300000, bytes.begin() + 700000, '\0');
    const fs::path damaged = dir / "damaged.svs";
    writeFile(damaged, bytes);
    const auto slide = Slide::open(damaged);
    try {
        slide->readRegion(0, 0, 0, 2220, 2967);
        FAIL() << "read damaged tiles without an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), damaged.string());
        EXPECT_NE(e.reason().find("JPEG"), std::string::npos) << e.reason();
    }
}

}  // namespace
}  // namespace consilium::pathology
