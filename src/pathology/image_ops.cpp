#include "pathology/image_ops.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace consilium::pathology::detail {

void halveInto(const std::uint8_t* src, int w, int h, std::size_t stride, RgbImage& dst, int dx, int dy)
{
    for (int y = 0; y < h; y += 2) {
        const std::uint8_t* row0 = src + y * stride;
        const std::uint8_t* row1 = y + 1 < h ? row0 + stride : row0;  // a lone last row counts twice
        std::uint8_t* out = dst.rgb.data() + (static_cast<std::size_t>(dy + y / 2) * dst.width + dx) * 3;
        for (int x = 0; x < w; x += 2, out += 3) {
            const int x1 = x + 1 < w ? x + 1 : x;
            for (int c = 0; c < 3; ++c) {
                const int sum = row0[x * 3 + c] + row0[x1 * 3 + c] + row1[x * 3 + c] + row1[x1 * 3 + c];
                out[c] = static_cast<std::uint8_t>((sum + 2) >> 2);
            }
        }
    }
}

BoxReducer::BoxReducer(std::int64_t srcWidth, std::int64_t srcHeight, int outW, int outH)
    : srcWidth_(srcWidth),
      srcHeight_(srcHeight),
      outW_(outW),
      outH_(outH),
      sums_(static_cast<std::size_t>(outW) * outH * 3, 0),
      counts_(static_cast<std::size_t>(outW) * outH, 0),
      column_(static_cast<std::size_t>(srcWidth))
{
    for (std::int64_t x = 0; x < srcWidth; ++x)
        column_[x] = static_cast<int>(x * outW / srcWidth);
}

void BoxReducer::addRows(const std::uint8_t* rgb, std::int64_t firstRow, int rows)
{
    for (int r = 0; r < rows; ++r) {
        const std::size_t oy = static_cast<std::size_t>((firstRow + r) * outH_ / srcHeight_);
        const std::uint8_t* p = rgb + static_cast<std::size_t>(r) * srcWidth_ * 3;
        for (std::int64_t x = 0; x < srcWidth_; ++x, p += 3) {
            const std::size_t o = oy * outW_ + column_[x];
            sums_[o * 3] += p[0];
            sums_[o * 3 + 1] += p[1];
            sums_[o * 3 + 2] += p[2];
            ++counts_[o];
        }
    }
}

RgbImage BoxReducer::result() const
{
    RgbImage out{outW_, outH_, std::vector<std::uint8_t>(sums_.size())};
    for (std::size_t o = 0; o < counts_.size(); ++o) {
        const std::uint32_t n = std::max<std::uint32_t>(counts_[o], 1);
        for (int c = 0; c < 3; ++c)
            out.rgb[o * 3 + c] = static_cast<std::uint8_t>((sums_[o * 3 + c] + n / 2) / n);
    }
    return out;
}

RgbImage shrink(const RgbImage& src, int outW, int outH)
{
    outW = std::clamp(outW, 1, std::max(1, src.width));
    outH = std::clamp(outH, 1, std::max(1, src.height));
    BoxReducer reducer(src.width, src.height, outW, outH);
    reducer.addRows(src.rgb.data(), 0, src.height);
    return reducer.result();
}

void fitInto(std::int64_t w, std::int64_t h, int maxSide, int& outW, int& outH)
{
    const double scale = std::min(1.0, double(maxSide) / double(std::max(w, h)));
    outW = static_cast<int>(std::clamp<std::int64_t>(std::llround(w * scale), 1, maxSide));
    outH = static_cast<int>(std::clamp<std::int64_t>(std::llround(h * scale), 1, maxSide));
}

}  // namespace consilium::pathology::detail
