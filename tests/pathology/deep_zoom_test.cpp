// DeepZoom: DeepZoomGenerator's layout (levels, 254-px tiles, 1-px overlap) cut from the tile engine, with
// OpenSlide's pixels on native levels and the averaged finer level on built ones.
#include "pathology/deep_zoom.h"

#include "model/error.h"
#include "tile_fixtures.h"

#include <gtest/gtest.h>

namespace consilium::pathology {
namespace {

using namespace fixtures;
using consilium::testing::sharedData;

TEST(DeepZoom, LevelsAndTileRectanglesFollowDeepZoomGenerator)
{
    const auto slide = Slide::open(pyramidSlide());
    SlideTiles tiles(slide, {});
    const DeepZoom dz(tiles);
    ASSERT_EQ(dz.levelCount(), 12);  // 2000×1500 halved (rounding up) down to 1×1
    EXPECT_EQ(dz.level(11).width, 2000);
    EXPECT_EQ(dz.level(11).cols, 8);
    EXPECT_EQ(dz.level(11).rows, 6);
    EXPECT_EQ(dz.level(8).width, 250);
    EXPECT_EQ(dz.level(8).height, 188);
    EXPECT_EQ(dz.level(0).width, 1);
    EXPECT_EQ(dz.level(0).height, 1);
    EXPECT_EQ(dz.pyramidLevel(11), 0);

    auto rect = dz.tileRect(11, 0, 0);  // outer edges get no overlap
    EXPECT_EQ(rect.x, 0);
    EXPECT_EQ(rect.width, 255);
    rect = dz.tileRect(11, 1, 1);
    EXPECT_EQ(rect.x, 253);
    EXPECT_EQ(rect.y, 253);
    EXPECT_EQ(rect.width, 256);
    rect = dz.tileRect(11, 7, 5);
    EXPECT_EQ(rect.x, 7 * 254 - 1);
    EXPECT_EQ(rect.width, 2000 - 7 * 254 + 1);
    EXPECT_EQ(rect.height, 1500 - 5 * 254 + 1);
    const SlideRect b = dz.bounds(10, 1, 0);
    EXPECT_DOUBLE_EQ(b.x, 253 * 2);
    EXPECT_DOUBLE_EQ(b.width, 256 * 2);
    EXPECT_THROW(dz.tileRect(11, 8, 0), Error);
    EXPECT_THROW(dz.tileRect(12, 0, 0), Error);
}

TEST(DeepZoom, TilesAreTheSlidesPixelsOnEveryLevel)
{
    const auto slide = Slide::open(pyramidSlide());
    SlideTiles tiles(slide, {});
    DeepZoom dz(tiles);
    // Native levels: exactly what OpenSlide reads at the same place.
    for (const auto& [level, slideLevel] : {std::pair{11, 0}, std::pair{10, 1}}) {
        const int ds = 1 << slideLevel;
        for (int row = 0; row < dz.level(level).rows; ++row)
            for (int col = 0; col < dz.level(level).cols; ++col) {
                const auto r = dz.tileRect(level, col, row);
                ASSERT_TRUE(samePixels(dz.tile(level, col, row),
                                       slide->readRegion(slideLevel, r.x * ds, r.y * ds, r.width, r.height)))
                    << level << "/" << col << "_" << row;
            }
    }
    // Built levels (and past the pyramid's top): the native level 1 averaged again and again.
    RgbImage expected = slide->readRegion(1, 0, 0, 1000, 750);
    for (int level = 9; level >= 0; --level) {
        expected = halved(expected);
        ASSERT_EQ(expected.width, dz.level(level).width);
        for (int row = 0; row < dz.level(level).rows; ++row)
            for (int col = 0; col < dz.level(level).cols; ++col) {
                const auto r = dz.tileRect(level, col, row);
                ASSERT_TRUE(samePixels(dz.tile(level, col, row), crop(expected, int(r.x), int(r.y), r.width, r.height)))
                    << level << "/" << col << "_" << row;
            }
    }
}

TEST(DeepZoom, SingleLevelSlideCoarserLevelsComeFromDecodedTiles)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    const auto slide = Slide::open(sharedData() / kCmu1);
    SlideTiles tiles(slide, {});
    DeepZoom dz(tiles);
    const int finest = dz.levelCount() - 1;
    const RgbImage half = halved(slide->readRegion(0, 0, 0, 2220, 2967));
    const std::uint64_t readForFullLevel = tiles.stats().tilesRead;
    for (int row = 0; row < dz.level(finest - 1).rows; ++row)
        for (int col = 0; col < dz.level(finest - 1).cols; ++col) {
            const auto r = dz.tileRect(finest - 1, col, row);
            ASSERT_TRUE(samePixels(dz.tile(finest - 1, col, row), crop(half, int(r.x), int(r.y), r.width, r.height)))
                << col << "_" << row;
        }
    // The whole ½ level cost exactly one read of each level-0 tile.
    const TilePyramid& p = tiles.pyramid();
    EXPECT_EQ(tiles.stats().tilesRead - readForFullLevel, std::uint64_t(p.level(0).cols * p.level(0).rows));
}

}  // namespace
}  // namespace consilium::pathology
