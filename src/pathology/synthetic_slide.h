#pragma once
// The built-in demo case's whole-slide image: a procedurally drawn H&E section of lung adenocarcinoma core
// biopsies, written as an Aperio-style BigTIFF that OpenSlide 3.4.1 opens as vendor "aperio" with mpp and
// objective power (see docs: formats.md §1). Deterministic: the same spec always gives the same pixels.
#include <cstdint>
#include <filesystem>
#include <string>

namespace consilium::pathology {

struct SyntheticSlideSpec {
    std::int64_t width = 24000;  // level-0 pixels (6 mm × 4 mm at 0.25 µm/px)
    std::int64_t height = 16000;
    double mpp = 0.25;           // µm per level-0 pixel, written as the Aperio MPP key
    int objectivePower = 40;     // Aperio AppMag (OpenSlide only reports it when it is an integer)
    int tileSize = 256;          // a multiple of 16, as OpenSlide and JPEG need
    int jpegQuality = 85;
    std::uint32_t seed = 7;
    std::string labelText = "SO-DEMO H&E";  // printed on the label image (lines split at '\n')
};

// Writes the pyramid (factor 2 down to at most 1024 px), then the thumbnail, label and macro images.
// The file appears under `out` only when complete (it is written beside it and renamed).
// Throws consilium::Error(out, reason) for an invalid spec or any write failure.
void writeSyntheticSlide(const SyntheticSlideSpec& spec, const std::filesystem::path& out);

}  // namespace consilium::pathology
