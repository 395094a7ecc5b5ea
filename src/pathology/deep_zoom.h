#pragma once
// Deep Zoom tiles (the layout OpenSeadragon and most slide servers use, and that openslide-python's
// DeepZoomGenerator serves) cut from the tile engine's cache: the same levels (halving down to 1×1), the same tile
// grid (254 px with 1 px of overlap on inner edges by default) and the same read positions as DeepZoomGenerator
// with limit_bounds off. Level pixels come from the engine level of the same downsample, so a single-level slide's
// coarser Deep Zoom levels are built from decoded level-0 tiles instead of read again as large regions.
#include "pathology/slide.h"
#include "pathology/slide_tiles.h"

#include <cstdint>
#include <vector>

namespace consilium::pathology {

class DeepZoom {
public:
    struct Level {
        std::int64_t width = 0, height = 0;
        int cols = 0, rows = 0;
    };
    // A tile's pixels within its Deep Zoom level, overlap included.
    struct TileRect {
        std::int64_t x = 0, y = 0;
        int width = 0, height = 0;
    };

    // `tiles` must outlive this object. Throws Error for a tile size below 1 or a negative overlap.
    explicit DeepZoom(SlideTiles& tiles, int tileSize = 254, int overlap = 1);

    int levelCount() const { return int(levels_.size()); }
    const Level& level(int dzLevel) const { return levels_.at(std::size_t(dzLevel)); }
    // The engine pyramid level with the same downsample (2^(levelCount − 1 − dzLevel)); past the pyramid's top
    // the top tile is halved further.
    int pyramidLevel(int dzLevel) const { return levelCount() - 1 - dzLevel; }
    TileRect tileRect(int dzLevel, int col, int row) const;
    // The same in level-0 pixels, to ask the engine for what a run of tiles will need.
    SlideRect bounds(int dzLevel, int col, int row) const;

    // The tile's pixels, assembled from engine tiles (read or waited for when not cached). Pixels beyond the engine
    // level's edge (a scanner's level may be a pixel narrower than an exact halving) show the background colour.
    // Throws Error for an address outside the level, or when the slide cannot be read.
    RgbImage tile(int dzLevel, int col, int row);

private:
    void checkAddress(int dzLevel, int col, int row) const;
    RgbImage beyondPyramidTop(int dzLevel, const TileRect& rect);

    SlideTiles& tiles_;
    int tileSize_;
    int overlap_;
    std::vector<Level> levels_;  // coarsest (1×1) first, as Deep Zoom numbers them
};

}  // namespace consilium::pathology
