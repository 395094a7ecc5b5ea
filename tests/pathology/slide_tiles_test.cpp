// SlideTiles, the tile engine: its tiles are OpenSlide's pixels (read tiles equal Slide::readRegion, built tiles equal
// the average of the finer level), it keeps its memory bound, reads visible tiles first from the centre out, drops
// what a moved view no longer needs, falls back to coarser tiles, and survives a slide that disappears.
#include "pathology/slide_tiles.h"

#include "model/error.h"
#include "tile_fixtures.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

namespace consilium::pathology {
namespace {

using namespace fixtures;
using consilium::testing::sharedData;
using consilium::testing::TempDir;

// The test runs the queue itself, so orders and counts are exact; the hand-computed figures below assume 256 px tiles.
SlideTilesOptions manual(int tileSize = 256)
{
    SlideTilesOptions o;
    o.workers = 0;
    o.tileSize = tileSize;
    return o;
}

RgbImage expectedNativeTile(const Slide& slide, const TilePyramid& p, const TileKey& key)
{
    return slide.readRegion(p.level(key.level).slideLevel, p.level0X(key), p.level0Y(key), p.tileWidth(key),
                            p.tileHeight(key));
}

std::vector<TileKey> allTiles(const TilePyramid& p, int level)
{
    std::vector<TileKey> keys;
    for (int row = 0; row < p.level(level).rows; ++row)
        for (int col = 0; col < p.level(level).cols; ++col)
            keys.push_back({level, col, row});
    return keys;
}

// The corners, the middle and a diagonal: enough to cover edges and interior without decoding a whole JPEG 2000
// level.
std::vector<TileKey> sampleTiles(const TilePyramid& p, int level)
{
    const PyramidLevel& l = p.level(level);
    std::vector<TileKey> keys{{level, 0, 0},
                              {level, l.cols - 1, 0},
                              {level, 0, l.rows - 1},
                              {level, l.cols - 1, l.rows - 1},
                              {level, l.cols / 2, l.rows / 2}};
    for (int i = 1; i < std::min(l.cols, l.rows) - 1; i += 3)
        keys.push_back({level, i, i});
    return keys;
}

// Every native tile checked equals readRegion with the tile's own position; on level 0 a mosaic of tiles also
// equals one large read, which does not depend on the engine's arithmetic at all.
void checkNativeTiles(const fs::path& file, bool everyTile, int tileSize = 256)
{
    const auto slide = Slide::open(file);
    SlideTiles tiles(slide, manual(tileSize));
    const TilePyramid& p = tiles.pyramid();
    for (int level = 0; level < p.levelCount(); ++level) {
        if (!p.level(level).native())
            continue;
        for (const TileKey& key : everyTile ? allTiles(p, level) : sampleTiles(p, level))
            ASSERT_TRUE(samePixels(*tiles.tile(key), expectedNativeTile(*slide, p, key)))
                << file.filename() << " level " << key.level << " tile " << key.col << "," << key.row;
    }
    const int t = p.tileSize();
    const int cols = std::min(p.level(0).cols, 3), rows = std::min(p.level(0).rows, 2);
    const RgbImage region = slide->readRegion(0, 0, 0, p.tileWidth({0, cols - 1, 0}) + (cols - 1) * t,
                                              p.tileHeight({0, 0, rows - 1}) + (rows - 1) * t);
    for (int row = 0; row < rows; ++row)
        for (int col = 0; col < cols; ++col) {
            const TileKey key{0, col, row};
            ASSERT_TRUE(
                samePixels(*tiles.tile(key), crop(region, col * t, row * t, p.tileWidth(key), p.tileHeight(key))))
                << file.filename() << " mosaic tile " << col << "," << row;
        }
}

TEST(SlideTiles, SyntheticPyramidTilesAreOpenSlidesPixels)
{
    for (const int tileSize : {SlideTilesOptions().tileSize, 256, 192}) {
        SCOPED_TRACE(tileSize);
        checkNativeTiles(pyramidSlide(), true, tileSize);
    }
}

TEST(SlideTiles, RealSlideTilesAreOpenSlidesPixels)
{
    for (const char* name : {kCmu1, kTcga, kNdpi}) {
        CONSILIUM_REQUIRE_SHARED(name);
        SCOPED_TRACE(name);
        checkNativeTiles(sharedData() / name, std::string(name) == kCmu1);
    }
}

TEST(SlideTiles, RealSlidePyramidsFollowTheirLevels)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    CONSILIUM_REQUIRE_SHARED(kTcga);
    CONSILIUM_REQUIRE_SHARED(kNdpi);
    {
        const auto slide = Slide::open(sharedData() / kCmu1);  // one level: the pyramid is built
        const TilePyramid p(slide->info(), 256);
        ASSERT_EQ(p.levelCount(), 5);  // 2220×2967 → 139×186
        EXPECT_TRUE(p.level(0).native());
        for (int l = 1; l < 5; ++l)
            EXPECT_FALSE(p.level(l).native()) << l;
        EXPECT_EQ(p.level(4).width, 139);
        EXPECT_EQ(p.level(4).height, 186);
    }
    {
        const auto slide = Slide::open(sharedData() / kTcga);  // downsample 2.0005 counts as 2
        const TilePyramid p(slide->info(), 256);
        EXPECT_EQ(p.level(1).slideLevel, 1);
        EXPECT_EQ(p.level(1).width, 2221);
        EXPECT_FALSE(p.level(2).native());
        EXPECT_EQ(p.level(2).width, 1111);
    }
    {
        const auto slide = Slide::open(sharedData() / kNdpi);  // every power of two is the scanner's own
        const TilePyramid p(slide->info(), 256);
        ASSERT_EQ(p.levelCount(), 6);  // 3968×4864 … 124×152
        for (int l = 0; l < p.levelCount(); ++l)
            EXPECT_EQ(p.level(l).slideLevel, l);
    }
}

// A single-level slide gets its coarser levels from its level-0 tiles, each read once, never from large re-reads.
TEST(SlideTiles, SingleLevelSlideBuildsItsPyramidFromLevelZeroTiles)
{
    const auto slide = Slide::open(singleLevelSlide());
    ASSERT_EQ(slide->info().levels.size(), 1u);
    SlideTiles tiles(slide, manual());
    const TilePyramid& p = tiles.pyramid();
    ASSERT_EQ(p.levelCount(), 3);  // 1000×700, 500×350, 250×175
    const TilePixels top = tiles.tile({2, 0, 0});
    const SlideTilesStats s = tiles.stats();
    EXPECT_EQ(s.tilesRead, std::uint64_t(p.level(0).cols * p.level(0).rows));  // 4 × 3, each once
    EXPECT_EQ(s.tilesBuilt, std::uint64_t(p.level(1).cols * p.level(1).rows + 1));

    const RgbImage whole = slide->readRegion(0, 0, 0, 1000, 700);
    const RgbImage half = halved(whole);
    EXPECT_TRUE(samePixels(*top, halved(half)));
    for (const TileKey& key : allTiles(p, 1))
        EXPECT_TRUE(
            samePixels(*tiles.tile(key), crop(half, key.col * 256, key.row * 256, p.tileWidth(key), p.tileHeight(key))))
            << key.col << "," << key.row;
    EXPECT_EQ(tiles.stats().tilesRead, s.tilesRead);  // nothing read again
}

TEST(SlideTiles, BuiltLevelsOfRealSlidesAverageTheFinerLevel)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    const auto slide = Slide::open(sharedData() / kCmu1);
    SlideTiles tiles(slide, {});  // the default tile size: built from many more, smaller tiles
    const RgbImage whole = slide->readRegion(0, 0, 0, 2220, 2967);
    RgbImage expected = whole;
    for (int level = 1; level < tiles.pyramid().levelCount(); ++level) {
        expected = halved(expected);
        const TileKey key{level, 0, 0};
        const int w = tiles.pyramid().tileWidth(key), h = tiles.pyramid().tileHeight(key);
        EXPECT_TRUE(samePixels(*tiles.tile(key), crop(expected, 0, 0, w, h))) << "level " << level;
    }
}

