#include "pathology/slide.h"

#include "model/error.h"
#include "pathology/image_ops.h"

#include <openslide.h>
#include <tiffio.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>

namespace consilium::pathology {
namespace fs = std::filesystem;

namespace {

// One openslide_read_region call allocates w*h*4 bytes; cap it so a wrong argument cannot ask for gigabytes.
constexpr std::int64_t kMaxRegionPixels = std::int64_t{64} << 20;
// thumbnail() reads its source level in bands of about this many pixels (64 MB of ARGB).
constexpr std::int64_t kThumbnailBandPixels = std::int64_t{16} << 20;
constexpr int kMaxThumbnailSide = 16384;
// Regions up to this many pixels are read into a per-thread buffer that is kept (4 MB at most).
constexpr std::size_t kReusedBufferPixels = std::size_t{1} << 20;

const char* kNotASlide = "not a slide OpenSlide recognises (format not supported)";

std::optional<std::string> property(openslide_t* osr, const char* name)
{
    const char* value = openslide_get_property_value(osr, name);
    if (!value)
        return std::nullopt;
    return std::string(value);
}

// Locale-independent (a GUI process may run under a decimal-comma locale). Only finite, positive values count:
// OpenSlide copies the vendor's text, and "0" or garbage must read as "absent", not as a calibration.
std::optional<double> positiveNumber(const std::optional<std::string>& text)
{
    if (!text)
        return std::nullopt;
    std::string_view s = *text;
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end == s.data() || !std::isfinite(value) || value <= 0)
        return std::nullopt;
    return value;
}

// openslide.background-color is "RRGGBB" hex; white when absent or malformed.
void parseBackground(const std::optional<std::string>& text, std::uint8_t out[3])
{
    out[0] = out[1] = out[2] = 255;
    if (!text || text->size() != 6)
        return;
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + 6, value, 16);
    if (ec != std::errc() || end != text->data() + 6)
        return;
    out[0] = static_cast<std::uint8_t>(value >> 16);
    out[1] = static_cast<std::uint8_t>(value >> 8);
    out[2] = static_cast<std::uint8_t>(value);
}

// OpenSlide gives premultiplied ARGB. Un-premultiplying and then laying the pixel over the opaque background is,
// for premultiplied data, simply colour + background × (1 − alpha): exact for opaque pixels, the background for
// fully transparent ones (outside the scanned area), and no noise amplification at faint edge pixels.
void argbToRgb(const std::uint32_t* argb, std::size_t count, const std::uint8_t background[3], std::uint8_t* rgb)
{
    // Inside the scanned area every pixel is opaque: one pass that only looks at alpha lets the copy run without a
    // branch per pixel (the tile engine converts thousands of tiles a second).
    std::uint32_t alphaAnd = 0xff000000u;
    for (std::size_t i = 0; i < count; ++i)
        alphaAnd &= argb[i];
    if (alphaAnd == 0xff000000u) {
        for (std::size_t i = 0; i < count; ++i, rgb += 3) {
            const std::uint32_t p = argb[i];
            rgb[0] = static_cast<std::uint8_t>(p >> 16);
            rgb[1] = static_cast<std::uint8_t>(p >> 8);
            rgb[2] = static_cast<std::uint8_t>(p);
        }
        return;
    }
    for (std::size_t i = 0; i < count; ++i, rgb += 3) {
        const std::uint32_t p = argb[i];
        const unsigned a = p >> 24;
        const unsigned c[3] = {(p >> 16) & 0xffu, (p >> 8) & 0xffu, p & 0xffu};
        if (a == 255) {
            rgb[0] = static_cast<std::uint8_t>(c[0]);
            rgb[1] = static_cast<std::uint8_t>(c[1]);
            rgb[2] = static_cast<std::uint8_t>(c[2]);
            continue;
        }
        for (int k = 0; k < 3; ++k) {
            const unsigned v = c[k] + (background[k] * (255 - a) + 127) / 255;
            rgb[k] = static_cast<std::uint8_t>(std::min(v, 255u));
        }
    }
}

// Distinguishes "missing" and "unreadable" from "not a slide": openslide_detect_vendor says NULL for all three.
void checkReadableFile(const fs::path& file)
{
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);
    if (!fs::exists(status))
        throw Error(file.string(), "file not found");
    if (!fs::is_regular_file(status))
        throw Error(file.string(), "not a regular file");
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f)
        throw Error(file.string(), std::string("cannot be read: ") + std::strerror(errno));
    std::fclose(f);
    if (fs::file_size(file, ec) == 0 && !ec)
        throw Error(file.string(), "empty file");
}

