#pragma once
// Baseline JPEG encoding of RGB tiles with libjpeg(-turbo), for writing pre-compressed TIFF tiles.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace consilium::pathology::detail {

// One compressor, reused for every tile a thread encodes (creating one per tile would cost more than a tile).
// Output: YCbCr with 4:2:0 chroma subsampling, no JFIF marker — what TIFF's JPEG compression (Photometric
// YCbCr, YCbCrSubsampling 2,2) expects, and what OpenSlide's direct-libjpeg fast path decodes.
// Not thread-safe: one per thread.
class JpegEncoder {
public:
    explicit JpegEncoder(int quality);
    ~JpegEncoder();
    JpegEncoder(const JpegEncoder&) = delete;
    JpegEncoder& operator=(const JpegEncoder&) = delete;

    // Encodes w×h pixels of 8-bit RGB (`stride` bytes a row). The result stays valid until the next call.
    // Throws std::runtime_error with libjpeg's message on failure.
    const std::vector<std::uint8_t>& encode(const std::uint8_t* rgb, int w, int h, std::size_t stride);

private:
    struct State;
    std::unique_ptr<State> state_;
    std::vector<std::uint8_t> output_;
    int quality_;
};

}  // namespace consilium::pathology::detail