TEST(SlideTiles, CacheStaysWithinItsBound)
{
    const auto slide = Slide::open(pyramidSlide());
    SlideTilesOptions o = manual();
    const std::size_t tileCost = TileCache::cost(RgbImage{256, 256, std::vector<std::uint8_t>(256 * 256 * 3)});
    o.cacheBytes = 6 * tileCost;
    SlideTiles tiles(slide, o);
    const PyramidLevel& l = tiles.pyramid().level(0);
    std::vector<TileKey> inner;  // full-size tiles only, so that exactly six fit
    for (const TileKey& key : allTiles(tiles.pyramid(), 0))
        if (key.col < l.cols - 1 && key.row < l.rows - 1)
            inner.push_back(key);
    for (const TileKey& key : inner) {
        tiles.tile(key);
        ASSERT_LE(tiles.stats().cache.bytes, o.cacheBytes);
    }
    const SlideTilesStats s = tiles.stats();
    EXPECT_EQ(s.cache.tiles, 6u);
    EXPECT_EQ(s.cache.evictions, inner.size() - 6);
    EXPECT_TRUE(tiles.tryGet(inner.back()));    // the last read is kept …
    EXPECT_FALSE(tiles.tryGet(inner.front()));  // … the first is gone
}

TEST(SlideTiles, VisibleTilesComeFirstFromTheCentreOut)
{
    const auto slide = Slide::open(pyramidSlide());
    std::vector<TileKey> order;
    SlideTilesOptions o = manual();
    o.onTileReady = [&](const TileKey& key) { order.push_back(key); };
    SlideTiles tiles(slide, o);
    const TilePyramid& p = tiles.pyramid();

    ViewportRequest r;
    r.level = 0;
    r.region = {300, 200, 1000, 700};  // 300…1300 × 200…900: columns 1–5, rows 0–3 of level 0
    r.centreX = 900;
    r.centreY = 500;
    r.generation = 1;
    ASSERT_GT(tiles.requestViewport(r), 0u);
    tiles.waitIdle();

    const TileRange visible = p.tilesCovering(0, r.region);
    const TileRange preview = p.tilesCovering(1, r.region);  // level 1 is native and needs ≤ 8 tiles
    std::size_t i = 0;
    for (; i < order.size() && order[i].level == 1; ++i) {
        EXPECT_GE(order[i].col, preview.col0);
        EXPECT_LT(order[i].col, preview.col1);
    }
    EXPECT_EQ(i, preview.count()) << "the preview comes first";
    double last = -1;
    std::size_t visibleSeen = 0;
    for (; i < order.size() && visibleSeen < visible.count(); ++i, ++visibleSeen) {
        const TileKey& k = order[i];
        ASSERT_EQ(k.level, 0);
        ASSERT_TRUE(k.col >= visible.col0 && k.col < visible.col1 && k.row >= visible.row0 && k.row < visible.row1)
            << "tile " << k.col << "," << k.row << " read before a visible one";
        const SlideRect b = p.bounds(k);
        const double dx = b.x + b.width / 2 - r.centreX, dy = b.y + b.height / 2 - r.centreY;
        EXPECT_GE(dx * dx + dy * dy, last) << "not from the centre out at " << k.col << "," << k.row;
        last = dx * dx + dy * dy;
    }
    EXPECT_EQ(visibleSeen, visible.count());
    // Then prefetch: the ring of neighbours on level 0 (no finer level exists), then level 1 around the view.
    const TileRange ring = p.tilesCovering(0, {300 - 256, 200 - 256, 1000 + 512, 700 + 512});
    std::size_t ringSeen = 0;
    for (; i < order.size() && order[i].level == 0; ++i, ++ringSeen)
        EXPECT_TRUE(order[i].col >= ring.col0 && order[i].col < ring.col1 && order[i].row < ring.row1);
    EXPECT_EQ(ringSeen, ring.count() - visible.count());
    for (; i < order.size(); ++i)
        EXPECT_EQ(order[i].level, 1);
    EXPECT_GT(order.size(), visible.count() + ringSeen);  // the coarser level was prefetched too
}

