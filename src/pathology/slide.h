#pragma once
// One whole-slide image opened through OpenSlide 3.4.1: what it is (SlideInfo) and its pixels as plain RGB.
#include "model/slide.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace consilium::pathology {

// 8-bit RGB, row-major, 3 bytes a pixel, no row padding: rgb.size() == width * height * 3.
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;
};

// Owns one OpenSlide handle. Opening is expensive, so one Slide per file is shared (std::shared_ptr) by every
// view and worker; reads are thread-safe, and the handle is closed exactly once, by the destructor.
// Every failure throws consilium::Error with the slide's path as subject.
class Slide {
public:
    // Throws consilium::Error(file, reason): "file not found", "not a regular file",
    // "not a slide OpenSlide recognises (format not supported)", or OpenSlide's own message for a file it
    // recognises but cannot read (truncated, corrupt).
    static std::shared_ptr<Slide> open(const std::filesystem::path& file);

    ~Slide();
    Slide(const Slide&) = delete;
    Slide& operator=(const Slide&) = delete;

    // Read once at open. mpp stays absent when the file has none: it is never derived from the objective power.
    const model::SlideInfo& info() const { return info_; }
    const std::filesystem::path& path() const { return path_; }
    // openslide.background-color, white when absent: what readRegion shows outside the scanned area.
    std::array<std::uint8_t, 3> background() const { return {background_[0], background_[1], background_[2]}; }

    // As openslide_read_region: x, y in level-0 pixels, w, h in pixels of `level`. Pixels outside the slide, and
    // the transparent share of partly transparent ones, show openslide.background-color (white when absent).
    // Thread-safe. Throws Error for a bad level or size, or when OpenSlide fails to decode.
    RgbImage readRegion(int level, std::int64_t x, std::int64_t y, int w, int h) const;

    // "label", "macro", "thumbnail", ... as listed in info().associatedImages; throws Error when absent.
    RgbImage associatedImage(const std::string& name) const;

    // The whole slide scaled to fit maxSide × maxSide (aspect kept, never enlarged), area-averaged from the
    // level just finer than needed. Reads that level in bands, so memory stays bounded for one-level slides.
    RgbImage thumbnail(int maxSide) const;

private:
    struct Handle;
    Slide(std::filesystem::path path, std::unique_ptr<Handle> handle);
    void throwIfFailed(const char* what) const;

    std::filesystem::path path_;
    std::unique_ptr<Handle> handle_;
    model::SlideInfo info_;
    std::uint8_t background_[3] = {255, 255, 255};
};

// openslide_detect_vendor: "aperio", "hamamatsu", "generic-tiff", ...; empty when the file is not a slide
// OpenSlide recognises (or is missing). Cheap: it does not open the slide.
std::string detectVendor(const std::filesystem::path& file);

}  // namespace consilium::pathology
