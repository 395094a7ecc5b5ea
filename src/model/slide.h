#pragma once
// A whole-slide image as OpenSlide describes it. Coordinates are level-0 pixels.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace consilium::model {

struct SlideLevel {
    std::int64_t width = 0;
    std::int64_t height = 0;
    double downsample = 1.0;
};

struct SlideInfo {
    std::string vendor;  // openslide.vendor: "aperio", "hamamatsu", "generic-tiff", ...
    std::vector<SlideLevel> levels;
    std::optional<double> mppX;  // µm per level-0 pixel; absent = uncalibrated, never guessed
    std::optional<double> mppY;
    std::optional<double> objectivePower;
    std::vector<std::string> associatedImages;  // "label", "macro", "thumbnail", ...
    std::string quickhash;                      // openslide.quickhash-1
    std::map<std::string, std::string> properties;

    bool calibrated() const { return mppX && mppY; }
};

// A slide attached to a case (stored in the case library under its SHA-256).
struct CaseSlide {
    std::int64_t id = 0;
    std::int64_t caseId = 0;
    std::string originalName;
    std::string sha256;
    std::int64_t sizeBytes = 0;
    std::string storedPath;  // relative to the case library root
    std::string title;       // "Biopsy, right lower lobe, H&E"
    SlideInfo info;
};

}  // namespace consilium::model