TEST(SlideTiles, MovingTheViewCancelsItsStaleRequests)
{
    const auto slide = Slide::open(pyramidSlide());
    std::vector<TileKey> read;
    SlideTilesOptions o = manual();
    o.onTileReady = [&](const TileKey& key) { read.push_back(key); };
    SlideTiles tiles(slide, o);

    ViewportRequest whole;  // level 0, the whole slide: 48 tiles
    whole.region = {0, 0, 2000, 1500};
    whole.centreX = 1000;
    whole.centreY = 750;
    whole.generation = 1;
    whole.prefetch = false;
    const std::size_t queued = tiles.requestViewport(whole);
    EXPECT_EQ(queued, 48u + 12u);  // the visible tiles and a preview: all 4 × 3 tiles of level 1
    for (int i = 0; i < 6; ++i)
        ASSERT_TRUE(tiles.runNextJob());

    // Another view of the same slide is not affected by this view moving.
    ViewportRequest other = whole;
    other.view = 7;
    other.level = 2;
    other.region = {0, 0, 1000, 1000};
    other.generation = 1;
    const std::size_t otherQueued = tiles.requestViewport(other);
    EXPECT_GT(otherQueued, 0u);

    ViewportRequest moved = whole;
    moved.level = 1;
    moved.region = {1100, 600, 300, 300};  // level-1 tile (2, 1), among the six preview tiles read
    moved.generation = 2;
    tiles.requestViewport(moved);
    EXPECT_EQ(tiles.stats().requestsCancelled, queued - 6);

    whole.generation = 1;  // a late request from before the move changes nothing
    EXPECT_EQ(tiles.requestViewport(whole), 0u);
    tiles.waitIdle();
    for (std::size_t i = 6; i < read.size(); ++i)
        EXPECT_NE(read[i].level, 0) << "a cancelled level-0 tile was read: " << read[i].col << "," << read[i].row;
    EXPECT_EQ(tiles.stats().tilesRead + tiles.stats().tilesBuilt, 6 + otherQueued);
}

