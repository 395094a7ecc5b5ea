// The synthetic demo slide: an Aperio-style BigTIFF that OpenSlide 3.4.1 reads back with mpp, objective power,
// the pyramid, the associated images, and the tissue where it was drawn.
#include "pathology/synthetic_slide.h"

#include "model/error.h"
#include "pathology/slide.h"
#include "pathology/tissue_renderer.h"
#include "support.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace consilium::pathology {
namespace {

using consilium::testing::TempDir;
namespace fs = std::filesystem;

struct Mean {
    double r = 0, g = 0, b = 0;
    double luminance() const { return (r + g + b) / 3; }
};

Mean mean(const RgbImage& img)
{
    Mean m;
    const double n = double(img.width) * img.height;
    for (std::size_t i = 0; i < img.rgb.size(); i += 3) {
        m.r += img.rgb[i];
        m.g += img.rgb[i + 1];
        m.b += img.rgb[i + 2];
    }
    m.r /= n;
    m.g /= n;
    m.b /= n;
    return m;
}

double meanAbsoluteDifference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b)
{
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        sum += std::abs(int(a[i]) - int(b[i]));
    return sum / double(a.size());
}

RgbImage render(const detail::TissueRenderer& renderer, std::int64_t x, std::int64_t y, int w, int h)
{
    RgbImage img{w, h, std::vector<std::uint8_t>(std::size_t(w) * h * 3)};
    renderer.render(x, y, w, h, img.rgb.data(), std::size_t(w) * 3);
    return img;
}

SyntheticSlideSpec smallSpec()
{
    SyntheticSlideSpec spec;
    spec.width = 3000;
    spec.height = 2000;
    spec.tileSize = 256;
    return spec;
}

// One small slide written once for the whole suite (writing is the expensive part).
class SyntheticSlide : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        dir_ = new TempDir;
        file_ = new fs::path(*dir_ / "demo.svs");
        writeSyntheticSlide(smallSpec(), *file_);
    }
    static void TearDownTestSuite()
    {
        delete file_;
        delete dir_;
    }
    static TempDir* dir_;
    static fs::path* file_;
};
TempDir* SyntheticSlide::dir_ = nullptr;
fs::path* SyntheticSlide::file_ = nullptr;

TEST_F(SyntheticSlide, OpensAsAperioWithMppAndObjectivePower)
{
    const SyntheticSlideSpec spec = smallSpec();
    EXPECT_EQ(detectVendor(*file_), "aperio");
    EXPECT_FALSE(fs::exists(file_->string() + ".partial"));
    const auto slide = Slide::open(*file_);
    const model::SlideInfo& info = slide->info();
    EXPECT_EQ(info.vendor, "aperio");
    ASSERT_TRUE(info.calibrated());
    EXPECT_DOUBLE_EQ(*info.mppX, spec.mpp);
    EXPECT_DOUBLE_EQ(*info.mppY, spec.mpp);
    ASSERT_TRUE(info.objectivePower);
    EXPECT_DOUBLE_EQ(*info.objectivePower, spec.objectivePower);
    EXPECT_EQ(info.properties.at("aperio.AppMag"), "40");
    EXPECT_EQ(info.properties.at("aperio.MPP"), "0.25");
    EXPECT_EQ(info.properties.at("openslide.level[0].tile-width"), "256");
    EXPECT_EQ(info.properties.at("openslide.level[0].tile-height"), "256");
    EXPECT_EQ(info.quickhash.size(), 64u);
}

TEST_F(SyntheticSlide, PyramidHalvesDownToAtMost1024Pixels)
{
    const auto slide = Slide::open(*file_);
    const auto& levels = slide->info().levels;
    ASSERT_EQ(levels.size(), 3u);
    const std::int64_t widths[] = {3000, 1500, 750}, heights[] = {2000, 1000, 500};
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(levels[i].width, widths[i]);
        EXPECT_EQ(levels[i].height, heights[i]);
        EXPECT_DOUBLE_EQ(levels[i].downsample, double(1 << i));
    }
}

