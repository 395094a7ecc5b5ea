#include "pathology/tissue_renderer.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace consilium::pathology::detail {
namespace {

constexpr float kPi = std::numbers::pi_v<float>;
constexpr int kFieldStep = 2;    // px between samples of the structure fields (0.5 µm at 40×); bilinear in between
constexpr int kRegionStep = 32;  // px between samples of the slowly varying region fields
constexpr int kOutlineStep = 8;  // px between samples of the section outline

// Optical density of one unit of each stain in R, G, B. Haematoxylin and eosin are the reference stain vectors
// used for H&E stain normalisation (Macenko et al.), so the colours sit where real scans sit; red cells are an
// orange-red, anthracotic pigment a neutral black, glass a faintly warm white.
constexpr float kOdGlass[3] = {0.050f, 0.054f, 0.046f};
constexpr float kOdHaem[3] = {0.5626f, 0.7201f, 0.4062f};
constexpr float kOdEosin[3] = {0.2159f, 0.8012f, 0.5581f};
constexpr float kOdRed[3] = {0.17f, 1.40f, 1.15f};
constexpr float kOdPigment[3] = {1.30f, 1.36f, 1.42f};
constexpr int kOdStepsPerUnit = 512;
constexpr int kOdTableSize = 8 * kOdStepsPerUnit;

// Separate hash streams, so adding one kind of structure never reshuffles another.
enum Salt : std::uint32_t {
    kSaltLayout = 0x1001,
    kSaltEdge = 0x2002,
    kSaltEdgeFine = 0x2003,
    kSaltRegion = 0x3003,
    kSaltAggregate = 0x3004,
    kSaltStain = 0x3005,
    kSaltDensity = 0x3006,
    kSaltOrientation = 0x3007,
    kSaltLoose = 0x3008,
    kSaltGland = 0x4004,
    kSaltGlandNucleus = 0x4007,
    kSaltGlandDensity = 0x4008,
    kSaltGlandSize = 0x4009,
    kSaltVessel = 0x5005,
    kSaltCapillary = 0x5006,
    kSaltVesselCell = 0x5007,
    kSaltAlveolus = 0x6006,
    kSaltAlveolusWarpX = 0x6007,
    kSaltAlveolusWarpY = 0x6008,
    kSaltSeptumWidth = 0x6009,
    kSaltFibroblast = 0x7001,
    kSaltLymphocyte = 0x7002,
    kSaltSeptalCell = 0x7003,
    kSaltSeptalRed = 0x7004,
    kSaltMacrophage = 0x7005,
    kSaltPigment = 0x7006,
    kSaltGrain = 0x7007,
    kSaltTumourCluster = 0x7008,
};

// Sizes of the structures, in µm (converted with the spec's mpp, so a 0.5 µm/px slide shows the same anatomy).
constexpr double kGlandCell = 60;      // at most one acinus centre per cell of this lattice
constexpr double kGlandMaxOuter = 85;  // radius cap of an acinus including its epithelium
constexpr double kVesselCell = 260;
constexpr double kCapillaryCell = 70;
constexpr double kAlveolusCell = 105;    // alveoli are ~100–300 µm across
constexpr double kAlveolusRounding = 7;  // µm: corners of normal alveoli are rounded off over about this
constexpr double kFieldCap = 12;         // signed distances are clamped to ±this: only edges matter
constexpr double kObjectMargin = 16;     // the largest cell (a macrophage) reaches this far from its centre
constexpr double kClusterReach = 40;     // a cluster of infiltrating tumour cells reaches this far from its first
constexpr double kWrapRange = 28;        // collagen bends around acini and vessels up to this far from them
constexpr float kEdgeSoftness = 1.6f;    // px over which an outline fades: the slight blur of a real scan

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// sin(nθ + φ) = Im(zⁿ)·cos φ + Re(zⁿ)·sin φ with z = e^{iθ}: outline harmonics without sin/atan2 per pixel.
struct Harmonics {
    float re2, im2, re3, im3, re4, im4, re5, im5;
    Harmonics(float c, float s)
    {
        re2 = c * c - s * s;
        im2 = 2 * c * s;
        re3 = re2 * c - im2 * s;
        im3 = re2 * s + im2 * c;
        re4 = re2 * re2 - im2 * im2;
        im4 = 2 * re2 * im2;
        re5 = re4 * c - im4 * s;
        im5 = re4 * s + im4 * c;
    }
};

}  // namespace

struct TissueRenderer::Core {
    double across = 0;          // centre line, px across the cores' direction
    double start = 0, end = 0;  // extent along, px
    double halfWidth = 0;
    double wave1Amp = 0, wave1Freq = 0, wave1Phase = 0, wave2Amp = 0, wave2Freq = 0, wave2Phase = 0;
    double widthAmp = 0, widthFreq = 0, widthPhase = 0;
    struct Break {
        double at, halfGap, slant;
    };
    std::vector<Break> breaks;
    bool fragment = false;  // a small detached piece: a disc of radius halfWidth centred at (start, across)
};

struct TissueRenderer::Region {
    float tumour = 0;      // acinar adenocarcinoma
    float alveolar = 0;    // normal lung parenchyma (between the two: fibrotic stroma)
    float aggregate = 0;   // lymphoid aggregate
    float stain = 1;       // section thickness / staining strength
    float eosin = 0.7f;    // stromal collagen density
    float loose = 0;       // loose, oedematous (myxoid) stroma: paler, faintly blue
    float c2 = 1, s2 = 0;  // collagen orientation θ as (cos 2θ, sin 2θ): averaging these is well defined
};

// Signed distances in px, negative inside. They are kept apart (not merged into "air", "epithelium") so that
// interpolating them between samples keeps corners sharp; air(), epi(), wall() merge them per pixel.
struct TissueRenderer::Shape {
    float tissue = 0;       // the section outline
    float alveolarAir = 0;  // inside an alveolus
    float adventitia = 0;   // the collar of stroma around a vessel (pushes alveoli away)
    float glandLumen = 0, glandOuter = 0, vesselLumen = 0, vesselOuter = 0;
    float secretion = 0;  // eosin of what fills an air space (mucin, oedema, plasma)
    float c2 = 1, s2 = 0;
    float septumX = 1, septumY = 0;  // direction of the nearest alveolar wall

    float air() const { return std::min({std::max({alveolarAir, -adventitia, -glandOuter}), glandLumen, vesselLumen}); }
    float epi() const { return std::max(glandOuter, -glandLumen); }
    float wall() const { return std::max(vesselOuter, -vesselLumen); }
};

struct TissueRenderer::Gland {
    float cx = 0, cy = 0, cosR = 1, sinR = 0;
    float a = 0, b = 0;                                          // lumen semi-axes, px (0 for a solid nest)
    float thickness = 0;                                         // epithelium, px
    float m3c = 0, m3s = 0, m5c = 0, m5s = 0, t4c = 0, t4s = 0;  // outline harmonics × cos/sin of their phase
    float reach = 0;                                             // no effect beyond this distance from the centre
    float secretion = 0;
    float nucleusDarkness = 1, nucleusSize = 1, vesicular = 0.5f;
    int rows = 1;
    bool solid = false;
    std::uint32_t id = 0;

    // Lumen radius and outer radius in direction (c, s) of the gland's own frame.
    void radii(float c, float s, float& lumen, float& outer) const
    {
        const Harmonics z(c, s);
        float r = 0;
        if (!solid) {
            const float bc = b * c, as = a * s;
            r = a * b / std::sqrt(bc * bc + as * as);
            r *= 1 + m3c * z.im3 + m3s * z.re3 + m5c * z.im5 + m5s * z.re5;
        }
        lumen = r;
        outer = r + thickness * (1 + t4c * z.im4 + t4s * z.re4);
    }
    void distances(float x, float y, float& lumenSdf, float& outerSdf) const
    {
        const float dx = x - cx, dy = y - cy;
        const float u = dx * cosR + dy * sinR, v = -dx * sinR + dy * cosR;
        const float r = std::sqrt(u * u + v * v);
        float lumen, outer;
        if (r > 1e-3f)
            radii(u / r, v / r, lumen, outer);
        else
            radii(1, 0, lumen, outer);
        lumenSdf = solid ? 1e9f : r - lumen;
        outerSdf = r - outer;
    }
};

struct TissueRenderer::Vessel {
    float cx = 0, cy = 0, cosR = 1, sinR = 0, a = 0, b = 0, wall = 0, reach = 0;
    float redCellFill = 0.85f;  // share of lumen places holding a red cell
    bool artery = false, capillary = false;
    std::uint32_t id = 0;
    float lumenRadius(float c, float s) const
    {
        const float bc = b * c, as = a * s;
        return a * b / std::sqrt(bc * bc + as * as);
    }
};

struct TissueRenderer::Context {
    std::vector<Gland> glands;
    std::vector<Vessel> vessels;
};

struct TissueRenderer::Blob {
    float cx = 0, cy = 0, a = 1, b = 1, cosR = 1, sinR = 0;
    float haem = 0, eosin = 0, red = 0, pigment = 0;
    float vesicular = 0;  // pale centre and chromatin along the membrane of an active nucleus
    float texU = 0, texV = 0;
    float m2c = 0, m2s = 0, m3c = 0, m3s = 0;  // outline irregularity
    float nucleolusR = 0, nucleolusX = 0, nucleolusY = 0;
};

