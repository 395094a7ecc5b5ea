#pragma once
// The pictures a slide scanner takes of the whole glass: the paper label and the macro overview.
#include "pathology/slide.h"

#include <array>
#include <cstdint>
#include <string>

namespace consilium::pathology::detail {

// A 480×480 printed label: a barcode-like pattern derived from the text (decorative, not decodable), the text
// lines (split at '\n') in a built-in 5×7 bitmap font, and "SYNTHETIC - NOT FOR DIAGNOSIS" beneath.
RgbImage renderLabel(const std::string& text);

// A 75 × 25 mm slide photographed at 50 µm/px (1500×500): the label on the left, the scanned area (`scan`, whose
// background is `glass`) drawn to scale in the middle of the remaining glass, under a coverslip outline.
RgbImage renderMacro(const RgbImage& scan, double scanWidthMm, double scanHeightMm, const RgbImage& label,
                     std::array<std::uint8_t, 3> glass);

}  // namespace consilium::pathology::detail