bool hasTiffSignature(const fs::path& file)
{
    char magic[4] = {};
    std::ifstream in(file, std::ios::binary);
    in.read(magic, 4);
    return in && ((magic[0] == 'I' && magic[1] == 'I' && (magic[2] == 42 || magic[2] == 43) && magic[3] == 0) ||
                  (magic[0] == 'M' && magic[1] == 'M' && magic[2] == 0 && (magic[3] == 42 || magic[3] == 43)));
}

// OpenSlide says nothing about a file it does not recognise. SVS, NDPI and most slide formats are TIFFs, so for a
// TIFF ask libtiff to walk its directories: a truncated or damaged slide then gets a reason, not just
// "not supported".
std::string unrecognisedReason(const fs::path& file)
{
    if (!hasTiffSignature(file))
        return kNotASlide;
    std::string firstError;
    TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(
        options,
        [](TIFF*, void* user, const char*, const char* format, va_list args) {
            auto* text = static_cast<std::string*>(user);
            if (text->empty()) {
                char buffer[512];
                std::vsnprintf(buffer, sizeof buffer, format, args);
                *text = buffer;
            }
            return 1;
        },
        &firstError);
    TIFFOpenOptionsSetWarningHandlerExtR(
        options, [](TIFF*, void*, const char*, const char*, va_list) { return 1; }, nullptr);
    TIFF* tiff = TIFFOpenExt(file.c_str(), "r", options);
    TIFFOpenOptionsFree(options);
    if (tiff) {
        while (TIFFReadDirectory(tiff)) {
        }
        TIFFClose(tiff);
    }
    if (!tiff || !firstError.empty())
        return "damaged or truncated TIFF" + (firstError.empty() ? std::string() : " (" + firstError + ")");
    return "a TIFF image, but not a whole-slide format OpenSlide supports (format not supported)";
}

}  // namespace