struct TissueRenderer::Splats {
    std::vector<Blob> bodies, nuclei, redCells, pigment;  // drawn in this order
    void clear()
    {
        bodies.clear();
        nuclei.clear();
        redCells.clear();
        pigment.clear();
    }
};

namespace {

TissueRenderer::Region lerpRegion(const TissueRenderer::Region& a, const TissueRenderer::Region& b, float t)
{
    TissueRenderer::Region r;
    r.tumour = lerp(a.tumour, b.tumour, t);
    r.alveolar = lerp(a.alveolar, b.alveolar, t);
    r.aggregate = lerp(a.aggregate, b.aggregate, t);
    r.stain = lerp(a.stain, b.stain, t);
    r.eosin = lerp(a.eosin, b.eosin, t);
    r.loose = lerp(a.loose, b.loose, t);
    r.c2 = lerp(a.c2, b.c2, t);
    r.s2 = lerp(a.s2, b.s2, t);
    return r;
}

// Random outline wobble and chromatin texture offset for a cell drawn as a blob.
void randomise(CellRandom& rnd, TissueRenderer::Blob& b, float irregularity)
{
    const float m2 = rnd.range(0, 0.12f) * irregularity, p2 = rnd.range(0, 2 * kPi);
    const float m3 = rnd.range(0, 0.08f) * irregularity, p3 = rnd.range(0, 2 * kPi);
    b.m2c = m2 * std::cos(p2);
    b.m2s = m2 * std::sin(p2);
    b.m3c = m3 * std::cos(p3);
    b.m3s = m3 * std::sin(p3);
    b.texU = rnd.range(0, 1024);
    b.texV = rnd.range(0, 1024);
}

void orient(TissueRenderer::Blob& b, float angle)
{
    b.cosR = std::cos(angle);
    b.sinR = std::sin(angle);
}

// Per-thread working memory, kept between tiles so the hot loop does not allocate.
struct Scratch {
    std::vector<TissueRenderer::Region> regions;
    std::vector<float> outline, tissue, alveolarAir, adventitia, glandLumen, glandOuter, vesselLumen, vesselOuter;
    std::vector<float> secretion, c2, s2, eosin, stain, loose, waviness;
    std::vector<std::uint8_t> plain;
    std::vector<float> mask, haem, eosinPx, red, pigment;
    TissueRenderer::Splats splats;
};

}  // namespace

TissueRenderer::TissueRenderer(std::int64_t width, std::int64_t height, double mpp, std::uint32_t seed)
    : width_(width),
      height_(height),
      mpp_(mpp),
      pxPerUm_(1.0 / mpp),
      seed_(seed),
      vertical_(height > width),
      texture_(seed)
{
    // Three needle cores (about 0.6 mm wide) side by side along the slide's long side, one or two broken during
    // cutting, plus two small detached fragments: the usual look of a lung core biopsy slide.
    CellRandom rnd(mix32(seed ^ kSaltLayout));
    const double along = vertical_ ? double(height) : double(width);
    const double across = vertical_ ? double(width) : double(height);
    for (int i = 0; i < 3; ++i) {
        Core c;
        c.across = across * (0.2 + 0.3 * i + rnd.range(-0.01f, 0.01f));
        c.halfWidth = across * rnd.range(0.064f, 0.078f);
        c.start = along * rnd.range(0.04f, 0.12f);
        c.end = along * rnd.range(0.86f, 0.96f);
        c.wave1Amp = across * rnd.range(0.004f, 0.012f);
        c.wave1Freq = 2 * kPi / (along * rnd.range(0.5f, 1.1f));
        c.wave1Phase = rnd.range(0, 2 * kPi);
        c.wave2Amp = across * rnd.range(0.001f, 0.003f);
        c.wave2Freq = 2 * kPi / (along * rnd.range(0.1f, 0.2f));
        c.wave2Phase = rnd.range(0, 2 * kPi);
        c.widthAmp = rnd.range(0.05f, 0.14f);
        c.widthFreq = 2 * kPi / (along * rnd.range(0.15f, 0.35f));
        c.widthPhase = rnd.range(0, 2 * kPi);
        // Breaks stay out of the middle fifth, so the centre of the slide is always tissue.
        const int breaks = rnd.chance(0.6f) ? 1 : rnd.chance(0.5f) ? 2 : 0;
        for (int k = 0; k < breaks; ++k) {
            const double at = rnd.chance(0.5f) ? rnd.range(0.22f, 0.38f) : rnd.range(0.62f, 0.78f);
            c.breaks.push_back({along * at, along * rnd.range(0.003f, 0.008f), rnd.range(-0.5f, 0.5f)});
        }
        cores_.push_back(c);
    }
    for (int i = 0; i < 2; ++i) {
        Core f;
        f.fragment = true;
        f.start = along * rnd.range(0.15f, 0.85f);
        f.across = across * (i == 0 ? 0.35 : 0.65) + across * rnd.range(-0.015f, 0.015f);
        f.halfWidth = across * rnd.range(0.018f, 0.03f);
        cores_.push_back(f);
    }

    odToByte_.resize(kOdTableSize + 1);
    for (int i = 0; i <= kOdTableSize; ++i)
        odToByte_[i] = static_cast<std::uint8_t>(std::lround(255.0 * std::exp(-double(i) / kOdStepsPerUnit)));
    for (int k = 0; k < 3; ++k)
        glass_[k] = odToByte_[std::lround(kOdGlass[k] * kOdStepsPerUnit)];
}

TissueRenderer::~TissueRenderer() = default;

// ---- Layout ------------------------------------------------------------------------------------------------

// Distance in px from the nearest core or fragment, negative inside; exact enough near the outline, a safe
// (Lipschitz ≤ ~1.6) estimate farther out.
float TissueRenderer::coreDistance(double x, double y) const
{
    const double a = vertical_ ? y : x, c = vertical_ ? x : y;
    double best = 1e30;
    for (const Core& core : cores_) {
        // Cheap lower bound first: most points are far from all but one core, and the sines are the cost here.
        const double extent =
            core.fragment ? core.halfWidth : core.wave1Amp + core.wave2Amp + core.halfWidth * (1 + core.widthAmp);
        if (std::abs(c - core.across) - extent > best)
            continue;
        double d;
        if (core.fragment) {
            d = std::sqrt((a - core.start) * (a - core.start) + (c - core.across) * (c - core.across)) - core.halfWidth;
        } else {
            const double centre = core.across + core.wave1Amp * std::sin(core.wave1Freq * a + core.wave1Phase) +
                                  core.wave2Amp * std::sin(core.wave2Freq * a + core.wave2Phase);
            const double half = core.halfWidth * (1 + core.widthAmp * std::sin(core.widthFreq * a + core.widthPhase));
            // A rounded rectangle (rounded ends, as a needle core has).
            const double round = 0.8 * half;
            const double dy = std::abs(c - centre) - half + round;
            const double dx = std::max(core.start - a, a - core.end) + round;
            const double ox = std::max(dx, 0.0), oy = std::max(dy, 0.0);
            d = std::sqrt(ox * ox + oy * oy) + std::min(std::max(dx, dy), 0.0) - round;
            for (const Core::Break& br : core.breaks)
                d = std::max(d, br.halfGap - std::abs(a - br.at - br.slant * (c - centre)));
        }
        best = std::min(best, d);
    }
    return static_cast<float>(best);
}

// The section outline: the cores made ragged by noise scaled to the core width, plus fine fraying.
float TissueRenderer::tissueSdf(double x, double y) const
{
    const double scale = cores_.front().halfWidth;
    const double coarse = (fbm(x / (0.4 * scale), y / (0.4 * scale), 3, seed_ ^ kSaltEdge) - 0.5) * 2;
    const double xu = x * mpp_, yu = y * mpp_;
    const double fine = (valueNoise(xu / 12, yu / 12, seed_ ^ kSaltEdgeFine) - 0.5) * 2;
    return coreDistance(x, y) + static_cast<float>(0.13 * scale * coarse) + um(4 * fine);
}

bool TissueRenderer::tileIsGlass(std::int64_t x0, std::int64_t y0, int w, int h) const
{
    const double halfDiagonal = 0.5 * std::hypot(double(w), double(h));
    const double d = coreDistance(x0 + 0.5 * w, y0 + 0.5 * h);
    const double maxNoise = 0.13 * cores_.front().halfWidth + um(4);
    return d - 1.6 * halfDiagonal - maxNoise > 4;
}

TissueRenderer::Region TissueRenderer::regionLattice(std::int64_t gx, std::int64_t gy) const
{
    const double x = double(gx * kRegionStep), y = double(gy * kRegionStep);
    const double xu = x * mpp_, yu = y * mpp_;
    // Tumour towards the middle of the cores' length, normal lung more often at their ends.
    const double along = vertical_ ? y / double(height_) : x / double(width_);
    const float bias = 0.16f * static_cast<float>(1 - 2 * std::abs(along - 0.5)) - 0.07f;
    const float n = fbm(xu / 900, yu / 900, 3, seed_ ^ kSaltRegion) + bias;
    Region r;
    r.tumour = smoothstep(0.49f, 0.56f, n);
    r.alveolar = 1 - smoothstep(0.38f, 0.45f, n);
    r.aggregate = smoothstep(0.68f, 0.8f, fbm(xu / 120, yu / 120, 2, seed_ ^ kSaltAggregate)) * (1 - r.alveolar);
    r.stain = 0.85f + 0.3f * fbm(xu / 450, yu / 450, 2, seed_ ^ kSaltStain);
    r.eosin = 0.45f + 0.6f * fbm(xu / 140, yu / 140, 2, seed_ ^ kSaltDensity);
    r.loose = smoothstep(0.55f, 0.75f, fbm(xu / 200, yu / 200, 2, seed_ ^ kSaltLoose)) * (1 - r.alveolar);
    const float theta = fbm(xu / 220, yu / 220, 2, seed_ ^ kSaltOrientation) * 4 * kPi;
    r.c2 = std::cos(2 * theta);
    r.s2 = std::sin(2 * theta);
    return r;
}

