#include "pathology/synthetic_glass.h"

#include "pathology/image_ops.h"
#include "pathology/procedural_noise.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace consilium::pathology::detail {
namespace {

// 5×7 glyphs (the classic HD44780 shapes), one row a byte, bit 4 the leftmost column.
struct Glyph {
    char c;
    std::uint8_t rows[7];
};
constexpr Glyph kFont[] = {
    {' ', {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}},  {'!', {0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04}},
    {'#', {0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A}},  {'&', {0x0C, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0D}},
    {'\'', {0x0C, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00}}, {'(', {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02}},
    {')', {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08}},  {'+', {0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00}},
    {',', {0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08}},  {'-', {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}},
    {'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C}},  {'/', {0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00}},
    {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}},  {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}},  {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
    {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}},  {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
    {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}},  {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}},  {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
    {':', {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00}},  {'=', {0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00}},
    {'?', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04}},  {'A', {0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11}},
    {'B', {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E}},  {'C', {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}},
    {'D', {0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C}},  {'E', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}},
    {'F', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10}},  {'G', {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}},
    {'H', {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},  {'I', {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'J', {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C}},  {'K', {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}},
    {'L', {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F}},  {'M', {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}},
    {'N', {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}},  {'O', {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
    {'P', {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10}},  {'Q', {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}},
    {'R', {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11}},  {'S', {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}},
    {'T', {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},  {'U', {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
    {'V', {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04}},  {'W', {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}},
    {'X', {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11}},  {'Y', {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04}},
    {'Z', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F}},  {'_', {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F}},
};

const Glyph& glyphFor(char c)
{
    if (c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 'a' + 'A');
    for (const Glyph& g : kFont)
        if (g.c == c)
            return g;
    for (const Glyph& g : kFont)
        if (g.c == '?')
            return g;
    return kFont[0];
}

// One glyph a character; a UTF-8 sequence counts as one (unknown) character, drawn as '?'.
std::string toGlyphText(const std::string& utf8)
{
    std::string out;
    for (unsigned char c : utf8) {
        if ((c & 0xC0) == 0x80)
            continue;
        out.push_back(c < 0x80 ? static_cast<char>(c) : '?');
    }
    return out;
}

void fillRect(RgbImage& img, int x0, int y0, int w, int h, const std::array<std::uint8_t, 3>& colour)
{
    for (int y = std::max(0, y0); y < std::min(img.height, y0 + h); ++y)
        for (int x = std::max(0, x0); x < std::min(img.width, x0 + w); ++x)
            std::copy(colour.begin(), colour.end(),
                      img.rgb.begin() + (static_cast<std::size_t>(y) * img.width + x) * 3);
}

// Draws text centred on `centreX` with its top at `top`, each font pixel a scale×scale square.
void drawText(RgbImage& img, const std::string& text, int centreX, int top, int scale,
              const std::array<std::uint8_t, 3>& ink)
{
    const int advance = 6 * scale;
    int x = centreX - (static_cast<int>(text.size()) * advance - scale) / 2;
    for (char c : text) {
        const Glyph& g = glyphFor(c);
        for (int row = 0; row < 7; ++row)
            for (int col = 0; col < 5; ++col)
                if (g.rows[row] & (0x10 >> col))
                    fillRect(img, x + col * scale, top + row * scale, scale, scale, ink);
        x += advance;
    }
}

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> lines(1);
    for (char c : text) {
        if (c == '\n')
            lines.emplace_back();
        else if (c != '\r')
            lines.back().push_back(c);
    }
    return lines;
}

}  // namespace

RgbImage renderLabel(const std::string& text)
{
    constexpr int kSide = 480, kMargin = 28;
    const std::array<std::uint8_t, 3> ink{28, 28, 34};
    RgbImage img{kSide, kSide, std::vector<std::uint8_t>(static_cast<std::size_t>(kSide) * kSide * 3)};
    // Slightly uneven paper, so it reads as a photograph of a label rather than a flat fill.
    for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x) {
            const float n = valueNoise(x / 40.0, y / 40.0, 0x1abe1u) * 6 + unit(hash2(x, y, 0x1abe2u)) * 3;
            std::uint8_t* p = img.rgb.data() + (static_cast<std::size_t>(y) * kSide + x) * 3;
            p[0] = static_cast<std::uint8_t>(244 + n * 0.8f);
            p[1] = static_cast<std::uint8_t>(243 + n * 0.8f);
            p[2] = static_cast<std::uint8_t>(236 + n);
        }

    // Barcode-like bars: guard bars, then modules from a hash of the text (it only has to look the part).
    std::uint32_t h = 0x811c9dc5u;
    for (unsigned char c : text)
        h = (h ^ c) * 0x01000193u;
    const int module = 3, barTop = kMargin, barHeight = 110;
    int x = kMargin + 10;
    auto bar = [&](bool dark) {
        if (dark)
            fillRect(img, x, barTop, module, barHeight, ink);
        x += module;
    };
    for (bool b : {true, false, true})
        bar(b);
    for (std::uint32_t i = 0; x < kSide - kMargin - 10 - 3 * module; ++i)
        bar(mix32(h + i) & 1);
    for (bool b : {true, false, true})
        bar(b);

    // The text lines, as large as fit (scale 5 at most, 2 at least; overlong lines are cut).
    std::vector<std::string> lines;
    for (const std::string& line : splitLines(text))
        lines.push_back(toGlyphText(line));
    std::size_t longest = 1;
    for (const std::string& line : lines)
        longest = std::max(longest, line.size());
    const int scale = std::clamp(static_cast<int>((kSide - 2 * kMargin) / (6 * longest)), 2, 5);
    const std::size_t maxChars = static_cast<std::size_t>((kSide - 2 * kMargin) / (6 * scale));
    int top = barTop + barHeight + 40;
    for (std::string line : lines) {
        if (line.size() > maxChars)
            line.resize(maxChars);
        if (top + 7 * scale > kSide - 80)
            break;
        drawText(img, line, kSide / 2, top, scale, ink);
        top += 10 * scale;
    }
    drawText(img, "SYNTHETIC - NOT FOR", kSide / 2, kSide - 70, 3, ink);
    drawText(img, "DIAGNOSIS", kSide / 2, kSide - 40, 3, ink);
    return img;
}

RgbImage renderMacro(const RgbImage& scan, double scanWidthMm, double scanHeightMm, const RgbImage& label,
                     std::array<std::uint8_t, 3> glass)
{
    constexpr int kWidth = 1500, kHeight = 500, kPxPerMm = 20;  // 75 × 25 mm at 50 µm/px
    RgbImage img{kWidth, kHeight, std::vector<std::uint8_t>(static_cast<std::size_t>(kWidth) * kHeight * 3)};
    // Glass photographed on the scanner's tray: grey, a little darker towards the edges.
    for (int y = 0; y < kHeight; ++y)
        for (int x = 0; x < kWidth; ++x) {
            const float dx = (x - kWidth / 2.0f) / kWidth, dy = (y - kHeight / 2.0f) / kHeight;
            const float shade = 1 - 0.12f * (dx * dx + dy * dy) * 2;
            std::uint8_t* p = img.rgb.data() + (static_cast<std::size_t>(y) * kWidth + x) * 3;
            p[0] = static_cast<std::uint8_t>(206 * shade);
            p[1] = static_cast<std::uint8_t>(209 * shade);
            p[2] = static_cast<std::uint8_t>(214 * shade);
        }
    // Label area on the left 25 mm.
    const RgbImage small = shrink(label, 440, 440);
    for (int y = 0; y < small.height; ++y)
        for (int x = 0; x < small.width; ++x)
            std::copy_n(small.rgb.begin() + (static_cast<std::size_t>(y) * small.width + x) * 3, 3,
                        img.rgb.begin() + (static_cast<std::size_t>(y + 30) * kWidth + x + 30) * 3);
    // Coverslip outline.
    const std::array<std::uint8_t, 3> edge{188, 191, 196};
    fillRect(img, 530, 18, 940, 1, edge);
    fillRect(img, 530, kHeight - 19, 940, 1, edge);
    fillRect(img, 530, 18, 1, kHeight - 36, edge);
    fillRect(img, 1469, 18, 1, kHeight - 36, edge);
    // The section, to scale: transmitted light, so it darkens the glass in proportion to what the scan shows.
    const int sw = std::clamp(static_cast<int>(std::lround(scanWidthMm * kPxPerMm)), 8, 900);
    const int sh = std::clamp(static_cast<int>(std::lround(scanHeightMm * kPxPerMm)), 8, 440);
    const RgbImage section = shrink(scan, sw, sh);
    const int ox = 1000 - section.width / 2, oy = kHeight / 2 - section.height / 2;
    for (int y = 0; y < section.height; ++y)
        for (int x = 0; x < section.width; ++x) {
            const std::uint8_t* s = section.rgb.data() + (static_cast<std::size_t>(y) * section.width + x) * 3;
            std::uint8_t* p = img.rgb.data() + (static_cast<std::size_t>(y + oy) * kWidth + x + ox) * 3;
            for (int c = 0; c < 3; ++c)
                p[c] = static_cast<std::uint8_t>(std::min(255, p[c] * s[c] / std::max<int>(1, glass[c])));
        }
    return img;
}

}  // namespace consilium::pathology::detail