TEST_F(SyntheticSlide, HasLabelMacroAndThumbnail)
{
    const auto slide = Slide::open(*file_);
    std::vector<std::string> names = slide->info().associatedImages;
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"label", "macro", "thumbnail"}));

    const RgbImage thumbnail = slide->associatedImage("thumbnail");
    EXPECT_EQ(thumbnail.width, 1024);
    EXPECT_EQ(thumbnail.height, 683);
    // It shows the same slide as the pyramid.
    EXPECT_NEAR(mean(thumbnail).luminance(), mean(slide->thumbnail(1024)).luminance(), 2.0);

    const RgbImage label = slide->associatedImage("label");
    EXPECT_EQ(label.width, 480);
    EXPECT_EQ(label.height, 480);
    std::size_t ink = 0;
    for (std::size_t i = 0; i < label.rgb.size(); i += 3)
        ink += label.rgb[i] < 80;
    EXPECT_GT(ink, 5000u) << "no printed text or bars on the label";
    EXPECT_GT(mean(label).luminance(), 180) << "a label is mostly paper";

    const RgbImage macro = slide->associatedImage("macro");
    EXPECT_EQ(macro.width, 1500);
    EXPECT_EQ(macro.height, 500);
}

// Glass where there is no tissue, pink-purple tissue in the middle of the slide (the middle core's centre is
// always tissue), at every level.
TEST_F(SyntheticSlide, TissueIsWhereItShouldBe)
{
    const auto slide = Slide::open(*file_);
    for (int level = 0; level < 3; ++level) {
        const int scale = 1 << level;
        const Mean glass = mean(slide->readRegion(level, 0, 0, 120 / scale, 80 / scale));
        EXPECT_GT(glass.r, 235) << "level " << level;
        EXPECT_GT(glass.g, 235) << "level " << level;
        EXPECT_GT(glass.b, 235) << "level " << level;
        const Mean tissue = mean(slide->readRegion(level, 1400, 970, 200 / scale, 60 / scale));
        EXPECT_LT(tissue.luminance(), glass.luminance() - 30) << "level " << level;
        EXPECT_GT(tissue.r, tissue.g + 15) << "level " << level << ": not eosin-pink";
        EXPECT_GT(tissue.b, tissue.g) << "level " << level << ": not H&E";
    }
}

// What OpenSlide decodes is what the renderer drew (within JPEG loss): tile order, colour space and the
// reduction to level 1 are all right.
TEST_F(SyntheticSlide, PixelsMatchTheRendererWithinJpegLoss)
{
    const SyntheticSlideSpec spec = smallSpec();
    const detail::TissueRenderer renderer(spec.width, spec.height, spec.mpp, spec.seed);
    const auto slide = Slide::open(*file_);
    for (const auto& [x, y] : {std::pair<int, int>{1000, 800}, {2600, 1700}, {300, 1300}}) {
        const RgbImage drawn = render(renderer, x, y, 400, 300);
        const RgbImage read = slide->readRegion(0, x, y, 400, 300);
        EXPECT_LT(meanAbsoluteDifference(drawn.rgb, read.rgb), 3.0) << "at " << x << "," << y;
    }
    // Level 1 against a 2×2 average of the drawing.
    const RgbImage drawn = render(renderer, 1000, 800, 400, 300);
    std::vector<std::uint8_t> halved;
    for (int y = 0; y < 300; y += 2)
        for (int x = 0; x < 400; x += 2)
            for (int c = 0; c < 3; ++c) {
                int sum = 0;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx)
                        sum += drawn.rgb[(std::size_t(y + dy) * 400 + x + dx) * 3 + c];
                halved.push_back(static_cast<std::uint8_t>((sum + 2) / 4));
            }
    EXPECT_LT(meanAbsoluteDifference(halved, slide->readRegion(1, 1000, 800, 200, 150).rgb), 3.0);
}

TEST_F(SyntheticSlide, OpenslideShowPropertiesAgrees)
{
    const char* tool = "/usr/bin/openslide-show-properties";
    if (!fs::exists(tool))
        GTEST_SKIP() << tool << " not installed";
    const std::string command = std::string(tool) + " '" + file_->string() + "' 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    ASSERT_TRUE(pipe);
    std::string output;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get()))
        output.append(buffer, n);
    for (const char* line :
         {"openslide.vendor: 'aperio'", "openslide.mpp-x: '0.25'", "openslide.mpp-y: '0.25'",
          "openslide.objective-power: '40'", "openslide.level-count: '3'", "openslide.level[2].width: '750'"})
        EXPECT_NE(output.find(line), std::string::npos) << line << " missing from:\n" << output;
}