TissueRenderer::Region TissueRenderer::regionAt(double x, double y) const
{
    const double fx = x / kRegionStep, fy = y / kRegionStep;
    const auto gx = static_cast<std::int64_t>(std::floor(fx)), gy = static_cast<std::int64_t>(std::floor(fy));
    const float tx = static_cast<float>(fx - gx), ty = static_cast<float>(fy - gy);
    return lerpRegion(lerpRegion(regionLattice(gx, gy), regionLattice(gx + 1, gy), tx),
                      lerpRegion(regionLattice(gx, gy + 1), regionLattice(gx + 1, gy + 1), tx), ty);
}

// ---- Structures ------------------------------------------------------------------------------------------

// Acinus centres: a fine lattice, sparsely and unevenly occupied (a density field lets acini crowd in places
// and leaves stroma in others), each centre anywhere in its cell: no rows, no regular spacing. Whether a centre
// exists depends only on hashes, so neighbours can be asked cheaply (for spacing).
bool TissueRenderer::glandCentre(std::int64_t gx, std::int64_t gy, double& cx, double& cy) const
{
    const std::uint32_t h = hash2(gx, gy, seed_ ^ kSaltGland);
    const float density = 0.16f + 0.44f * valueNoise(gx / 6.0, gy / 6.0, seed_ ^ kSaltGlandDensity);
    if (unit(h) > density)
        return false;
    CellRandom rnd(h);
    rnd.uniform();
    const double cell = kGlandCell * pxPerUm_;
    cx = (gx + rnd.uniform()) * cell;
    cy = (gy + rnd.uniform()) * cell;
    return true;
}

bool TissueRenderer::glandInCell(std::int64_t gx, std::int64_t gy, Gland& g) const
{
    double cx, cy;
    if (!glandCentre(gx, gy, cx, cy))
        return false;
    if (regionAt(cx, cy).tumour < 0.5f)
        return false;
    // Acini keep to half the distance to their nearest neighbour, less a thin stroma: crowded ones stay small and
    // back to back, lone ones grow. (Two large ones three cells apart may still touch: they fuse, as acini do.)
    double nearest = 1e30;
    for (int j = -2; j <= 2; ++j)
        for (int i = -2; i <= 2; ++i) {
            double nx, ny;
            if ((i || j) && glandCentre(gx + i, gy + j, nx, ny))
                nearest = std::min(nearest, std::hypot(nx - cx, ny - cy));
        }
    const float limit = std::min(static_cast<float>(0.5 * nearest) - um(1.5), um(kGlandMaxOuter));
    if (limit < um(12))
        return false;

    g.id = hash2(gx, gy, seed_ ^ kSaltGland ^ 0x5bd1e995u);
    CellRandom rnd(g.id);
    g.cx = static_cast<float>(cx);
    g.cy = static_cast<float>(cy);
    const float angle = rnd.range(0, kPi);
    g.cosR = std::cos(angle);
    g.sinR = std::sin(angle);
    g.solid = rnd.chance(0.18f);
    const float m3 = rnd.range(0, 0.24f), p3 = rnd.range(0, 2 * kPi);
    const float m5 = rnd.range(0, 0.12f), p5 = rnd.range(0, 2 * kPi);
    const float t4 = rnd.range(0, 0.2f), p4 = rnd.range(0, 2 * kPi);
    g.m3c = m3 * std::cos(p3);
    g.m3s = m3 * std::sin(p3);
    g.m5c = m5 * std::cos(p5);
    g.m5s = m5 * std::sin(p5);
    g.t4c = t4 * std::cos(p4);
    g.t4s = t4 * std::sin(p4);
    const float bulge = 1 + m3 + m5;
    // Neighbourhoods of small tight acini and of larger, dilated ones.
    const float sizeField = 0.7f + 0.8f * valueNoise(gx / 5.0, gy / 5.0, seed_ ^ kSaltGlandSize);
    const float r1 = rnd.uniform();
    g.rows = r1 < 0.6f ? 1 : r1 < 0.95f ? 2 : 3;
    if (g.solid) {
        g.thickness = std::min(limit / (1 + t4), um(rnd.range(14, 34)));
        g.rows = std::max(1, static_cast<int>(g.thickness / um(9)));
    } else {
        g.thickness = um(rnd.range(14, 20) + 5 * (g.rows - 1));
        const float aspect = rnd.chance(0.25f) ? rnd.range(2.0f, 3.5f) : rnd.range(1.0f, 2.0f);
        float radius = um(rnd.range(10, 36) * sizeField * (rnd.chance(0.12f) ? 1.7f : 1.0f));
        // Shrink the lumen first, then the epithelium, until the acinus fits its room.
        const float room = limit - g.thickness * (1 + t4);
        radius = std::min(radius, room / (bulge * std::sqrt(aspect)));
        if (radius < um(2)) {
            radius = um(2);
            g.thickness = std::max(um(7), (limit - radius * bulge * std::sqrt(aspect)) / (1 + t4));
            g.rows = 1;
        }
        g.a = radius * std::sqrt(aspect);
        g.b = radius / std::sqrt(aspect);
    }
    g.secretion = rnd.chance(0.4f) ? rnd.range(0.05f, 0.22f) : rnd.range(0.0f, 0.03f);
    g.nucleusDarkness = rnd.range(0.95f, 1.45f);
    g.nucleusSize = rnd.range(0.9f, 1.25f);
    g.vesicular = rnd.range(0.2f, 0.8f);
    g.reach = g.a * bulge + g.thickness * (1 + t4) + um(kFieldCap);
    return true;
}

bool TissueRenderer::vesselInCell(bool capillary, std::int64_t gx, std::int64_t gy, Vessel& v) const
{
    const std::uint32_t h = hash2(gx, gy, seed_ ^ (capillary ? kSaltCapillary : kSaltVessel));
    if (unit(h) > (capillary ? 0.45f : 0.55f))
        return false;
    CellRandom rnd(h);
    rnd.uniform();
    const double cell = (capillary ? kCapillaryCell : kVesselCell) * pxPerUm_;
    const double cx = (gx + 0.5 + rnd.range(-0.3f, 0.3f)) * cell, cy = (gy + 0.5 + rnd.range(-0.3f, 0.3f)) * cell;
    // Vessels sit in stroma and lung; inside the tumour they would collide with acini.
    const Region region = regionAt(cx, cy);
    // Nor in the middle of normal lung, where they would hang in an air space.
    if (region.tumour > 0.3f || region.alveolar > (capillary ? 0.5f : 0.35f))
        return false;
    v.id = h;
    v.capillary = capillary;
    v.cx = static_cast<float>(cx);
    v.cy = static_cast<float>(cy);
    const float angle = rnd.range(0, kPi);
    v.cosR = std::cos(angle);
    v.sinR = std::sin(angle);
    const float radius = capillary ? um(rnd.range(2.5f, 5)) : um(rnd.range(6, 24));
    const float aspect = rnd.range(1.0f, capillary ? 2.5f : 2.0f);
    v.a = radius * std::sqrt(aspect);
    v.b = radius / std::sqrt(aspect);
    v.artery = !capillary && rnd.chance(0.3f);
    v.wall = capillary ? um(0.8) : v.artery ? um(rnd.range(6, 11)) : um(rnd.range(1.5f, 3));
    v.redCellFill = rnd.chance(0.8f) ? rnd.range(0.5f, 0.95f) : 0;
    v.reach = v.a + v.wall + um((capillary ? 3 : 10) + kFieldCap);
    return true;
}

