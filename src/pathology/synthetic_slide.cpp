#include "pathology/synthetic_slide.h"

#include "model/error.h"
#include "pathology/image_ops.h"
#include "pathology/jpeg_encoder.h"
#include "pathology/synthetic_glass.h"
#include "pathology/tiff_writer.h"
#include "pathology/tissue_renderer.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace consilium::pathology {
namespace fs = std::filesystem;
using detail::JpegEncoder;
using detail::TiffWriter;

namespace {

constexpr int kSmallestLevelSide = 1024;  // the pyramid halves until the whole slide fits this
constexpr int kThumbnailSide = 1024;
constexpr std::int64_t kMaxPixels = 1'600'000'000;  // level 1 is held in memory: width × height × 3/4 bytes
const char* kLibrary = "Aperio Image Library (Consilium synthetic)";

struct Level {
    std::int64_t width, height;
    double downsample;
};

void validate(const SyntheticSlideSpec& spec, const fs::path& out)
{
    auto fail = [&](const std::string& reason) { throw Error(out.string(), "invalid synthetic slide: " + reason); };
    if (spec.width < 1 || spec.height < 1 || spec.width > 200000 || spec.height > 200000)
        fail("width and height must be 1 to 200000 pixels");
    if (spec.width * spec.height > kMaxPixels)
        fail("more than 1.6 gigapixels");
    if (!std::isfinite(spec.mpp) || spec.mpp < 0.05 || spec.mpp > 100)
        fail("mpp must be 0.05 to 100 µm per pixel");
    if (spec.objectivePower < 1 || spec.objectivePower > 200)
        fail("objective power must be 1 to 200");
    if (spec.tileSize < 16 || spec.tileSize > 4096 || spec.tileSize % 16 != 0)
        fail("tile size must be a multiple of 16 from 16 to 4096");
    if (spec.jpegQuality < 1 || spec.jpegQuality > 100)
        fail("JPEG quality must be 1 to 100");
}

std::vector<Level> pyramid(const SyntheticSlideSpec& spec)
{
    std::vector<Level> levels{{spec.width, spec.height, 1.0}};
    while (std::max(levels.back().width, levels.back().height) > kSmallestLevelSide) {
        const Level& l = levels.back();
        levels.push_back({(l.width + 1) / 2, (l.height + 1) / 2, l.downsample * 2});
    }
    return levels;
}

// Shortest text that reads back as the same double, independent of the C locale.
std::string number(double value)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// Aperio keys follow the first '|'; a '|' or line break inside a value would start a bogus key.
std::string descriptionValue(std::string text)
{
    for (char& c : text)
        if (c == '|' || c == '\n' || c == '\r')
            c = ' ';
    return text;
}

// OpenSlide's aperio driver needs the "Aperio" prefix (case-sensitive) and reads `Key = Value` pieces after '|':
// MPP gives openslide.mpp-x/y, AppMag (an integer) openslide.objective-power. The line break must be '\n':
// associated images are named by their description's second line, which "\r\n" would leave empty.
std::string levelDescription(const SyntheticSlideSpec& spec, const Level& level)
{
    std::string size = std::to_string(spec.width) + "x" + std::to_string(spec.height);
    std::string text = std::string(kLibrary) + "\n" + size;
    if (level.downsample == 1.0)
        text += " [0,0 " + size + "] (" + std::to_string(spec.tileSize) + "x" + std::to_string(spec.tileSize) +
                ") JPEG/YCC Q=" + std::to_string(spec.jpegQuality);
    else
        text += " -> " + std::to_string(level.width) + "x" + std::to_string(level.height) + " - ";
    text += "|AppMag = " + std::to_string(spec.objectivePower) + "|MPP = " + number(spec.mpp) +
            "|Title = " + descriptionValue(spec.labelText) + "|Seed = " + std::to_string(spec.seed) +
            "|Content = procedurally generated H&E, not patient tissue";
    return text;
}

void setCommonTags(TiffWriter& tiff, std::int64_t width, std::int64_t height, double mpp, bool reduced,
                   const std::string& description)
{
    TIFF* t = tiff.get();
    bool ok = TIFFSetField(t, TIFFTAG_SUBFILETYPE, reduced ? FILETYPE_REDUCEDIMAGE : 0) &&
              TIFFSetField(t, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(width)) &&
              TIFFSetField(t, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(height)) &&
              TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8) && TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 3) &&
              TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
              TIFFSetField(t, TIFFTAG_SOFTWARE, "Consilium synthetic slide writer") &&
              TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, description.c_str());
    // OpenSlide ignores these, other readers (QuPath, vips, ImageJ) use them: pixels per centimetre.
    const float perCm = static_cast<float>(10000.0 / mpp);
    ok = ok && TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER) &&
         TIFFSetField(t, TIFFTAG_XRESOLUTION, perCm) && TIFFSetField(t, TIFFTAG_YRESOLUTION, perCm);
    tiff.check(ok, "setting TIFF tags");
}