TEST(SyntheticSlideWriter, SameSpecSameSlideOtherSeedOtherSlide)
{
    TempDir dir;
    SyntheticSlideSpec spec = smallSpec();
    spec.width = 1200;
    spec.height = 800;
    writeSyntheticSlide(spec, dir / "a.svs");
    writeSyntheticSlide(spec, dir / "b.svs");
    spec.seed = 8;
    writeSyntheticSlide(spec, dir / "c.svs");
    const auto a = Slide::open(dir / "a.svs"), b = Slide::open(dir / "b.svs"), c = Slide::open(dir / "c.svs");
    EXPECT_EQ(a->readRegion(0, 0, 0, 1200, 800).rgb, b->readRegion(0, 0, 0, 1200, 800).rgb);
    EXPECT_EQ(a->info().quickhash, b->info().quickhash);
    EXPECT_NE(a->readRegion(0, 0, 0, 1200, 800).rgb, c->readRegion(0, 0, 0, 1200, 800).rgb);
}

// Other spec values reach the file: mpp, objective power, tile size (including edge tiles that are mostly padding).
TEST(SyntheticSlideWriter, HonoursTheSpec)
{
    TempDir dir;
    SyntheticSlideSpec spec;
    spec.width = 1000;
    spec.height = 1300;  // portrait, single level
    spec.mpp = 0.5;
    spec.objectivePower = 20;
    spec.tileSize = 240;
    spec.labelText = "CASE 42\nH&E | LEVEL 1";
    writeSyntheticSlide(spec, dir / "p.svs");
    const auto slide = Slide::open(dir / "p.svs");
    const model::SlideInfo& info = slide->info();
    EXPECT_EQ(info.vendor, "aperio");
    EXPECT_DOUBLE_EQ(*info.mppX, 0.5);
    EXPECT_DOUBLE_EQ(*info.objectivePower, 20);
    ASSERT_EQ(info.levels.size(), 2u);
    EXPECT_EQ(info.levels[0].width, 1000);
    EXPECT_EQ(info.levels[0].height, 1300);
    EXPECT_EQ(info.levels[1].width, 500);
    EXPECT_EQ(info.levels[1].height, 650);
    EXPECT_EQ(info.properties.at("openslide.level[0].tile-width"), "240");
    EXPECT_EQ(info.properties.at("aperio.Title"), "CASE 42 H&E   LEVEL 1");  // no '|' or line break leaks in
    const Mean glass = mean(slide->readRegion(0, 0, 1300 - 40, 40, 40));
    EXPECT_GT(glass.luminance(), 235);
    const Mean tissue = mean(slide->readRegion(0, 480, 600, 40, 100));
    EXPECT_GT(tissue.r, tissue.g + 15);
}

TEST(SyntheticSlideWriter, InvalidSpecOrPathThrowsAndLeavesNothing)
{
    TempDir dir;
    const fs::path out = dir / "bad.svs";
    auto expectError = [&](const SyntheticSlideSpec& spec, const fs::path& file) {
        try {
            writeSyntheticSlide(spec, file);
            ADD_FAILURE() << "accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.subject(), file.string());
        }
        EXPECT_FALSE(fs::exists(file));
        EXPECT_FALSE(fs::exists(file.string() + ".partial"));
    };
    SyntheticSlideSpec spec = smallSpec();
    spec.tileSize = 100;
    expectError(spec, out);
    spec = smallSpec();
    spec.mpp = 0;
    expectError(spec, out);
    spec = smallSpec();
    spec.mpp = std::nan("");
    expectError(spec, out);
    spec = smallSpec();
    spec.width = 0;
    expectError(spec, out);
    spec = smallSpec();
    spec.jpegQuality = 101;
    expectError(spec, out);
    spec = smallSpec();
    spec.objectivePower = 0;
    expectError(spec, out);
    expectError(smallSpec(), dir / "no-such-folder" / "x.svs");
}

// Tiles are independent: any block renders the same pixels whatever block boundaries it is drawn with, so the
// pyramid has no seams.
TEST(TissueRenderer, BlocksJoinSeamlessly)
{
    const detail::TissueRenderer renderer(24000, 16000, 0.25, 7);
    // Tumour with acini and infiltrating clusters, normal lung, the lung–tumour border, a core's edge.
    for (const auto& [x, y] :
         {std::pair<int, int>{12500, 7200}, {9300, 6900}, {2500, 7500}, {12700, 12300}, {3000, 12400}}) {
        const RgbImage whole = render(renderer, x, y, 512, 512);
        RgbImage pieces{512, 512, std::vector<std::uint8_t>(512 * 512 * 3)};
        for (int by = 0; by < 512; by += 128)
            for (int bx = 0; bx < 512; bx += 256)
                renderer.render(x + bx, y + by, 256, 128, pieces.rgb.data() + (std::size_t(by) * 512 + bx) * 3,
                                512 * 3);
        EXPECT_EQ(whole.rgb, pieces.rgb) << "at " << x << "," << y;
    }
}

}  // namespace
}  // namespace consilium::pathology
