#pragma once
// Pictures for the review without Qt in the caller: the viewers and the demo hand over plain pixels.
#include <cstdint>
#include <string>
#include <vector>

namespace consilium::report {

// PNG bytes of an 8-bit image: `channels` 1 (grey) or 3 (RGB), rows top to bottom without padding.
// Throws consilium::Error when the pixels do not match the size.
std::string encodePng(int width, int height, int channels, const std::vector<std::uint8_t>& pixels);

}  // namespace consilium::report