// Runs `work(index)` for index 0..count-1 on up to `threads` threads; the first exception stops the others
// and is rethrown here.
void parallelFor(int threads, std::int64_t count, const std::function<void(std::int64_t, int)>& work)
{
    std::atomic<std::int64_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto run = [&](int thread) {
        try {
            for (std::int64_t i; !failed && (i = next++) < count;)
                work(i, thread);
        } catch (...) {
            std::lock_guard lock(errorMutex);
            if (!error)
                error = std::current_exception();
            failed = true;
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(run, t);
    run(0);
    for (std::thread& t : pool)
        t.join();
    if (error)
        std::rethrow_exception(error);
}

// Writes one tiled, JPEG-compressed pyramid level. `source` fills a tile's valid w×h pixels; the tile is padded
// with glass to its full size (JPEG tiles are always whole). Tiles are drawn and encoded in parallel (drawing
// dominates level 0, encoding the others) and appended to the file under a lock: one writer at a time.
// When `half` is given, the level is also reduced 2× into it, building the next level without re-reading.
void writeTiledLevel(
    TiffWriter& tiff, const SyntheticSlideSpec& spec, const Level& level, const std::string& description,
    const std::array<std::uint8_t, 3>& glass, int threads,
    const std::function<void(std::int64_t, std::int64_t, int, int, std::uint8_t*, std::size_t)>& source, RgbImage* half)
{
    setCommonTags(tiff, level.width, level.height, spec.mpp * level.downsample, level.downsample != 1.0, description);
    TIFF* t = tiff.get();
    static const float kReferenceBlackWhite[6] = {0, 255, 128, 255, 128, 255};
    tiff.check(TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_JPEG) &&
                   TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR) &&
                   TIFFSetField(t, TIFFTAG_YCBCRSUBSAMPLING, 2, 2) &&
                   TIFFSetField(t, TIFFTAG_REFERENCEBLACKWHITE, kReferenceBlackWhite) &&
                   TIFFSetField(t, TIFFTAG_TILEWIDTH, static_cast<std::uint32_t>(spec.tileSize)) &&
                   TIFFSetField(t, TIFFTAG_TILELENGTH, static_cast<std::uint32_t>(spec.tileSize)),
               "setting TIFF tile tags");

    const int tile = spec.tileSize;
    const std::int64_t across = (level.width + tile - 1) / tile, down = (level.height + tile - 1) / tile;
    const std::size_t stride = static_cast<std::size_t>(tile) * 3;
    std::vector<std::unique_ptr<JpegEncoder>> encoders;
    std::vector<std::vector<std::uint8_t>> buffers;
    for (int i = 0; i < threads; ++i) {
        encoders.push_back(std::make_unique<JpegEncoder>(spec.jpegQuality));
        buffers.emplace_back(stride * tile);
    }
    std::mutex fileMutex;
    parallelFor(threads, across * down, [&](std::int64_t index, int thread) {
        const std::int64_t x0 = (index % across) * tile, y0 = (index / across) * tile;
        const int w = static_cast<int>(std::min<std::int64_t>(tile, level.width - x0));
        const int h = static_cast<int>(std::min<std::int64_t>(tile, level.height - y0));
        std::uint8_t* pixels = buffers[thread].data();
        if (w < tile || h < tile)
            for (std::size_t i = 0; i < stride * tile; i += 3)
                std::copy(glass.begin(), glass.end(), pixels + i);
        source(x0, y0, w, h, pixels, stride);
        const std::vector<std::uint8_t>& jpeg = encoders[thread]->encode(pixels, tile, tile, stride);
        {
            std::lock_guard lock(fileMutex);
            const auto written =
                TIFFWriteRawTile(t, static_cast<std::uint32_t>(index), const_cast<std::uint8_t*>(jpeg.data()),
                                 static_cast<tmsize_t>(jpeg.size()));
            tiff.check(written == static_cast<tmsize_t>(jpeg.size()), "writing a tile");
        }
        if (half)
            detail::halveInto(pixels, w, h, stride, *half, static_cast<int>(x0 / 2), static_cast<int>(y0 / 2));
    });
    tiff.check(TIFFWriteDirectory(t), "writing a level directory");
}

