#pragma once
// The grid of tiles Consilium draws a slide with. Levels halve (downsample 1, 2, 4, …) down to the first level that
// fits in one tile, whatever levels the scanner wrote, so a viewer always has a level within a factor of 2 of any
// zoom. A level is *native* when the slide has a level at that downsample (its tiles are read through OpenSlide),
// otherwise it is *built*: each tile is the 2×2 average of the four finer tiles beneath it. A single-level slide
// (CMU-1-Small-Region) therefore gets its whole pyramid from level-0 reads, never from large re-reads.
#include "model/slide.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace consilium::pathology {

// One tile of the grid: `col`, `row` count tiles from the top-left of `level`.
struct TileKey {
    int level = 0;
    int col = 0;
    int row = 0;
    auto operator<=>(const TileKey&) const = default;
};

struct TileKeyHash {
    std::size_t operator()(const TileKey& k) const noexcept
    {
        const std::uint64_t packed = (std::uint64_t(std::uint32_t(k.col)) << 32) | std::uint32_t(k.row);
        return std::hash<std::uint64_t>()(packed * 0x9e3779b97f4a7c15ull ^ std::uint64_t(k.level));
    }
};

// An axis-aligned rectangle in level-0 pixels (the slide's own coordinates, as annotations and OpenSlide use).
struct SlideRect {
    double x = 0;
    double y = 0;
    double width = 0;
    double height = 0;
};

struct PyramidLevel {
    std::int64_t width = 0;   // pixels of this level
    std::int64_t height = 0;  //
    double downsample = 1;    // level-0 pixels per pixel of this level (the slide's own figure for native levels)
    int cols = 0;             // tiles across
    int rows = 0;             // tiles down
    int slideLevel = -1;      // the OpenSlide level it is read from; -1 when built from the finer level
    bool native() const { return slideLevel >= 0; }
};

// Tiles col0 ≤ col < col1, row0 ≤ row < row1 of one level; empty when nothing of the level is touched.
struct TileRange {
    int level = 0;
    int col0 = 0, row0 = 0, col1 = 0, row1 = 0;
    bool empty() const { return col1 <= col0 || row1 <= row0; }
    std::size_t count() const { return empty() ? 0 : std::size_t(col1 - col0) * std::size_t(row1 - row0); }
};

class TilePyramid {
public:
    // A slide level serves as pyramid level k when its downsample is within 2 % of the wanted one (scanners write
    // 4.0002 or 2.0005 for 4 and 2). Throws consilium::Error for a tile size that is odd or outside 64…4096, or a slide
    // without levels.
    TilePyramid(const model::SlideInfo& info, int tileSize);

    int tileSize() const { return tileSize_; }
    int levelCount() const { return int(levels_.size()); }
    const PyramidLevel& level(int index) const { return levels_.at(std::size_t(index)); }
    bool contains(const TileKey& key) const;

    // Pixels of the tile: tileSize() except at the right and bottom edges.
    int tileWidth(const TileKey& key) const;
    int tileHeight(const TileKey& key) const;
    // Where the tile lies on the slide, in level-0 pixels: where a viewer draws it.
    SlideRect bounds(const TileKey& key) const;
    // The level-0 pixel OpenSlide's read_region needs for the tile's top-left corner (native levels).
    std::int64_t level0X(const TileKey& key) const;
    std::int64_t level0Y(const TileKey& key) const;

    // The tiles of `level` that a level-0 rectangle touches, clipped to the level.
    TileRange tilesCovering(int level, const SlideRect& region) const;
    // The coarsest level that still has at least one pixel per screen pixel at `downsample` (level-0 pixels per
    // screen pixel), so detail is never invented by enlarging; level 0 below 1.
    int levelForDownsample(double downsample) const;
    // The tile of `coarserLevel` that covers (part of) `key`, and the four finer tiles a built tile averages.
    TileKey ancestor(const TileKey& key, int coarserLevel) const;
    std::vector<TileKey> children(const TileKey& key) const;

private:
    int tileSize_;
    std::vector<PyramidLevel> levels_;
};

}  // namespace consilium::pathology
