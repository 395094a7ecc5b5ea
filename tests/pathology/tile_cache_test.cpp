// TileCache: least recently used out first, within its byte budget; TilePyramid: levels, native or built, and the
// grid arithmetic the engine and a viewer share.
#include "pathology/tile_cache.h"

#include "model/error.h"
#include "pathology/tile_pyramid.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

namespace consilium::pathology {
namespace {

TilePixels image(int side, std::uint8_t value)
{
    return std::make_shared<const RgbImage>(
        RgbImage{side, side, std::vector<std::uint8_t>(std::size_t(side) * side * 3, value)});
}

TEST(TileCache, KeepsTheMostRecentlyUsedWithinItsBudget)
{
    const std::size_t one = TileCache::cost(*image(64, 0));
    TileCache cache(5 * one);
    for (int i = 0; i < 10; ++i)
        cache.put({0, i, 0}, image(64, std::uint8_t(i)));
    TileCacheStats s = cache.stats();
    EXPECT_EQ(s.tiles, 5u);
    EXPECT_EQ(s.bytes, 5 * one);
    EXPECT_LE(s.bytes, s.capacityBytes);
    EXPECT_EQ(s.evictions, 5u);
    for (int i = 0; i < 5; ++i)
        EXPECT_FALSE(cache.contains({0, i, 0})) << i;
    for (int i = 5; i < 10; ++i)
        EXPECT_TRUE(cache.contains({0, i, 0})) << i;

    // Using tile 5 makes it the most recent: the next put lets tile 6 go instead.
    ASSERT_TRUE(cache.get({0, 5, 0}));
    EXPECT_EQ(cache.get({0, 5, 0})->rgb[0], 5);
    cache.put({0, 10, 0}, image(64, 10));
    EXPECT_TRUE(cache.contains({0, 5, 0}));
    EXPECT_FALSE(cache.contains({0, 6, 0}));
    EXPECT_LE(cache.stats().bytes, 5 * one);
}

TEST(TileCache, CountsHitsAndMissesOfGetOnly)
{
    TileCache cache(std::size_t{1} << 20);
    cache.put({1, 2, 3}, image(16, 7));
    EXPECT_TRUE(cache.get({1, 2, 3}));
    EXPECT_FALSE(cache.get({1, 2, 4}));
    EXPECT_TRUE(cache.find({1, 2, 3}));
    EXPECT_FALSE(cache.find({3, 2, 1}));
    const TileCacheStats s = cache.stats();
    EXPECT_EQ(s.hits, 1u);
    EXPECT_EQ(s.misses, 1u);
}

TEST(TileCache, ReplacingATileChargesItOnceAndOversizedTilesAreNotKept)
{
    const std::size_t small = TileCache::cost(*image(32, 0));
    TileCache cache(4 * small);
    cache.put({0, 0, 0}, image(32, 1));
    cache.put({0, 0, 0}, image(32, 2));
    EXPECT_EQ(cache.stats().tiles, 1u);
    EXPECT_EQ(cache.stats().bytes, small);
    EXPECT_EQ(cache.find({0, 0, 0})->rgb[0], 2);

    cache.put({0, 1, 0}, image(256, 3));  // larger than the whole budget
    EXPECT_FALSE(cache.contains({0, 1, 0}));
    EXPECT_TRUE(cache.contains({0, 0, 0}));
    cache.clear();
    EXPECT_EQ(cache.stats().tiles, 0u);
    EXPECT_EQ(cache.stats().bytes, 0u);
}

// A tile the cache has let go stays valid for whoever still draws it.
TEST(TileCache, EvictedTilesStayValidForTheirHolders)
{
    TileCache cache(TileCache::cost(*image(64, 0)));
    cache.put({0, 0, 0}, image(64, 9));
    const TilePixels held = cache.get({0, 0, 0});
    cache.put({0, 1, 0}, image(64, 1));
    EXPECT_FALSE(cache.contains({0, 0, 0}));
    ASSERT_TRUE(held);
    EXPECT_EQ(held->rgb.back(), 9);
}

TEST(TileCache, ConcurrentUseKeepsTheBudget)
{
    const std::size_t one = TileCache::cost(*image(32, 0));
    TileCache cache(20 * one);
    auto work = [&](int seed) {
        for (int i = 0; i < 2000; ++i) {
            const TileKey key{0, (i * 7 + seed) % 50, seed};
            if (const TilePixels p = cache.get(key))
                ASSERT_EQ(p->rgb[0], std::uint8_t(key.col));
            else
                cache.put(key, image(32, std::uint8_t(key.col)));
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back(work, t % 2);
    for (auto& t : threads)
        t.join();
    const TileCacheStats s = cache.stats();
    EXPECT_LE(s.bytes, s.capacityBytes);
    EXPECT_EQ(s.hits + s.misses, 8000u);
}

model::SlideInfo info(std::vector<model::SlideLevel> levels)
{
    model::SlideInfo i;
    i.levels = std::move(levels);
    return i;
}

TEST(TilePyramid, HalvesDownToOneTileUsingTheSlidesLevelsWhereTheyMatch)
{
    // Aperio-like: 1, 4.0002, 16.001 — level 1 (downsample 2) is built, 2 and 4 are the scanner's own.
    const TilePyramid p(info({{10000, 8000, 1}, {2500, 2000, 4.0002}, {625, 500, 16.001}}), 256);
    ASSERT_EQ(p.levelCount(), 7);
    EXPECT_EQ(p.level(0).slideLevel, 0);
    EXPECT_FALSE(p.level(1).native());
    EXPECT_EQ(p.level(1).width, 5000);
    EXPECT_DOUBLE_EQ(p.level(1).downsample, 2);
    EXPECT_EQ(p.level(2).slideLevel, 1);
    EXPECT_EQ(p.level(2).width, 2500);
    EXPECT_DOUBLE_EQ(p.level(2).downsample, 4.0002);
    EXPECT_FALSE(p.level(3).native());
    EXPECT_EQ(p.level(3).width, 1250);
    EXPECT_EQ(p.level(4).slideLevel, 2);
    EXPECT_EQ(p.level(5).width, 313);  // 625 / 2, the odd pixel kept
    EXPECT_EQ(p.level(6).width, 157);
    EXPECT_EQ(p.level(6).height, 125);
    EXPECT_EQ(p.level(6).cols, 1);
    EXPECT_EQ(p.level(0).cols, 40);  // 10000 / 256 = 39.06
    EXPECT_EQ(p.level(0).rows, 32);  // 8000 / 256 = 31.25
}

TEST(TilePyramid, TileGeometry)
{
    const TilePyramid p(info({{1000, 600, 1}}), 256);
    ASSERT_EQ(p.levelCount(), 3);  // 1000×600, 500×300 (built), 250×150 (built, one tile)
    EXPECT_EQ(p.tileWidth({0, 3, 0}), 1000 - 768);
    EXPECT_EQ(p.tileHeight({0, 0, 2}), 600 - 512);
    EXPECT_EQ(p.tileWidth({0, 1, 1}), 256);
    EXPECT_TRUE(p.contains({0, 3, 2}));
    EXPECT_FALSE(p.contains({0, 4, 0}));
    EXPECT_FALSE(p.contains({3, 0, 0}));
    EXPECT_FALSE(p.contains({0, -1, 0}));

    const SlideRect b = p.bounds({1, 1, 0});
    EXPECT_DOUBLE_EQ(b.x, 512);
    EXPECT_DOUBLE_EQ(b.width, (500 - 256) * 2);
    EXPECT_EQ(p.level0X({1, 1, 0}), 512);

    const TileRange r = p.tilesCovering(0, {300, 100, 400, 600});
    EXPECT_EQ(r.col0, 1);
    EXPECT_EQ(r.col1, 3);  // 300…700 touches columns 1 and 2
    EXPECT_EQ(r.row0, 0);
    EXPECT_EQ(r.row1, 3);  // clipped to the level
    EXPECT_EQ(r.count(), 6u);
    EXPECT_TRUE(p.tilesCovering(0, {2000, 0, 100, 100}).empty());

    EXPECT_EQ(p.levelForDownsample(0.5), 0);
    EXPECT_EQ(p.levelForDownsample(1.9), 0);
    EXPECT_EQ(p.levelForDownsample(2), 1);
    EXPECT_EQ(p.levelForDownsample(100), 2);

    EXPECT_EQ(p.ancestor({0, 3, 2}, 1), (TileKey{1, 1, 1}));
    EXPECT_EQ(p.ancestor({0, 3, 2}, 2), (TileKey{2, 0, 0}));
    const std::vector<TileKey> kids = p.children({1, 1, 1});
    EXPECT_EQ(kids, (std::vector<TileKey>{{0, 2, 2}, {0, 3, 2}}));  // row 3 does not exist
    EXPECT_TRUE(p.children({0, 0, 0}).empty());
}

TEST(TilePyramid, RefusesUnusableTileSizes)
{
    EXPECT_THROW(TilePyramid(info({{100, 100, 1}}), 32), Error);
    EXPECT_THROW(TilePyramid(info({{100, 100, 1}}), 255), Error);
    EXPECT_THROW(TilePyramid(info({}), 256), Error);
}

}  // namespace
}  // namespace consilium::pathology
