#include "pathology/tile_pyramid.h"

#include "model/error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace consilium::pathology {

namespace {

constexpr double kNativeTolerance = 0.02;

int tilesFor(std::int64_t pixels, int tileSize) { return int((pixels + tileSize - 1) / tileSize); }

// The slide level whose downsample matches `wanted` within the tolerance, or -1.
int matchingSlideLevel(const model::SlideInfo& info, double wanted)
{
    for (std::size_t i = 0; i < info.levels.size(); ++i)
        if (std::abs(info.levels[i].downsample / wanted - 1.0) <= kNativeTolerance)
            return int(i);
    return -1;
}

}  // namespace

TilePyramid::TilePyramid(const model::SlideInfo& info, int tileSize) : tileSize_(tileSize)
{
    // Even, so that a built tile's four children split at exactly half its size.
    if (tileSize < 64 || tileSize > 4096 || tileSize % 2 != 0)
        throw Error("tile pyramid", "tile size " + std::to_string(tileSize) + " is not an even number from 64 to 4096");
    if (info.levels.empty() || info.levels[0].width <= 0 || info.levels[0].height <= 0)
        throw Error("tile pyramid", "the slide has no pixels");
    const model::SlideLevel& base = info.levels[0];
    levels_.push_back(
        {base.width, base.height, 1.0, tilesFor(base.width, tileSize), tilesFor(base.height, tileSize), 0});
    while (levels_.back().width > tileSize || levels_.back().height > tileSize) {
        const PyramidLevel& finer = levels_.back();
        int slideLevel = matchingSlideLevel(info, finer.downsample * 2);
        // A level that does not shrink (a damaged header) would never end the loop: build that one instead.
        if (slideLevel >= 0 && info.levels[std::size_t(slideLevel)].width >= finer.width &&
            info.levels[std::size_t(slideLevel)].height >= finer.height)
            slideLevel = -1;
        PyramidLevel next;
        if (slideLevel >= 0) {
            const model::SlideLevel& s = info.levels[std::size_t(slideLevel)];
            next = {s.width, s.height, s.downsample, 0, 0, slideLevel};
        } else {
            // Built tiles halve the finer level exactly: an odd last column or row is averaged on its own.
            next = {(finer.width + 1) / 2, (finer.height + 1) / 2, finer.downsample * 2, 0, 0, -1};
        }
        next.cols = tilesFor(next.width, tileSize);
        next.rows = tilesFor(next.height, tileSize);
        levels_.push_back(next);
    }
}

bool TilePyramid::contains(const TileKey& key) const
{
    if (key.level < 0 || key.level >= levelCount())
        return false;
    const PyramidLevel& l = levels_[std::size_t(key.level)];
    return key.col >= 0 && key.row >= 0 && key.col < l.cols && key.row < l.rows;
}

int TilePyramid::tileWidth(const TileKey& key) const
{
    const PyramidLevel& l = level(key.level);
    return int(std::min<std::int64_t>(tileSize_, l.width - std::int64_t(key.col) * tileSize_));
}

int TilePyramid::tileHeight(const TileKey& key) const
{
    const PyramidLevel& l = level(key.level);
    return int(std::min<std::int64_t>(tileSize_, l.height - std::int64_t(key.row) * tileSize_));
}

SlideRect TilePyramid::bounds(const TileKey& key) const
{
    const double ds = level(key.level).downsample;
    return {double(key.col) * tileSize_ * ds, double(key.row) * tileSize_ * ds, tileWidth(key) * ds,
            tileHeight(key) * ds};
}

// OpenSlide divides the level-0 position by the level's downsample; rounding keeps the tile on the level's own
// pixel grid (exactly, whenever the downsample is an integer).
std::int64_t TilePyramid::level0X(const TileKey& key) const
{
    return std::llround(double(key.col) * tileSize_ * level(key.level).downsample);
}

std::int64_t TilePyramid::level0Y(const TileKey& key) const
{
    return std::llround(double(key.row) * tileSize_ * level(key.level).downsample);
}

TileRange TilePyramid::tilesCovering(int levelIndex, const SlideRect& region) const
{
    const PyramidLevel& l = level(levelIndex);
    const double span = tileSize_ * l.downsample;  // level-0 pixels per tile
    TileRange r{levelIndex, 0, 0, 0, 0};
    if (region.width <= 0 || region.height <= 0)
        return r;
    r.col0 = int(std::clamp(std::floor(region.x / span), 0.0, double(l.cols)));
    r.row0 = int(std::clamp(std::floor(region.y / span), 0.0, double(l.rows)));
    r.col1 = int(std::clamp(std::ceil((region.x + region.width) / span), 0.0, double(l.cols)));
    r.row1 = int(std::clamp(std::ceil((region.y + region.height) / span), 0.0, double(l.rows)));
    return r;
}

int TilePyramid::levelForDownsample(double downsample) const
{
    int best = 0;
    for (int i = 1; i < levelCount(); ++i)
        if (levels_[std::size_t(i)].downsample <= downsample * (1 + kNativeTolerance))
            best = i;
    return best;
}

TileKey TilePyramid::ancestor(const TileKey& key, int coarserLevel) const
{
    const int steps = coarserLevel - key.level;
    TileKey a{coarserLevel, key.col >> steps, key.row >> steps};
    const PyramidLevel& l = level(coarserLevel);
    // A native level may be a pixel narrower than an exact halving: stay inside it.
    a.col = std::min(a.col, l.cols - 1);
    a.row = std::min(a.row, l.rows - 1);
    return a;
}

std::vector<TileKey> TilePyramid::children(const TileKey& key) const
{
    std::vector<TileKey> out;
    for (int j = 0; j < 2; ++j)
        for (int i = 0; i < 2; ++i) {
            const TileKey child{key.level - 1, key.col * 2 + i, key.row * 2 + j};
            if (key.level > 0 && contains(child))
                out.push_back(child);
        }
    return out;
}

}  // namespace consilium::pathology
