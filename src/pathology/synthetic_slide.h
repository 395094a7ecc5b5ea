#pragma once
// The built-in demo case's whole-slide image: a procedurally drawn H&E section of lung adenocarcinoma core
// biopsies, written as an Aperio-style BigTIFF (tiled JPEG pyramid, "Aperio …|AppMag = …|MPP = …" description,
// stripped thumbnail/label/macro) that OpenSlide 3.4.1 opens as vendor "aperio" with mpp and objective power.
// Deterministic: the same spec always gives the same pixels. No patient data: the label says so too.
#include <cstdint>
#include <filesystem>
#include <string>

namespace consilium::pathology {

struct SyntheticSlideSpec {
    std::int64_t width = 24000;  // level-0 pixels (6 mm × 4 mm at 0.25 µm/px)
    std::int64_t height = 16000;
    double mpp = 0.25;        // µm per level-0 pixel, written as the Aperio MPP key
    int objectivePower = 40;  // Aperio AppMag (OpenSlide only reports it when it is an integer)
    int tileSize = 256;       // a multiple of 16, as OpenSlide and JPEG need
    int jpegQuality = 85;
    std::uint32_t seed = 7;
    std::string labelText = "SO-DEMO H&E";  // printed on the label image (lines split at '\n')
};

// Writes the pyramid (factor 2 down to at most 1024 px), then the thumbnail, label and macro images.
// Level 0 is drawn tile by tile on up to two threads; only level 1 (width × height × 3/4 bytes, 288 MB for the
// default spec) is held in memory. The default spec takes about 10 s on two idle cores and makes a ~47 MB file.
// The file appears under `out` only when complete (it is written beside it as `out`.partial and renamed).
// Pixels are deterministic; the byte layout is not (tiles are appended in the order threads finish them).
// Throws consilium::Error(out, reason) for an invalid spec or any write failure.
void writeSyntheticSlide(const SyntheticSlideSpec& spec, const std::filesystem::path& out);

}  // namespace consilium::pathology