// Alveoli are the cells of a warped Voronoi diagram, their corners rounded by a smooth minimum over the walls.
// Some lattice cells hold no centre, so neighbours spread into them: alveoli of mixed sizes and merged spaces
// (ducts, sacs) rather than a regular honeycomb. Returns the distance to the nearest wall's midline in px
// (larger = deeper inside the air space) and the wall's direction.
void TissueRenderer::alveolus(double x, double y, double rounding, float& wallPx, float& dirX, float& dirY,
                              std::uint32_t& cellId) const
{
    const double xu = x * mpp_, yu = y * mpp_;
    const double wx = xu + 60 * (valueNoise(xu / 90, yu / 90, seed_ ^ kSaltAlveolusWarpX) - 0.5);
    const double wy = yu + 60 * (valueNoise(xu / 90, yu / 90, seed_ ^ kSaltAlveolusWarpY) - 0.5);
    struct Centre {
        double x, y;
        std::uint32_t id;
        std::int64_t gx, gy;
    };
    constexpr int kReach = 2, kMax = (2 * kReach + 1) * (2 * kReach + 1);
    auto gather = [&](std::int64_t cx, std::int64_t cy, Centre* out) {
        int n = 0;
        for (int j = -kReach; j <= kReach; ++j)
            for (int i = -kReach; i <= kReach; ++i) {
                const std::uint32_t h = hash2(cx + i, cy + j, seed_ ^ kSaltAlveolus);
                if (unit(mix32(h ^ 0x9e3779b9u)) < 0.15f)
                    continue;  // an empty cell
                out[n++] = {(cx + i + 0.1 + 0.8 * unit(h)) * kAlveolusCell,
                            (cy + j + 0.1 + 0.8 * unit(mix32(h))) * kAlveolusCell, h, cx + i, cy + j};
            }
        return n;
    };
    auto distance2 = [&](const Centre& c) { return (c.x - wx) * (c.x - wx) + (c.y - wy) * (c.y - wy); };
    Centre centres[kMax];
    const auto gx = static_cast<std::int64_t>(std::floor(wx / kAlveolusCell));
    const auto gy = static_cast<std::int64_t>(std::floor(wy / kAlveolusCell));
    int count = gather(gx, gy, centres);
    int nearest = 0;
    for (int n = 1; n < count; ++n)
        if (distance2(centres[n]) < distance2(centres[nearest]))
            nearest = n;
    wallPx = 0;
    dirX = 1;
    dirY = 0;
    cellId = 0;
    if (count < 2)
        return;
    // The walls are taken from the neighbourhood of the nearest centre, not of the query point: the same set for
    // every point of one alveolus, so its outline has no seams where the query crosses a lattice line.
    if (centres[nearest].gx != gx || centres[nearest].gy != gy) {
        count = gather(centres[nearest].gx, centres[nearest].gy, centres);
        nearest = 0;
        for (int n = 1; n < count; ++n)
            if (distance2(centres[n]) < distance2(centres[nearest]))
                nearest = n;
    }
    const Centre& c = centres[nearest];
    const double d0 = distance2(c);
    // Distance to each wall (perpendicular bisector with a neighbour), combined by a soft minimum.
    double sum = 0, best = 1e30;
    int bestWall = nearest == 0 ? 1 : 0;
    for (int n = 0; n < count; ++n) {
        if (n == nearest)
            continue;
        const double sx = centres[n].x - c.x, sy = centres[n].y - c.y;
        const double e = (distance2(centres[n]) - d0) / (2 * std::max(1e-6, std::sqrt(sx * sx + sy * sy)));
        if (e < best)
            best = e, bestWall = n;
        if (e < 8 * rounding)
            sum += std::exp(-e / rounding);
    }
    wallPx = um(std::max(0.0, -rounding * std::log(std::max(sum, 1e-300))));
    const double sx = centres[bestWall].x - c.x, sy = centres[bestWall].y - c.y;
    const double sep = std::max(1e-6, std::sqrt(sx * sx + sy * sy));
    dirX = static_cast<float>(-sy / sep);
    dirY = static_cast<float>(sx / sep);
    cellId = c.id;
}

TissueRenderer::Context TissueRenderer::buildContext(double left, double top, double right, double bottom) const
{
    Context ctx;
    const double reach = (kGlandMaxOuter + kFieldCap) * pxPerUm_;
    const double cell = kGlandCell * pxPerUm_;
    // Centres may sit up to about one cell away from their own cell (jitter plus warp): look two cells out.
    for (std::int64_t gy = floorDiv(std::int64_t(top - reach), std::int64_t(cell)) - 2;
         gy <= floorDiv(std::int64_t(bottom + reach), std::int64_t(cell)) + 2; ++gy)
        for (std::int64_t gx = floorDiv(std::int64_t(left - reach), std::int64_t(cell)) - 2;
             gx <= floorDiv(std::int64_t(right + reach), std::int64_t(cell)) + 2; ++gx) {
            Gland g;
            if (glandInCell(gx, gy, g) && g.cx + g.reach >= left && g.cx - g.reach <= right && g.cy + g.reach >= top &&
                g.cy - g.reach <= bottom)
                ctx.glands.push_back(g);
        }
    for (bool capillary : {false, true}) {
        const double vcell = (capillary ? kCapillaryCell : kVesselCell) * pxPerUm_;
        for (std::int64_t gy = floorDiv(std::int64_t(top), std::int64_t(vcell)) - 1;
             gy <= floorDiv(std::int64_t(bottom), std::int64_t(vcell)) + 1; ++gy)
            for (std::int64_t gx = floorDiv(std::int64_t(left), std::int64_t(vcell)) - 1;
                 gx <= floorDiv(std::int64_t(right), std::int64_t(vcell)) + 1; ++gx) {
                Vessel v;
                if (vesselInCell(capillary, gx, gy, v) && v.cx + v.reach >= left && v.cx - v.reach <= right &&
                    v.cy + v.reach >= top && v.cy - v.reach <= bottom)
                    ctx.vessels.push_back(v);
            }
    }
    return ctx;
}

TissueRenderer::Shape TissueRenderer::shapeAt(double x, double y, const Region& region, const Context& ctx,
                                              float tissue) const
{
    const float cap = um(kFieldCap);
    Shape s;
    s.tissue = std::clamp(tissue, -cap, cap);
    s.c2 = region.c2;
    s.s2 = region.s2;
    if (s.tissue >= cap) {  // bare glass: nothing else can show
        s.alveolarAir = s.adventitia = s.glandLumen = s.glandOuter = s.vesselLumen = s.vesselOuter = cap;
        return s;
    }

    s.alveolarAir = cap;
    if (region.alveolar > 0.02f) {
        const float fibrosis = 1 - region.alveolar;
        const float fibrosis2 = fibrosis * fibrosis;
        const float thickening = 100 * fibrosis + 250 * fibrosis2 * fibrosis2;  // µm
        float wall;
        std::uint32_t id;
        // Compressed alveoli in fibrosis are rounded slits, not shrunken polygons: round more as walls thicken.
        alveolus(x, y, kAlveolusRounding + 0.4 * thickening, wall, s.septumX, s.septumY, id);
        // Thin walls in normal lung, thickening (fibrosis) towards the tumour until no air is left. The outline
        // must follow the wall distance, never the region field alone: that field is interpolated on a lattice,
        // and an outline traced in it shows the lattice as straight edges. So the thickening is gentle where air
        // remains, and steep only near the cut-off, where it exceeds any wall distance (no air, no edge to see).
        const float half = 2.2f + 3.0f * valueNoise(x * mpp_ / 35, y * mpp_ / 35, seed_ ^ kSaltSeptumWidth);
        s.alveolarAir = std::clamp(um(half + thickening) - wall, -cap, cap);
        if (s.alveolarAir < 0 && (mix32(id) & 15) == 0)
            s.secretion = 0.12f;  // the odd alveolus with oedema fluid
    }

    const float fx = static_cast<float>(x), fy = static_cast<float>(y);
    s.glandLumen = s.glandOuter = s.vesselLumen = s.vesselOuter = s.adventitia = cap;
    // Collagen runs concentrically around acini and vessels: a weighted sum of the tangential directions (a sum,
    // not the nearest, so there is no seam half-way between two acini).
    float wrap = 0, wrapC2 = 0, wrapS2 = 0;
    auto wrapAround = [&](float dx, float dy, float outside, float range) {
        const float w = smoothstep(range, 0, outside);
        const float r2 = dx * dx + dy * dy;
        if (w > 0 && r2 > 1e-6f) {
            wrap += w;
            wrapC2 -= w * (dx * dx - dy * dy) / r2;
            wrapS2 -= w * 2 * dx * dy / r2;
        }
    };
    const float wrapRange = um(kWrapRange);
    for (const Gland& g : ctx.glands) {
        const float dx = fx - g.cx, dy = fy - g.cy;
        if (std::abs(dx) > g.reach + wrapRange || std::abs(dy) > g.reach + wrapRange)
            continue;
        float lumen, outer;
        g.distances(fx, fy, lumen, outer);
        if (lumen < s.glandLumen) {
            s.glandLumen = lumen;
            if (lumen < 0)
                s.secretion = g.secretion;
        }
        s.glandOuter = std::min(s.glandOuter, outer);
        wrapAround(dx, dy, outer, wrapRange);
    }
    for (const Vessel& v : ctx.vessels) {
        const float dx = fx - v.cx, dy = fy - v.cy;
        if (std::abs(dx) > v.reach + wrapRange || std::abs(dy) > v.reach + wrapRange)
            continue;
        const float u = dx * v.cosR + dy * v.sinR, w = -dx * v.sinR + dy * v.cosR;
        const float r = std::sqrt(u * u + w * w);
        const float lumen = r > 1e-3f ? v.lumenRadius(u / r, w / r) : v.b;
        if (r - lumen < s.vesselLumen) {
            s.vesselLumen = r - lumen;
            if (s.vesselLumen < 0)
                s.secretion = 0.06f;  // plasma
        }
        s.vesselOuter = std::min(s.vesselOuter, r - lumen - v.wall);
        s.adventitia = std::min(s.adventitia, r - lumen - v.wall - um(v.capillary ? 3 : 10));
        if (!v.capillary)
            wrapAround(dx, dy, r - lumen - v.wall, wrapRange);
    }
    for (float* f : {&s.glandLumen, &s.glandOuter, &s.vesselLumen, &s.vesselOuter, &s.adventitia})
        *f = std::clamp(*f, -cap, cap);
    if (wrap > 0) {
        const float t = 0.55f * std::min(wrap, 1.0f);
        s.c2 = lerp(s.c2, wrapC2 / wrap, t);
        s.s2 = lerp(s.s2, wrapS2 / wrap, t);
    }
    return s;
}

