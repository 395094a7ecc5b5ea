#pragma once
// A small grey-scale preview of one DICOM image, for series thumbnails in the case overview and the series browser.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace consilium::imaging {

struct GreyImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // row-major, 8 bit
};

// Renders the first frame scaled to fit `maxSide` with the file's own window (else a modality default: soft tissue
// for CT, min–max otherwise); PET is shown inverted grey, as PET is read. Throws consilium::Error(file, reason).
GreyImage renderPreview(const std::filesystem::path& file, int maxSide);

}  // namespace consilium::imaging