TEST(SlideTiles, BestAvailableIsTheFinestCoarserCachedTile)
{
    const auto slide = Slide::open(pyramidSlide());
    const TileKey wanted{0, 5, 3};  // level-0 pixels 1280…1536 × 768…1024
    {
        // Room for one tile: building level-2 tile (1, 0) reads its four level-1 children, which then make way.
        SlideTilesOptions o = manual();
        o.cacheBytes = TileCache::cost(RgbImage{256, 256, std::vector<std::uint8_t>(256 * 256 * 3)});
        SlideTiles tiles(slide, o);
        EXPECT_FALSE(tiles.bestAvailable(wanted));
        EXPECT_FALSE(tiles.tryGet(wanted));
        tiles.tile({2, 1, 0});  // built, over level-0 1024…2000 × 0…1024 (downsample 4)
        ASSERT_EQ(tiles.stats().cache.tiles, 1u);
        const auto f = tiles.bestAvailable(wanted);
        ASSERT_TRUE(f);
        EXPECT_EQ(f->key, (TileKey{2, 1, 0}));
        EXPECT_DOUBLE_EQ(f->sourceX, (1280 - 1024) / 4.0);
        EXPECT_DOUBLE_EQ(f->sourceY, 768 / 4.0);
        EXPECT_DOUBLE_EQ(f->sourceWidth, 64);
        EXPECT_DOUBLE_EQ(f->sourceHeight, 64);
        EXPECT_EQ(f->pixels.get(), tiles.tryGet({2, 1, 0}).get());
    }
    SlideTiles tiles(slide, manual());
    tiles.tile({2, 1, 0});  // now its children stay: native level 1 covers the wanted tile more sharply
    const auto f = tiles.bestAvailable(wanted);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->key, (TileKey{1, 2, 1}));
    EXPECT_DOUBLE_EQ(f->sourceX, (1280 - 1024) / 2.0);
    EXPECT_DOUBLE_EQ(f->sourceY, (768 - 512) / 2.0);
    EXPECT_DOUBLE_EQ(f->sourceWidth, 128);
    EXPECT_FALSE(tiles.bestAvailable({3, 0, 0}));  // nothing above the top
}