// ---- Cells -------------------------------------------------------------------------------------------------

void TissueRenderer::collectObjects(std::int64_t x0, std::int64_t y0, int w, int h, const Context& ctx,
                                    const RegionLookup& regionOf, Splats& out) const
{
    const float margin = um(kObjectMargin);
    const float left = x0 - margin, top = y0 - margin, right = x0 + w + margin, bottom = y0 + h + margin;
    auto inside = [&](float x, float y) { return x >= left && x <= right && y >= top && y <= bottom; };

    // A tumour cell nucleus: large, oval, pleomorphic, often vesicular with a nucleolus; now and then a mitosis.
    auto tumourNucleus = [&](CellRandom& rnd, float x, float y, float axisC, float axisS, float size, float darkness,
                             float vesicular) {
        Blob b;
        b.cx = x;
        b.cy = y;
        b.a = um(rnd.range(3.6f, 5.4f)) * size;
        b.b = um(rnd.range(2.6f, 3.8f)) * size;
        b.cosR = axisC;
        b.sinR = axisS;
        b.haem = darkness * rnd.range(0.75f, 1.3f);
        b.vesicular = std::clamp(vesicular * rnd.range(0.5f, 1.5f), 0.0f, 0.9f);
        randomise(rnd, b, 1.4f);
        if (rnd.chance(0.5f)) {
            b.nucleolusR = um(rnd.range(0.6f, 1.1f));
            b.nucleolusX = rnd.range(-0.3f, 0.3f) * b.a;
            b.nucleolusY = rnd.range(-0.3f, 0.3f) * b.b;
        }
        if (rnd.chance(0.012f)) {  // a mitosis: condensed, very dark, ragged chromatin
            b.haem *= 2.0f;
            b.vesicular = 0;
            b.a *= 0.8f;
            b.nucleolusR = 0;
            randomise(rnd, b, 3);
        }
        return b;
    };

    // Where acini fuse, one's epithelium may reach into the other's lumen: no nuclei there.
    auto inOtherLumen = [&](const Gland& self, float x, float y) {
        for (const Gland& g : ctx.glands) {
            if (&g == &self || g.solid || std::abs(x - g.cx) > g.reach || std::abs(y - g.cy) > g.reach)
                continue;
            float lumen, outer;
            g.distances(x, y, lumen, outer);
            if (lumen < um(1))
                return true;
        }
        return false;
    };

    // Tumour cells: rows of nuclei around each acinus, long axis radial (columnar cells), one to three rows
    // (pseudostratified), concentric rows filling solid nests.
    for (const Gland& g : ctx.glands) {
        if (g.cx + g.reach < left || g.cx - g.reach > right || g.cy + g.reach < top || g.cy - g.reach > bottom)
            continue;
        CellRandom grnd(g.id ^ kSaltGlandNucleus);
        for (int row = 0; row < g.rows; ++row) {
            const float depth = g.solid       ? (row + 0.5f) / g.rows
                                : g.rows == 1 ? 0.55f
                                              : 0.2f + 0.65f * row / (g.rows - 1);
            const float meanRadius = (g.a + g.b) * 0.5f + depth * g.thickness;
            const int count =
                std::max(g.solid && meanRadius < um(5) ? 1 : 3,
                         static_cast<int>(2 * kPi * meanRadius / (um(g.solid ? 9 : 7.2) * g.nucleusSize)));
            const float phase = grnd.range(0, 2 * kPi);
            for (int k = 0; k < count; ++k) {
                CellRandom rnd(mix32(g.id + 977u * row + 7919u * k));
                const float theta = phase + 2 * kPi * (k + rnd.range(-0.3f, 0.3f)) / count;
                const float c = std::cos(theta), s = std::sin(theta);
                float lumen, outer;
                g.radii(c, s, lumen, outer);
                const float radius =
                    lumen + std::clamp(depth + rnd.range(-0.12f, 0.12f), 0.12f, 0.88f) * (outer - lumen);
                const float wc = c * g.cosR - s * g.sinR, ws = c * g.sinR + s * g.cosR;  // to slide coordinates
                const float tilt = rnd.range(-0.35f, 0.35f);
                const float ac = std::cos(tilt), as = std::sin(tilt);
                Blob b = tumourNucleus(rnd, g.cx + wc * radius, g.cy + ws * radius, wc * ac - ws * as,
                                       wc * as + ws * ac, g.nucleusSize, g.nucleusDarkness, g.vesicular);
                if (inside(b.cx, b.cy) && !inOtherLumen(g, b.cx, b.cy))
                    out.nuclei.push_back(b);
            }
        }
    }

    // Vessels: red cells packed in the lumen, flat endothelial nuclei lining it, smooth muscle in artery walls.
    for (const Vessel& v : ctx.vessels) {
        if (v.cx + v.reach < left || v.cx - v.reach > right || v.cy + v.reach < top || v.cy - v.reach > bottom)
            continue;
        if (v.redCellFill > 0) {
            const float step = um(5.2);
            const int n = static_cast<int>(std::ceil(v.a / step));
            for (int j = -n; j <= n; ++j)
                for (int i = -n; i <= n; ++i) {
                    CellRandom rnd(hash2(i, j, v.id ^ kSaltVesselCell));
                    const float u = (i + rnd.range(-0.35f, 0.35f)) * step, t = (j + rnd.range(-0.35f, 0.35f)) * step;
                    const float r = std::sqrt(u * u + t * t);
                    const float lumen = r > 1e-3f ? v.lumenRadius(u / r, t / r) : v.b;
                    if (r > std::max(lumen - um(2.2), 0.0f) || !rnd.chance(v.redCellFill))
                        continue;
                    Blob b;
                    b.cx = v.cx + u * v.cosR - t * v.sinR;
                    b.cy = v.cy + u * v.sinR + t * v.cosR;
                    b.a = um(rnd.range(3.1f, 3.8f));
                    b.b = b.a * rnd.range(0.7f, 1.0f);
                    orient(b, rnd.range(0, kPi));
                    b.red = rnd.range(0.75f, 1.1f);
                    randomise(rnd, b, 0.5f);
                    if (inside(b.cx, b.cy))
                        out.redCells.push_back(b);
                }
        }
        const float perimeter = kPi * (v.a + v.b);
        const int rings = v.artery ? 3 : 1;
        for (int ring = 0; ring < rings; ++ring) {
            const bool endothelium = ring == 0;
            const int count = std::max(v.capillary ? 1 : 2, static_cast<int>(perimeter / um(endothelium ? 20 : 9)));
            for (int k = 0; k < count; ++k) {
                CellRandom rnd(mix32(v.id + 131u * ring + 7919u * k));
                const float theta = 2 * kPi * (k + rnd.range(-0.3f, 0.3f)) / count;
                const float c = std::cos(theta), s = std::sin(theta);
                const float radius = v.lumenRadius(c, s) + (endothelium ? um(0.9) : v.wall * ring / (rings + 0.5f));
                const float wc = c * v.cosR - s * v.sinR, ws = c * v.sinR + s * v.cosR;
                Blob b;
                b.cx = v.cx + wc * radius;
                b.cy = v.cy + ws * radius;
                b.a = um(endothelium ? rnd.range(4, 5.5f) : rnd.range(4.5f, 6));
                b.b = um(endothelium ? rnd.range(1.0f, 1.5f) : rnd.range(1.1f, 1.6f));
                b.cosR = -ws;  // along the wall
                b.sinR = wc;
                b.haem = rnd.range(1.4f, 1.9f);
                randomise(rnd, b, 1);
                if (inside(b.cx, b.cy))
                    out.nuclei.push_back(b);
            }
        }
    }

    // Scattered cells: one candidate per cell of a lattice, kept when a cheap chance passes and the spot is the
    // right compartment (asking the fields only then keeps this affordable).
    // `reachUm`: how far beyond its candidate point the placed cells may extend (beyond the usual margin).
    auto scatter = [&](double cellUm, std::uint32_t salt, auto&& place, double reachUm = 0) {
        const double cell = cellUm * pxPerUm_, reach = reachUm * pxPerUm_;
        for (auto gy = static_cast<std::int64_t>(std::floor((top - reach) / cell)); gy * cell <= bottom + reach; ++gy)
            for (auto gx = static_cast<std::int64_t>(std::floor((left - reach) / cell)); gx * cell <= right + reach;
                 ++gx) {
                CellRandom rnd(hash2(gx, gy, seed_ ^ salt));
                const float x = static_cast<float>((gx + rnd.uniform()) * cell);
                const float y = static_cast<float>((gy + rnd.uniform()) * cell);
                if (x >= left - reach && x <= right + reach && y >= top - reach && y <= bottom + reach)
                    place(rnd, x, y);
            }
    };
    auto probe = [&](float x, float y, const Region& reg) { return shapeAt(x, y, reg, ctx, tissueSdf(x, y)); };
    auto isStroma = [&](const Shape& s, float clearance) {
        return s.tissue < -um(2) && s.air() > um(clearance) && s.epi() > um(clearance) && s.wall() > 0;
    };
    auto alongFibres = [](const Shape& s, Blob& b) { orient(b, 0.5f * std::atan2(s.s2, s.c2)); };

    // Fibroblasts: thin spindle nuclei along the collagen, denser in the desmoplastic stroma around tumour.
    scatter(10, kSaltFibroblast, [&](CellRandom& rnd, float x, float y) {
        if (!rnd.chance(0.55f))
            return;
        const Region reg = regionOf(x, y);
        const Shape s = probe(x, y, reg);
        if (!isStroma(s, 2) || !rnd.chance(0.22f + 0.25f * reg.tumour - 0.1f * reg.loose))
            return;
        Blob b;
        b.cx = x;
        b.cy = y;
        b.a = um(rnd.range(5, 9));
        b.b = um(rnd.range(1.0f, 1.8f));
        alongFibres(s, b);
        b.haem = rnd.range(1.1f, 1.7f);
        b.vesicular = 0.05f;
        randomise(rnd, b, 1.2f);
        out.nuclei.push_back(b);
    });

    // Tumour cells infiltrating the stroma singly and in small clusters, with their pale cytoplasm.
    scatter(
        28, kSaltTumourCluster,
        [&](CellRandom& rnd, float x, float y) {
            if (!rnd.chance(0.5f))
                return;
            const Region reg = regionOf(x, y);
            if (reg.tumour < 0.6f || !rnd.chance(0.25f))
                return;
            const Shape s = probe(x, y, reg);
            if (!isStroma(s, 8))
                return;
            const int cells = 1 + static_cast<int>(rnd.range(0, 3.99f));  // a walk of ≤ 3 steps of 9 µm: kClusterReach
            float px = x, py = y;
            const float heading = rnd.range(0, 2 * kPi);
            for (int i = 0; i < cells; ++i) {
                Blob body;
                body.cx = px;
                body.cy = py;
                body.a = um(rnd.range(6, 8));
                body.b = um(rnd.range(5, 6.5f));
                orient(body, rnd.range(0, kPi));
                body.eosin = rnd.range(0.35f, 0.5f);
                body.haem = 0.1f;
                randomise(rnd, body, 1);
                out.bodies.push_back(body);
                const float axis = rnd.range(0, kPi);
                out.nuclei.push_back(tumourNucleus(rnd, px + rnd.range(-1.5f, 1.5f) * um(1),
                                                   py + rnd.range(-1.5f, 1.5f) * um(1), std::cos(axis), std::sin(axis),
                                                   1.05f, 1.2f, 0.5f));
                const float step = heading + rnd.range(-0.9f, 0.9f);
                px += std::cos(step) * um(9);
                py += std::sin(step) * um(9);
            }
        },
        kClusterReach);

    // Lymphocytes (small, round, very dark) and plasma cells (eccentric nucleus in purple cytoplasm): sparse
    // everywhere, dense in aggregates.
    scatter(7, kSaltLymphocyte, [&](CellRandom& rnd, float x, float y) {
        if (!rnd.chance(0.8f))
            return;
        const Region reg = regionOf(x, y);
        if (!rnd.chance(0.02f + 0.6f * reg.aggregate))
            return;
        const Shape s = probe(x, y, reg);
        if (!isStroma(s, 1))
            return;
        Blob b;
        b.cx = x;
        b.cy = y;
        b.a = um(rnd.range(2.5f, 3.5f));
        b.b = b.a * rnd.range(0.8f, 1.0f);
        orient(b, rnd.range(0, kPi));
        b.haem = rnd.range(1.8f, 2.6f);
        b.vesicular = 0.05f;
        randomise(rnd, b, 0.8f);
        if (rnd.chance(0.15f)) {
            Blob body = b;
            body.a = um(rnd.range(5, 6.5f));
            body.b = body.a * rnd.range(0.7f, 0.85f);
            body.eosin = 0.3f;
            body.haem = 0.22f;
            out.bodies.push_back(body);
            b.cx += body.cosR * (body.a - b.a * 1.1f);
            b.cy += body.sinR * (body.a - b.a * 1.1f);
            b.vesicular = 0.5f;  // "clock-face" chromatin
            b.haem = rnd.range(1.5f, 1.9f);
        }
        out.nuclei.push_back(b);
    });

    // Alveolar walls: flat pneumocyte and endothelial nuclei, and capillary red cells; near the tumour the walls
    // are lined by crowded, enlarged atypical cells (lepidic growth).
    scatter(11, kSaltSeptalCell, [&](CellRandom& rnd, float x, float y) {
        const Region reg = regionOf(x, y);
        if (reg.alveolar < 0.1f)
            return;
        const Shape s = probe(x, y, reg);
        const float air = s.air();
        if (s.tissue > -um(1) || air < um(0.3) || air > um(7) || s.wall() < 0)
            return;
        const float lepidic = 1 - smoothstep(0.55f, 0.95f, reg.alveolar);
        if (!rnd.chance(0.6f + 0.4f * lepidic))
            return;
        Blob b;
        b.cx = x;
        b.cy = y;
        b.a = um(rnd.range(3.6f, 5.2f)) * (1 + 0.3f * lepidic);
        b.b = um(rnd.range(1.5f, 2.3f)) * (1 + 0.9f * lepidic);
        b.cosR = s.septumX;
        b.sinR = s.septumY;
        b.haem = rnd.range(1.3f, 1.8f) * (1 + 0.1f * lepidic);
        b.vesicular = 0.1f + 0.4f * lepidic;
        randomise(rnd, b, 1);
        out.nuclei.push_back(b);
    });
    scatter(7, kSaltSeptalRed, [&](CellRandom& rnd, float x, float y) {
        if (!rnd.chance(0.22f))
            return;
        const Region reg = regionOf(x, y);
        if (reg.alveolar < 0.3f)
            return;
        const Shape s = probe(x, y, reg);
        const float air = s.air();
        if (s.tissue > -um(1) || air < um(0.8) || air > um(6))
            return;
        Blob b;
        b.cx = x;
        b.cy = y;
        b.a = um(rnd.range(2.8f, 3.5f));
        b.b = b.a * rnd.range(0.55f, 0.8f);  // squeezed into the capillary
        b.cosR = s.septumX;
        b.sinR = s.septumY;
        b.red = rnd.range(0.45f, 0.8f);
        randomise(rnd, b, 0.5f);
        out.redCells.push_back(b);
    });

    // Alveolar macrophages: large pale cells lying free in the air spaces, some with dust pigment.
    scatter(45, kSaltMacrophage, [&](CellRandom& rnd, float x, float y) {
        if (!rnd.chance(0.16f))
            return;
        const Region reg = regionOf(x, y);
        if (reg.alveolar < 0.3f)
            return;
        const Shape s = probe(x, y, reg);
        if (s.tissue > -um(8) || s.air() > -um(9))
            return;
        Blob body;
        body.cx = x;
        body.cy = y;
        body.a = um(rnd.range(7, 10));
        body.b = body.a * rnd.range(0.8f, 1.0f);
        orient(body, rnd.range(0, kPi));
        body.eosin = rnd.range(0.3f, 0.45f);
        body.haem = rnd.range(0.06f, 0.12f);
        randomise(rnd, body, 1.5f);
        out.bodies.push_back(body);
        Blob n = body;
        n.eosin = 0;
        n.a = um(rnd.range(3.0f, 3.8f));
        n.b = n.a * rnd.range(0.7f, 0.95f);
        n.cx = x + rnd.range(-0.4f, 0.4f) * body.a;
        n.cy = y + rnd.range(-0.4f, 0.4f) * body.b;
        n.haem = rnd.range(1.0f, 1.4f);
        n.vesicular = 0.3f;
        randomise(rnd, n, 1.5f);
        out.nuclei.push_back(n);
        const int granules = rnd.chance(0.5f) ? static_cast<int>(rnd.range(3, 14)) : 0;
        for (int i = 0; i < granules; ++i) {
            Blob p;
            const float r = rnd.range(0.2f, 0.8f) * body.a, t = rnd.range(0, 2 * kPi);
            p.cx = x + r * std::cos(t);
            p.cy = y + r * std::sin(t);
            p.a = p.b = um(rnd.range(0.4f, 0.9f));
            p.pigment = rnd.range(0.4f, 0.9f);
            out.pigment.push_back(p);
        }
    });

    // Anthracotic pigment: clusters of black dust granules in the stroma, as in almost every adult lung.
    scatter(150, kSaltPigment, [&](CellRandom& rnd, float x, float y) {
        if (!rnd.chance(0.35f))
            return;
        const Region reg = regionOf(x, y);
        const Shape s = probe(x, y, reg);
        if (!isStroma(s, 6) || s.tissue > -um(12))
            return;
        const int granules = static_cast<int>(rnd.range(10, 40));
        for (int i = 0; i < granules; ++i) {
            Blob p;
            const float r = um(12) * std::sqrt(rnd.uniform()), t = rnd.range(0, 2 * kPi);
            p.cx = x + r * std::cos(t);
            p.cy = y + r * std::sin(t);
            p.a = p.b = um(rnd.range(0.4f, 1.3f));
            p.pigment = rnd.range(0.7f, 1.4f);
            out.pigment.push_back(p);
        }
    });
}

