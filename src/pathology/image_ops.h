#pragma once
// Small RGB image operations used to build the pyramid and the associated images.
#include "pathology/slide.h"

#include <cstddef>
#include <cstdint>

namespace consilium::pathology::detail {

// Averages 2×2 blocks of the w×h block `src` (stride bytes a row) into `dst` at (dx, dy); dst is
// ceil(w/2)×ceil(h/2) there. At an odd right or bottom edge the lone pixels are averaged on their own.
void halveInto(const std::uint8_t* src, int w, int h, std::size_t stride, RgbImage& dst, int dx, int dy);

// Box-filtered reduction of src to outW×outH (not larger than src): each output pixel is the mean of the
// source pixels that fall in it.
RgbImage shrink(const RgbImage& src, int outW, int outH);

// The size that fits w×h into maxSide×maxSide, keeping the aspect ratio (never enlarged, at least 1 px).
void fitInto(std::int64_t w, std::int64_t h, int maxSide, int& outW, int& outH);

}  // namespace consilium::pathology::detail