TEST(SlideTiles, RejectsKeysOutsideThePyramid)
{
    const auto slide = Slide::open(pyramidSlide());
    SlideTiles tiles(slide, manual());
    try {
        tiles.tile({0, 8, 0});
        FAIL() << "read a tile outside the level";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), pyramidSlide().string());
    }
    EXPECT_THROW(tiles.tile({9, 0, 0}), Error);
    EXPECT_FALSE(tiles.tryGet({0, -1, 0}));
    ViewportRequest r;
    r.level = 9;
    r.generation = 1;
    EXPECT_THROW(tiles.requestViewport(r), Error);
    EXPECT_FALSE(tiles.failure());  // a caller's mistake is not the slide's failure
}

// Workers, synchronous readers and a viewer thread at once, with a cache small enough to evict all the time:
// every tile anyone gets has the right pixels.
TEST(SlideTiles, ConcurrentViewsReadersAndEvictionGiveTheRightPixels)
{
    const auto slide = Slide::open(pyramidSlide());
    std::vector<RgbImage> expected;
    {
        SlideTiles reference(slide, manual(SlideTilesOptions().tileSize));
        for (const TileKey& key : allTiles(reference.pyramid(), 0))
            expected.push_back(*reference.tile(key));
    }
    SlideTilesOptions o;
    o.workers = 3;
    o.cacheBytes = 10 * TileCache::cost(expected[0]);
    std::atomic<int> ready{0};
    o.onTileReady = [&](const TileKey&) { ++ready; };
    SlideTiles tiles(slide, o);
    const int cols = tiles.pyramid().level(0).cols;
    std::atomic<bool> wrong{false};

    auto reader = [&](int offset) {
        for (int round = 0; round < 3; ++round)
            for (std::size_t i = std::size_t(offset); i < expected.size(); i += 2) {
                const TileKey key{0, int(i) % cols, int(i) / cols};
                if (tiles.tile(key)->rgb != expected[i].rgb)
                    wrong = true;
            }
    };
    auto viewer = [&] {
        for (std::uint64_t g = 1; g <= 60; ++g) {
            ViewportRequest r;
            r.level = int(g % 3);
            r.region = {double(g * 23 % 1200), double(g * 17 % 800), 800, 600};
            r.centreX = r.region.x + 400;
            r.centreY = r.region.y + 300;
            r.generation = g;
            tiles.requestViewport(r);
            for (std::size_t i = 0; i < expected.size(); ++i)
                if (const TilePixels p = tiles.tryGet({0, int(i) % cols, int(i) / cols});
                    p && p->rgb != expected[i].rgb)
                    wrong = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    };
    std::thread a(reader, 0), b(reader, 1), v(viewer);
    a.join();
    b.join();
    v.join();
    tiles.waitIdle();
    EXPECT_FALSE(wrong);
    EXPECT_FALSE(tiles.failure());
    EXPECT_LE(tiles.stats().cache.bytes, o.cacheBytes);
    EXPECT_GT(ready.load(), 0);
}

TEST(SlideTiles, DestroyingWithQueuedWorkJoinsTheWorkers)
{
    const auto slide = Slide::open(pyramidSlide());
    for (int i = 0; i < 5; ++i) {
        SlideTiles tiles(slide, {});
        ViewportRequest r;
        r.region = {0, 0, 2000, 1500};
        r.generation = 1;
        tiles.requestViewport(r);
    }  // no hang, no crash; the slide is still usable
    EXPECT_EQ(slide->readRegion(0, 0, 0, 8, 8).width, 8);
}

void copyFile(const fs::path& from, const fs::path& to)
{
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

// OpenSlide's Hamamatsu reader opens the file for each read, so once the file is gone every read fails: the engine
// must report it — once, naming the file — and keep serving what it has, never crash.
TEST(SlideTiles, SlideRemovedWhileOpenIsReportedNotACrash)
{
    CONSILIUM_REQUIRE_SHARED(kNdpi);
    TempDir dir;
    const fs::path file = dir / "removed.ndpi";
    copyFile(sharedData() / kNdpi, file);
    const auto slide = Slide::open(file);
    std::atomic<int> failures{0};
    std::string reported;
    std::mutex reportedMutex;
    SlideTilesOptions o;
    o.workers = 2;
    o.onFailure = [&](const Error& e) {
        ++failures;
        std::lock_guard lock(reportedMutex);
        reported = e.what();
    };
    SlideTiles tiles(slide, o);
    const TilePixels before = tiles.tile({5, 0, 0});
    fs::remove(file);

    ViewportRequest r;
    r.region = {0, 0, 3968, 4864};
    r.generation = 1;
    tiles.requestViewport(r);
    tiles.waitIdle();
    ASSERT_TRUE(tiles.failure());
    EXPECT_EQ(tiles.failure()->subject(), file.string());
    EXPECT_EQ(failures.load(), 1);
    {
        std::lock_guard lock(reportedMutex);
        EXPECT_NE(reported.find(file.string()), std::string::npos) << reported;
    }
    try {
        tiles.tile({0, 3, 3});
        FAIL() << "read a tile of a removed slide";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), file.string());
    }
    EXPECT_EQ(tiles.tryGet({5, 0, 0}), before);  // what was cached is still drawn
    EXPECT_EQ(tiles.requestViewport({0, r.region, 0, 0, 2}), 0u);
    EXPECT_EQ(tiles.stats().queued, 0u);
}