// ---- Pixels ------------------------------------------------------------------------------------------------

namespace {

// Iterates the pixels of the tile under a blob (an ellipse with a wobbly outline); calls f(index, r, u, v,
// coverage) with r the normalised radius (0 centre, 1 outline), u, v the offsets in the blob's frame and an
// anti-aliased coverage, already multiplied by the tissue mask so that a cell cut by the section's edge is cut too.
template <class F>
void forBlob(const TissueRenderer::Blob& b, std::int64_t x0, std::int64_t y0, int w, int h,
             const std::vector<float>& mask, F&& f)
{
    const float wobble = 1 + std::abs(b.m2c) + std::abs(b.m2s) + std::abs(b.m3c) + std::abs(b.m3s);
    const float extent = std::max(b.a, b.b) * wobble + 2.0f;
    const int xa = std::max(0, static_cast<int>(std::floor(b.cx - extent - x0)));
    const int xb = std::min(w - 1, static_cast<int>(std::ceil(b.cx + extent - x0)));
    const int ya = std::max(0, static_cast<int>(std::floor(b.cy - extent - y0)));
    const int yb = std::min(h - 1, static_cast<int>(std::ceil(b.cy + extent - y0)));
    if (xa > xb || ya > yb)
        return;
    const float minor = std::min(b.a, b.b);
    const float soft = minor / kEdgeSoftness;
    const float limit = (wobble + kEdgeSoftness / minor) * (wobble + kEdgeSoftness / minor);
    for (int py = ya; py <= yb; ++py) {
        const float dy = float(y0 + py) + 0.5f - b.cy;
        for (int px = xa; px <= xb; ++px) {
            const float dx = float(x0 + px) + 0.5f - b.cx;
            const float u = dx * b.cosR + dy * b.sinR, v = -dx * b.sinR + dy * b.cosR;
            const float nu = u / b.a, nv = v / b.b;
            const float q = nu * nu + nv * nv;
            if (q >= limit)
                continue;
            float r = std::sqrt(q);
            if (r > 1e-4f) {
                const Harmonics z(nu / r, nv / r);
                r /= 1 + b.m2c * z.im2 + b.m2s * z.re2 + b.m3c * z.im3 + b.m3s * z.re3;
            }
            const std::size_t p = static_cast<std::size_t>(py) * w + px;
            const float coverage = clamp01((1 - r) * soft + 0.5f) * mask[p];
            if (coverage > 0)
                f(p, r, u, v, coverage);
        }
    }
}

}  // namespace