struct Slide::Handle {
    explicit Handle(openslide_t* o) : osr(o) {}
    ~Handle()
    {
        if (osr)
            openslide_close(osr);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    openslide_t* osr = nullptr;
};

namespace {

model::SlideInfo readInfo(openslide_t* osr)
{
    model::SlideInfo info;
    info.vendor = property(osr, OPENSLIDE_PROPERTY_NAME_VENDOR).value_or("");
    const std::int32_t levelCount = openslide_get_level_count(osr);
    for (std::int32_t level = 0; level < levelCount; ++level) {
        model::SlideLevel l;
        openslide_get_level_dimensions(osr, level, &l.width, &l.height);
        l.downsample = openslide_get_level_downsample(osr, level);
        info.levels.push_back(l);
    }
    info.mppX = positiveNumber(property(osr, OPENSLIDE_PROPERTY_NAME_MPP_X));
    info.mppY = positiveNumber(property(osr, OPENSLIDE_PROPERTY_NAME_MPP_Y));
    info.objectivePower = positiveNumber(property(osr, OPENSLIDE_PROPERTY_NAME_OBJECTIVE_POWER));
    for (const char* const* name = openslide_get_associated_image_names(osr); name && *name; ++name)
        info.associatedImages.emplace_back(*name);
    info.quickhash = property(osr, OPENSLIDE_PROPERTY_NAME_QUICKHASH1).value_or("");
    for (const char* const* name = openslide_get_property_names(osr); name && *name; ++name)
        info.properties[*name] = property(osr, *name).value_or("");
    return info;
}

}  // namespace

Slide::Slide(fs::path path, std::unique_ptr<Handle> handle) : path_(std::move(path)), handle_(std::move(handle))
{
    info_ = readInfo(handle_->osr);
    parseBackground(property(handle_->osr, OPENSLIDE_PROPERTY_NAME_BACKGROUND_COLOR), background_);
}

Slide::~Slide() = default;

std::shared_ptr<Slide> Slide::open(const fs::path& file)
{
    checkReadableFile(file);
    if (!openslide_detect_vendor(file.c_str()))
        throw Error(file.string(), unrecognisedReason(file));
    auto handle = std::make_unique<Handle>(openslide_open(file.c_str()));
    if (!handle->osr)
        throw Error(file.string(), unrecognisedReason(file));
    // A recognised but broken file (truncated, bad tile offsets) opens into an error state rather than NULL.
    if (const char* error = openslide_get_error(handle->osr))
        throw Error(file.string(), error);
    std::shared_ptr<Slide> slide(new Slide(file, std::move(handle)));
    slide->throwIfFailed("reading its properties");
    return slide;
}

// OpenSlide's error state is sticky: after the first failed read every later call fails too, with the same message.
void Slide::throwIfFailed(const char* what) const
{
    if (const char* error = openslide_get_error(handle_->osr))
        throw Error(path_.string(), std::string(what) + ": " + error);
}

RgbImage Slide::readRegion(int level, std::int64_t x, std::int64_t y, int w, int h) const
{
    if (level < 0 || level >= static_cast<int>(info_.levels.size()))
        throw Error(path_.string(), "no level " + std::to_string(level) + " (the slide has " +
                                        std::to_string(info_.levels.size()) + ")");
    if (w <= 0 || h <= 0 || std::int64_t{w} * h > kMaxRegionPixels)
        throw Error(path_.string(), "region size " + std::to_string(w) + "x" + std::to_string(h) + " out of range");
    const std::size_t count = static_cast<std::size_t>(w) * h;
    // The tile engine reads thousands of tiles a second: a fresh 256 kB ARGB buffer per read would cost page faults
    // (glibc maps and trims buffers that size) as large as the conversion itself, so each thread keeps one.
    thread_local std::vector<std::uint32_t> scratch;
    std::vector<std::uint32_t> large;
    std::vector<std::uint32_t>& argb = count <= kReusedBufferPixels ? scratch : large;
    if (argb.size() < count)
        argb.resize(count);
    openslide_read_region(handle_->osr, argb.data(), x, y, level, w, h);
    throwIfFailed("reading a region");
    RgbImage image{w, h, std::vector<std::uint8_t>(count * 3)};
    argbToRgb(argb.data(), count, background_, image.rgb.data());
    return image;
}

RgbImage Slide::associatedImage(const std::string& name) const
{
    std::int64_t w = -1, h = -1;
    openslide_get_associated_image_dimensions(handle_->osr, name.c_str(), &w, &h);
    if (w < 0 || h < 0)
        throw Error(path_.string(), "no associated image \"" + name + "\"");
    if (w == 0 || h == 0 || w * h > kMaxRegionPixels)
        throw Error(path_.string(), "associated image \"" + name + "\" has an unusable size");
    std::vector<std::uint32_t> argb(static_cast<std::size_t>(w * h));
    openslide_read_associated_image(handle_->osr, name.c_str(), argb.data());
    throwIfFailed(("reading associated image \"" + name + "\"").c_str());
    RgbImage image{static_cast<int>(w), static_cast<int>(h), std::vector<std::uint8_t>(argb.size() * 3)};
    argbToRgb(argb.data(), argb.size(), background_, image.rgb.data());
    return image;
}

RgbImage Slide::thumbnail(int maxSide) const
{
    if (maxSide <= 0 || maxSide > kMaxThumbnailSide)
        throw Error(path_.string(), "thumbnail size " + std::to_string(maxSide) + " out of range");
    const model::SlideLevel& base = info_.levels.front();
    int outW, outH;
    detail::fitInto(base.width, base.height, maxSide, outW, outH);

    // The coarsest level that still has at least the output's pixels: fewest pixels to read, none invented.
    // (Downsamples are not exact powers of two, e.g. 2.0005, so check the level's size, not just its factor.)
    const double wanted = std::max(double(base.width) / outW, double(base.height) / outH);
    int level = std::max(0, openslide_get_best_level_for_downsample(handle_->osr, wanted));
    while (level > 0 && (info_.levels[level].width < outW || info_.levels[level].height < outH))
        --level;
    const model::SlideLevel& src = info_.levels[level];

    detail::BoxReducer reducer(src.width, src.height, outW, outH);
    const int bandRows = static_cast<int>(std::clamp<std::int64_t>(kThumbnailBandPixels / src.width, 1, src.height));
    for (std::int64_t y0 = 0; y0 < src.height; y0 += bandRows) {
        const int rows = static_cast<int>(std::min<std::int64_t>(bandRows, src.height - y0));
        const RgbImage band =
            readRegion(level, 0, std::llround(double(y0) * src.downsample), static_cast<int>(src.width), rows);
        reducer.addRows(band.rgb.data(), y0, rows);
    }
    return reducer.result();
}

std::string detectVendor(const fs::path& file)
{
    const char* vendor = openslide_detect_vendor(file.c_str());
    return vendor ? std::string(vendor) : std::string();
}

}  // namespace consilium::pathology