// An associated image: one stripped (untiled) directory. JPEG for photographs, LZW for the label's sharp print.
void writeStripped(TiffWriter& tiff, const RgbImage& image, double mpp, const std::string& description, bool jpeg,
                   int quality)
{
    setCommonTags(tiff, image.width, image.height, mpp, true, description);
    TIFF* t = tiff.get();
    const std::uint32_t rowsPerStrip = 32;  // a multiple of 16, as JPEG with 2×2 chroma subsampling requires
    bool ok = TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, rowsPerStrip);
    if (jpeg)
        ok = ok && TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_JPEG) &&
             TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR) &&
             TIFFSetField(t, TIFFTAG_YCBCRSUBSAMPLING, 2, 2) && TIFFSetField(t, TIFFTAG_JPEGQUALITY, quality) &&
             TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);  // libtiff converts from our RGB
    else
        ok = ok && TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW) &&
             TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB) &&
             TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
    tiff.check(ok, "setting associated image tags");
    const std::size_t rowBytes = static_cast<std::size_t>(image.width) * 3;
    for (std::uint32_t row = 0, strip = 0; row < static_cast<std::uint32_t>(image.height);
         row += rowsPerStrip, ++strip) {
        const std::uint32_t rows = std::min<std::uint32_t>(rowsPerStrip, image.height - row);
        const auto size = static_cast<tmsize_t>(rows * rowBytes);
        tiff.check(
            TIFFWriteEncodedStrip(t, strip, const_cast<std::uint8_t*>(image.rgb.data() + row * rowBytes), size) == size,
            "writing an associated image");
    }
    tiff.check(TIFFWriteDirectory(t), "writing an associated image directory");
}

std::string associatedDescription(const std::string& name, const RgbImage& image)
{
    // The second line's first word names the image for OpenSlide ("label", "macro").
    return std::string(kLibrary) + "\n" + name + " " + std::to_string(image.width) + "x" + std::to_string(image.height);
}

// Removes the half-written file unless the write got to the end.
class PartialFile {
public:
    explicit PartialFile(fs::path path) : path_(std::move(path)) {}
    ~PartialFile()
    {
        std::error_code ec;
        if (!done_)
            fs::remove(path_, ec);
    }
    PartialFile(const PartialFile&) = delete;
    PartialFile& operator=(const PartialFile&) = delete;
    const fs::path& path() const { return path_; }
    void done() { done_ = true; }

private:
    fs::path path_;
    bool done_ = false;
};

}  // namespace

void writeSyntheticSlide(const SyntheticSlideSpec& spec, const fs::path& out)
{
    validate(spec, out);
    const std::vector<Level> levels = pyramid(spec);
    const int threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));

    PartialFile partial(out.string() + ".partial");
    TiffWriter tiff(partial.path(), "w8", out.string());
    const detail::TissueRenderer renderer(spec.width, spec.height, spec.mpp, spec.seed);
    const auto glass = renderer.glass();

    // Level 0 is rendered tile by tile and reduced on the fly: only level 1 (a quarter of level 0) is ever held.
    RgbImage current{static_cast<int>((spec.width + 1) / 2), static_cast<int>((spec.height + 1) / 2), {}};
    current.rgb.resize(static_cast<std::size_t>(current.width) * current.height * 3);
    writeTiledLevel(
        tiff, spec, levels[0], levelDescription(spec, levels[0]), glass, threads,
        [&](std::int64_t x, std::int64_t y, int w, int h, std::uint8_t* rgb, std::size_t stride) {
            renderer.render(x, y, w, h, rgb, stride);
        },
        &current);

    // Directory 1 must be the thumbnail (OpenSlide's aperio rule), so it goes before the other levels.
    int tw, th;
    detail::fitInto(spec.width, spec.height, kThumbnailSide, tw, th);
    const RgbImage thumbnail = detail::shrink(current, tw, th);
    writeStripped(tiff, thumbnail, spec.mpp * double(spec.width) / tw, associatedDescription("thumbnail", thumbnail),
                  true, spec.jpegQuality);

    for (std::size_t i = 1; i < levels.size(); ++i) {
        RgbImage next;
        const bool more = i + 1 < levels.size();
        if (more)
            next = {
                static_cast<int>(levels[i + 1].width), static_cast<int>(levels[i + 1].height),
                std::vector<std::uint8_t>(static_cast<std::size_t>(levels[i + 1].width) * levels[i + 1].height * 3)};
        const RgbImage& src = current;
        writeTiledLevel(
            tiff, spec, levels[i], levelDescription(spec, levels[i]), glass, threads,
            [&](std::int64_t x, std::int64_t y, int w, int h, std::uint8_t* rgb, std::size_t stride) {
                for (int row = 0; row < h; ++row)
                    std::copy_n(src.rgb.data() + ((y + row) * src.width + x) * 3, std::size_t(w) * 3,
                                rgb + row * stride);
            },
            more ? &next : nullptr);
        if (more)
            current = std::move(next);
    }

    const RgbImage label = detail::renderLabel(spec.labelText);
    writeStripped(tiff, label, 50.0, associatedDescription("label", label), false, spec.jpegQuality);
    const RgbImage macro =
        detail::renderMacro(current, spec.width * spec.mpp / 1000, spec.height * spec.mpp / 1000, label, glass);
    writeStripped(tiff, macro, 50.0, associatedDescription("macro", macro), true, spec.jpegQuality);
    tiff.close();

    std::error_code ec;
    fs::rename(partial.path(), out, ec);
    if (ec)
        throw Error(out.string(), "cannot move the finished slide into place: " + ec.message());
    partial.done();
}

}  // namespace consilium::pathology
