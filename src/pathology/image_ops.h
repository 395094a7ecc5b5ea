#pragma once
// Small RGB image operations used to build the pyramid and the associated images.
#include "pathology/slide.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace consilium::pathology::detail {

// Averages 2×2 blocks of the w×h block `src` (stride bytes a row) into `dst` at (dx, dy); dst is
// ceil(w/2)×ceil(h/2) there. At an odd right or bottom edge the lone pixels are averaged on their own.
void halveInto(const std::uint8_t* src, int w, int h, std::size_t stride, RgbImage& dst, int dx, int dy);

// Box filter fed in bands of rows: every source pixel lands in exactly one output pixel, which averages what it
// received. Lets a large source (a slide level) be reduced without holding it whole.
class BoxReducer {
public:
    BoxReducer(std::int64_t srcWidth, std::int64_t srcHeight, int outW, int outH);
    // Adds `rows` full-width rows of 8-bit RGB starting at source row `firstRow`.
    void addRows(const std::uint8_t* rgb, std::int64_t firstRow, int rows);
    RgbImage result() const;

private:
    std::int64_t srcWidth_, srcHeight_;
    int outW_, outH_;
    std::vector<std::uint64_t> sums_;
    std::vector<std::uint32_t> counts_;
    std::vector<int> column_;
};

// Box-filtered reduction of src to outW×outH (not larger than src): each output pixel is the mean of the
// source pixels that fall in it.
RgbImage shrink(const RgbImage& src, int outW, int outH);

// The size that fits w×h into maxSide×maxSide, keeping the aspect ratio (never enlarged, at least 1 px).
void fitInto(std::int64_t w, std::int64_t h, int maxSide, int& outW, int& outH);

}  // namespace consilium::pathology::detail
