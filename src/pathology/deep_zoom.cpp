#include "pathology/deep_zoom.h"

#include "model/error.h"
#include "pathology/image_ops.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace consilium::pathology {

namespace {

RgbImage filled(int width, int height, std::array<std::uint8_t, 3> colour)
{
    RgbImage image{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 3, colour[0])};
    if (colour[1] != colour[0] || colour[2] != colour[0])
        for (std::size_t i = 0; i < image.rgb.size(); i += 3)
            std::memcpy(&image.rgb[i], colour.data(), 3);
    return image;
}

// Copies the part of `src` (whose top-left is at srcX, srcY in level pixels) that falls inside `dst` (at dstX, dstY).
void blit(const RgbImage& src, std::int64_t srcX, std::int64_t srcY, RgbImage& dst, std::int64_t dstX,
          std::int64_t dstY)
{
    const std::int64_t x0 = std::max(srcX, dstX), x1 = std::min(srcX + src.width, dstX + dst.width);
    const std::int64_t y0 = std::max(srcY, dstY), y1 = std::min(srcY + src.height, dstY + dst.height);
    if (x1 <= x0 || y1 <= y0)
        return;
    const std::size_t bytes = std::size_t(x1 - x0) * 3;
    for (std::int64_t y = y0; y < y1; ++y)
        std::memcpy(&dst.rgb[(std::size_t(y - dstY) * dst.width + std::size_t(x0 - dstX)) * 3],
                    &src.rgb[(std::size_t(y - srcY) * src.width + std::size_t(x0 - srcX)) * 3], bytes);
}

RgbImage halved(const RgbImage& src)
{
    RgbImage out{(src.width + 1) / 2, (src.height + 1) / 2, {}};
    out.rgb.resize(std::size_t(out.width) * out.height * 3);
    detail::halveInto(src.rgb.data(), src.width, src.height, std::size_t(src.width) * 3, out, 0, 0);
    return out;
}

}  // namespace

DeepZoom::DeepZoom(SlideTiles& tiles, int tileSize, int overlap) : tiles_(tiles), tileSize_(tileSize), overlap_(overlap)
{
    if (tileSize < 1 || overlap < 0)
        throw Error(tiles.slide().path().string(), "Deep Zoom tile size " + std::to_string(tileSize) + " or overlap " +
                                                       std::to_string(overlap) + " out of range");
    const PyramidLevel& base = tiles.pyramid().level(0);
    std::vector<Level> finestFirst;
    std::int64_t w = base.width, h = base.height;
    for (;;) {
        finestFirst.push_back({w, h, int((w + tileSize - 1) / tileSize), int((h + tileSize - 1) / tileSize)});
        if (w <= 1 && h <= 1)
            break;
        w = std::max<std::int64_t>(1, (w + 1) / 2);
        h = std::max<std::int64_t>(1, (h + 1) / 2);
    }
    levels_.assign(finestFirst.rbegin(), finestFirst.rend());
}

void DeepZoom::checkAddress(int dzLevel, int col, int row) const
{
    if (dzLevel < 0 || dzLevel >= levelCount() || col < 0 || row < 0 || col >= level(dzLevel).cols ||
        row >= level(dzLevel).rows)
        throw Error(tiles_.slide().path().string(), "no Deep Zoom tile " + std::to_string(dzLevel) + "/" +
                                                        std::to_string(col) + "_" + std::to_string(row));
}

// As DeepZoomGenerator._get_tile_info: inner edges get `overlap` extra pixels, the outer edges none.
DeepZoom::TileRect DeepZoom::tileRect(int dzLevel, int col, int row) const
{
    checkAddress(dzLevel, col, row);
    const Level& l = level(dzLevel);
    const int left = col > 0 ? overlap_ : 0, top = row > 0 ? overlap_ : 0;
    const int right = col < l.cols - 1 ? overlap_ : 0, bottom = row < l.rows - 1 ? overlap_ : 0;
    TileRect r;
    r.x = std::int64_t(col) * tileSize_ - left;
    r.y = std::int64_t(row) * tileSize_ - top;
    r.width = int(std::min<std::int64_t>(tileSize_, l.width - std::int64_t(col) * tileSize_)) + left + right;
    r.height = int(std::min<std::int64_t>(tileSize_, l.height - std::int64_t(row) * tileSize_)) + top + bottom;
    return r;
}

SlideRect DeepZoom::bounds(int dzLevel, int col, int row) const
{
    const TileRect r = tileRect(dzLevel, col, row);
    const double ds = double(std::int64_t{1} << std::min(pyramidLevel(dzLevel), 62));
    return {double(r.x) * ds, double(r.y) * ds, r.width * ds, r.height * ds};
}

RgbImage DeepZoom::tile(int dzLevel, int col, int row)
{
    const TileRect rect = tileRect(dzLevel, col, row);
    const TilePyramid& pyramid = tiles_.pyramid();
    const int k = pyramidLevel(dzLevel);
    if (k >= pyramid.levelCount())
        return beyondPyramidTop(dzLevel, rect);
    const PyramidLevel& pl = pyramid.level(k);
    // The background only shows where the engine level ends short of the Deep Zoom level (a pixel, at most).
    const bool covered = rect.x + rect.width <= pl.width && rect.y + rect.height <= pl.height;
    RgbImage out = covered ? RgbImage{rect.width, rect.height,
                                      std::vector<std::uint8_t>(std::size_t(rect.width) * rect.height * 3)}
                           : filled(rect.width, rect.height, tiles_.slide().background());
    const int t = pyramid.tileSize();
    const int col0 = int(rect.x / t), row0 = int(rect.y / t);
    const int col1 = int(std::min<std::int64_t>(pl.cols, (rect.x + rect.width + t - 1) / t));
    const int row1 = int(std::min<std::int64_t>(pl.rows, (rect.y + rect.height + t - 1) / t));
    for (int r = row0; r < row1; ++r)
        for (int c = col0; c < col1; ++c) {
            const TilePixels source = tiles_.tile({k, c, r});
            blit(*source, std::int64_t(c) * t, std::int64_t(r) * t, out, rect.x, rect.y);
        }
    return out;
}

// Deep Zoom goes on halving to 1×1; the pyramid stops at one tile. The top tile holds the whole slide, so these
// few tiny levels are that tile halved again.
RgbImage DeepZoom::beyondPyramidTop(int dzLevel, const TileRect& rect)
{
    const TilePyramid& pyramid = tiles_.pyramid();
    const int top = pyramid.levelCount() - 1;
    RgbImage whole = *tiles_.tile({top, 0, 0});
    for (int k = top; k < pyramidLevel(dzLevel); ++k)
        whole = halved(whole);
    RgbImage out = filled(rect.width, rect.height, tiles_.slide().background());
    blit(whole, 0, 0, out, rect.x, rect.y);
    return out;
}

}  // namespace consilium::pathology