void TissueRenderer::render(std::int64_t x0, std::int64_t y0, int w, int h, std::uint8_t* rgb, std::size_t stride) const
{
    auto fillGlass = [&] {
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                std::copy(glass_.begin(), glass_.end(), rgb + y * stride + x * 3);
    };
    if (tileIsGlass(x0, y0, w, h))
        return fillGlass();

    thread_local Scratch s;
    const std::size_t pixels = static_cast<std::size_t>(w) * h;

    // Region fields on their coarse lattice, over the tile plus the margin where cells are still looked for.
    // Interpolating this grid gives exactly regionAt(), at a fraction of the cost.
    const auto margin = static_cast<std::int64_t>(std::ceil((kObjectMargin + kClusterReach) * pxPerUm_)) + kFieldStep;
    const std::int64_t rgx0 = floorDiv(x0 - margin, kRegionStep), rgy0 = floorDiv(y0 - margin, kRegionStep);
    const int rnx = static_cast<int>(floorDiv(x0 + w + margin, kRegionStep) - rgx0 + 2);
    const int rny = static_cast<int>(floorDiv(y0 + h + margin, kRegionStep) - rgy0 + 2);
    s.regions.resize(static_cast<std::size_t>(rnx) * rny);
    for (int j = 0; j < rny; ++j)
        for (int i = 0; i < rnx; ++i)
            s.regions[j * rnx + i] = regionLattice(rgx0 + i, rgy0 + j);
    const RegionLookup regionFromGrid = [&](double x, double y) {
        const double fx = x / kRegionStep, fy = y / kRegionStep;
        const auto gx = static_cast<std::int64_t>(std::floor(fx)), gy = static_cast<std::int64_t>(std::floor(fy));
        if (gx < rgx0 || gy < rgy0 || gx + 1 >= rgx0 + rnx || gy + 1 >= rgy0 + rny)
            return regionAt(x, y);
        const float tx = static_cast<float>(fx - gx), ty = static_cast<float>(fy - gy);
        const Region* r = &s.regions[(gy - rgy0) * rnx + (gx - rgx0)];
        return lerpRegion(lerpRegion(r[0], r[1], tx), lerpRegion(r[rnx], r[rnx + 1], tx), ty);
    };

    // Texture scales (texels per px) for ~1 µm collagen fibres 14× longer than wide, their waviness, and the
    // granularity of cytoplasm; set for 0.25 µm/px and scaled with the spec's mpp.
    const float across = static_cast<float>(1.3 * mpp_ / 0.25), along = across / 14;
    const float warpScale = static_cast<float>(0.09 * mpp_ / 0.25), cytoScale = static_cast<float>(1.2 * mpp_ / 0.25);

    // Structure fields every kFieldStep px (at absolute multiples, so neighbouring tiles agree on them).
    // Everything that can shape a pixel of the tile, or decide a cell reaching into it, must be in the context:
    // acini and vessels act up to kWrapRange beyond their outline (their `reach` covers only kFieldCap of that).
    const double contextMargin = (kObjectMargin + kClusterReach + kWrapRange) * pxPerUm_ + kFieldStep;
    const Context ctx =
        buildContext(x0 - contextMargin, y0 - contextMargin, x0 + w + contextMargin, y0 + h + contextMargin);
    const std::int64_t fx0 = floorDiv(x0, kFieldStep), fy0 = floorDiv(y0, kFieldStep);
    const int fnx = static_cast<int>(floorDiv(x0 + w - 1, kFieldStep) - fx0 + 2);
    const int fny = static_cast<int>(floorDiv(y0 + h - 1, kFieldStep) - fy0 + 2);
    const std::size_t fields = static_cast<std::size_t>(fnx) * fny;
    for (auto* v : {&s.tissue, &s.alveolarAir, &s.adventitia, &s.glandLumen, &s.glandOuter, &s.vesselLumen,
                    &s.vesselOuter, &s.secretion, &s.c2, &s.s2, &s.eosin, &s.stain, &s.loose, &s.waviness})
        v->resize(fields);
    // The outline is smooth at this scale: sampled every kOutlineStep px and interpolated, it costs a sixteenth.
    const std::int64_t ox0 = floorDiv(fx0 * kFieldStep, kOutlineStep), oy0 = floorDiv(fy0 * kFieldStep, kOutlineStep);
    const int onx = static_cast<int>(floorDiv((fx0 + fnx - 1) * kFieldStep, kOutlineStep) - ox0 + 2);
    const int ony = static_cast<int>(floorDiv((fy0 + fny - 1) * kFieldStep, kOutlineStep) - oy0 + 2);
    s.outline.resize(static_cast<std::size_t>(onx) * ony);
    for (int j = 0; j < ony; ++j)
        for (int i = 0; i < onx; ++i)
            s.outline[j * onx + i] = tissueSdf(double((ox0 + i) * kOutlineStep), double((oy0 + j) * kOutlineStep));
    auto outlineAt = [&](std::int64_t x, std::int64_t y) {
        const std::int64_t gx = floorDiv(x, kOutlineStep), gy = floorDiv(y, kOutlineStep);
        const float tx = float(x - gx * kOutlineStep) / kOutlineStep, ty = float(y - gy * kOutlineStep) / kOutlineStep;
        const float* o = &s.outline[(gy - oy0) * onx + (gx - ox0)];
        return lerp(lerp(o[0], o[1], tx), lerp(o[onx], o[onx + 1], tx), ty);
    };
    bool anyTissue = false;
    for (int j = 0; j < fny; ++j)
        for (int i = 0; i < fnx; ++i) {
            const std::int64_t x = (fx0 + i) * kFieldStep, y = (fy0 + j) * kFieldStep;
            const Region reg = regionFromGrid(double(x), double(y));
            const Shape sh = shapeAt(double(x), double(y), reg, ctx, outlineAt(x, y));
            const std::size_t k = static_cast<std::size_t>(j) * fnx + i;
            s.tissue[k] = sh.tissue;
            s.alveolarAir[k] = sh.alveolarAir;
            s.adventitia[k] = sh.adventitia;
            s.glandLumen[k] = sh.glandLumen;
            s.glandOuter[k] = sh.glandOuter;
            s.vesselLumen[k] = sh.vesselLumen;
            s.vesselOuter[k] = sh.vesselOuter;
            s.secretion[k] = sh.secretion;
            s.c2[k] = sh.c2;
            s.s2[k] = sh.s2;
            s.eosin[k] = reg.eosin;
            s.stain[k] = reg.stain;
            s.loose[k] = reg.loose;
            s.waviness[k] = (texture_.fine(float(x) * warpScale + 311, float(y) * warpScale + 97) - 0.5f) * 18;
            anyTissue = anyTissue || sh.tissue < 2;
        }
    if (!anyTissue)
        return fillGlass();
    // Cells of the field grid with no structure within kFieldCap at any corner: plain stroma, no need to merge
    // the structure fields per pixel there (most of the stroma).
    const float cap = um(kFieldCap);
    s.plain.assign(fields, 0);
    for (int j = 0; j + 1 < fny; ++j)
        for (int i = 0; i + 1 < fnx; ++i) {
            bool plain = true;
            for (const std::size_t k : {std::size_t(j) * fnx + i, std::size_t(j) * fnx + i + 1,
                                        std::size_t(j + 1) * fnx + i, std::size_t(j + 1) * fnx + i + 1})
                plain = plain && s.alveolarAir[k] >= cap && s.adventitia[k] >= cap && s.glandLumen[k] >= cap &&
                        s.glandOuter[k] >= cap && s.vesselLumen[k] >= cap && s.vesselOuter[k] >= cap;
            s.plain[std::size_t(j) * fnx + i] = plain;
        }

    // Base stain of every pixel: collagen, cytoplasm or lumen content, scaled by the tissue outline.
    for (auto* v : {&s.mask, &s.haem, &s.eosinPx, &s.red, &s.pigment})
        v->assign(pixels, 0.0f);
    static const float kDirCos[4] = {1, 0.70710678f, 0, -0.70710678f};
    static const float kDirSin[4] = {0, 0.70710678f, 1, 0.70710678f};
    static const float kDirOffset[4] = {0, 211, 503, 787};
    const float edge = 1 / kEdgeSoftness;
    for (int py = 0; py < h; ++py) {
        const std::int64_t ay = y0 + py;
        const int j = static_cast<int>(floorDiv(ay, kFieldStep) - fy0);
        const float ty = float(ay - (fy0 + j) * kFieldStep) / kFieldStep;
        const float Y = static_cast<float>(ay);
        for (int px = 0; px < w; ++px) {
            const std::int64_t ax = x0 + px;
            const int i = static_cast<int>(floorDiv(ax, kFieldStep) - fx0);
            const float tx = float(ax - (fx0 + i) * kFieldStep) / kFieldStep;
            const std::size_t k = static_cast<std::size_t>(j) * fnx + i;
            auto bilinear = [&](const std::vector<float>& f) {
                return lerp(lerp(f[k], f[k + 1], tx), lerp(f[k + fnx], f[k + fnx + 1], tx), ty);
            };
            const float mask = clamp01(0.5f - bilinear(s.tissue) * edge);
            if (mask <= 0)
                continue;
            const std::size_t p = static_cast<std::size_t>(py) * w + px;
            s.mask[p] = mask;
            float airSdf = cap, air = 0, epi = 0, wall = 0, stroma = 1;
            if (!s.plain[k]) {
                Shape sh;
                sh.alveolarAir = bilinear(s.alveolarAir);
                sh.adventitia = bilinear(s.adventitia);
                sh.glandLumen = bilinear(s.glandLumen);
                sh.glandOuter = bilinear(s.glandOuter);
                sh.vesselLumen = bilinear(s.vesselLumen);
                sh.vesselOuter = bilinear(s.vesselOuter);
                airSdf = sh.air();
                air = clamp01(0.5f - airSdf * edge);
                epi = clamp01(0.5f - sh.epi() * edge) * (1 - air);
                wall = clamp01(0.5f - sh.wall() * edge) * (1 - air - epi);
                stroma = std::max(0.0f, 1 - air - epi);
            }
            const float X = static_cast<float>(ax);

            float e = 0, hm = 0;
            if (stroma > 0) {
                // Collagen: noise stretched along the local fibre direction, blended between the two nearest of
                // four fixed directions (rotating by a varying angle would shear the pattern far from the origin).
                // Where directions cancel out (between two acini) the fibres run any way: both weights equal.
                const float c2 = bilinear(s.c2), s2 = bilinear(s.s2);
                const int dirA = c2 >= 0 ? 0 : 2, dirB = s2 >= 0 ? 1 : 3;
                const float wA = c2 * c2 + 1e-3f, wB = s2 * s2 + 1e-3f;
                float fine = 0, coarse = 0, total = 0;
                const float waviness = bilinear(s.waviness);
                for (int d = 0; d < 2; ++d) {
                    const int dir = d == 0 ? dirA : dirB;
                    const float weight = d == 0 ? wA : wB;
                    if (weight < 0.02f * (wA + wB))
                        continue;
                    const float u = (X * kDirCos[dir] + Y * kDirSin[dir]) * along + kDirOffset[dir];
                    const float v = (-X * kDirSin[dir] + Y * kDirCos[dir]) * across + waviness + kDirOffset[dir];
                    float f, c;
                    texture_.sample(u, v, f, c);
                    fine += weight * f;
                    coarse += weight * c;
                    total += weight;
                }
                fine /= total;
                coarse /= total;
                // Crisp fibres, bundles of different density, and tapered retraction clefts between bundles.
                const float fibre = smoothstep(0.3f, 0.7f, fine);
                const float cleft = smoothstep(0.1f, 0.22f, coarse);
                const float loose = s.loose[k];
                const float density = s.eosin[k] * (1 - 0.55f * loose);
                e += stroma * density * (0.4f + 0.35f * coarse + 0.4f * fibre) * (0.12f + 0.88f * cleft) + wall * 0.55f;
                hm += stroma * (0.03f + 0.06f * loose);
            }
            if (epi > 0) {
                // Tumour cytoplasm: fine granular, amphophilic; a brighter eosinophilic seam at the luminal border.
                const float grain = texture_.fine(X * cytoScale + 733, Y * cytoScale + 419);
                const float apical = 1 - smoothstep(0, um(1.5), airSdf);
                e += epi * (0.32f * (0.75f + 0.5f * grain) + 0.3f * apical);
                hm += epi * 0.12f * (0.8f + 0.4f * grain);
            }
            if (air > 0) {
                // Mucin and oedema are wispy, not a flat fill.
                const float wisp = texture_.fine(X * warpScale * 4 + 57, Y * warpScale * 4 + 91);
                e += air * s.secretion[k] * (0.4f + 1.2f * wisp);
            }
            const float strength = mask * s.stain[k];
            s.eosinPx[p] = e * strength;
            s.haem[p] = hm * strength;
        }
    }

    // Cells on top.
    s.splats.clear();
    collectObjects(x0, y0, w, h, ctx, regionFromGrid, s.splats);
    const float chromatinScale = static_cast<float>(2.2 * mpp_ / 0.25);
    for (const Blob& b : s.splats.bodies)
        forBlob(b, x0, y0, w, h, s.mask, [&](std::size_t p, float, float u, float v, float cov) {
            const float foam = texture_.fine(u * chromatinScale + b.texU, v * chromatinScale + b.texV);
            s.eosinPx[p] = s.eosinPx[p] * (1 - cov) + cov * b.eosin * (0.6f + 0.8f * foam);
            s.haem[p] = s.haem[p] * (1 - cov) + cov * b.haem;
        });
    for (const Blob& b : s.splats.nuclei)
        forBlob(b, x0, y0, w, h, s.mask, [&](std::size_t p, float r, float u, float v, float cov) {
            const float chromatin = texture_.fine(u * chromatinScale + b.texU, v * chromatinScale + b.texV);
            // Vesicular nuclei: pale centre, chromatin along the membrane; dense nuclei: uniformly dark.
            const float rim = smoothstep(0.55f, 0.95f, r);
            float value = b.haem * ((1 - 0.6f * b.vesicular) + 0.8f * b.vesicular * rim) *
                          (0.7f + 0.6f * smoothstep(0.2f, 0.8f, chromatin));
            if (b.nucleolusR > 0) {
                const float du = u - b.nucleolusX, dv = v - b.nucleolusY;
                const float n = clamp01(b.nucleolusR + 0.5f - std::sqrt(du * du + dv * dv));
                value += n * 0.8f;
                s.eosinPx[p] += cov * n * 0.4f;
            }
            s.haem[p] += cov * value;
            s.eosinPx[p] *= 1 - 0.45f * cov;
        });
    for (const Blob& b : s.splats.redCells)
        forBlob(b, x0, y0, w, h, s.mask, [&](std::size_t p, float r, float, float, float cov) {
            // Biconcave discs: paler in the middle.
            const float value = b.red * (0.7f + 0.45f * smoothstep(0.25f, 0.85f, r));
            s.red[p] = std::max(s.red[p], cov * value);
            s.eosinPx[p] *= 1 - 0.7f * cov;
        });
    for (const Blob& b : s.splats.pigment)
        forBlob(b, x0, y0, w, h, s.mask, [&](std::size_t p, float, float, float, float cov) {
            s.pigment[p] = std::max(s.pigment[p], cov * b.pigment);
        });

    // Beer–Lambert to RGB, with a little sensor grain on tissue (glass stays flat, as scanners render it).
    for (int py = 0; py < h; ++py) {
        std::uint8_t* out = rgb + py * stride;
        for (int px = 0; px < w; ++px, out += 3) {
            const std::size_t p = static_cast<std::size_t>(py) * w + px;
            const float hm = s.haem[p], e = s.eosinPx[p], r = s.red[p], pg = s.pigment[p];
            const float grain =
                s.mask[p] > 0 ? (unit(hash2(x0 + px, y0 + py, seed_ ^ kSaltGrain)) - 0.5f) * 0.03f * s.mask[p] : 0.0f;
            for (int c = 0; c < 3; ++c) {
                const float od =
                    kOdGlass[c] + hm * kOdHaem[c] + e * kOdEosin[c] + r * kOdRed[c] + pg * kOdPigment[c] + grain;
                const int index = std::clamp(static_cast<int>(od * kOdStepsPerUnit + 0.5f), 0, kOdTableSize);
                out[c] = odToByte_[index];
            }
        }
    }
}

}  // namespace consilium::pathology::detail