// Aperio (TIFF) slides keep their file handle: removing the file changes nothing until the handles are closed.
// Cutting the file short while it is open must give errors, not a crash; every tile that does arrive is right.
TEST(SlideTiles, SlideCutShortOrRemovedWhileOpenNeverCrashes)
{
    TempDir dir;
    const fs::path file = dir / "cut.svs";
    copyFile(pyramidSlide(), file);
    const auto reference = Slide::open(pyramidSlide());
    for (const bool remove : {true, false}) {
        SCOPED_TRACE(remove ? "removed" : "cut short");
        copyFile(pyramidSlide(), file);
        const auto slide = Slide::open(file);
        SlideTiles tiles(slide, {});
        if (remove)
            fs::remove(file);
        else
            fs::resize_file(file, fs::file_size(file) / 3);
        ViewportRequest r;
        r.region = {0, 0, 2000, 1500};
        r.generation = 1;
        tiles.requestViewport(r);
        tiles.waitIdle();
        int good = 0;
        for (const TileKey& key : allTiles(tiles.pyramid(), 0)) {
            try {
                ASSERT_TRUE(samePixels(*tiles.tile(key), expectedNativeTile(*reference, tiles.pyramid(), key)));
                ++good;
            } catch (const Error& e) {
                EXPECT_EQ(e.subject(), file.string());
                ASSERT_TRUE(tiles.failure());
            }
        }
        if (!remove) {
            EXPECT_TRUE(tiles.failure()) << "read " << good << " tiles from a file cut to a third";
        }
    }
}

}  // namespace
}  // namespace consilium::pathology
