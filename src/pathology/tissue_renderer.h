#pragma once
// Procedural H&E-stained lung adenocarcinoma: three needle-core biopsies on glass, with acinar tumour glands and
// infiltrating tumour cell clusters in desmoplastic stroma, alveolar lung (lepidic spread at the tumour's edge),
// vessels and capillaries with red cells, lymphocytes, plasma cells, macrophages and anthracotic pigment.
//
// How it is drawn: every structure is a pure function of level-0 coordinates and the seed (hashed lattices, value
// noise), so any block renders identically in any order and on any thread, and blocks join seamlessly.
// Colour comes from stain concentrations (haematoxylin, eosin, red cells, pigment) turned into RGB by
// Beer–Lambert absorption, which is how a bright-field scanner sees a stained section; that is what makes
// overlapping nuclei, thin septa and pale cytoplasm look right without hand-tuned colour blending.
#include "pathology/procedural_noise.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace consilium::pathology::detail {

class TissueRenderer {
public:
    TissueRenderer(std::int64_t width, std::int64_t height, double mpp, std::uint32_t seed);
    ~TissueRenderer();
    TissueRenderer(const TissueRenderer&) = delete;
    TissueRenderer& operator=(const TissueRenderer&) = delete;

    // Renders the w×h block of level-0 pixels whose top-left corner is (x0, y0) into `rgb`
    // (`stride` bytes a row). Thread-safe: const, with per-thread scratch memory.
    void render(std::int64_t x0, std::int64_t y0, int w, int h, std::uint8_t* rgb, std::size_t stride) const;

    // The colour of bare glass, which is also the fill for padding beyond the image edge.
    std::array<std::uint8_t, 3> glass() const { return glass_; }

    struct Core;
    struct Blob;
    struct Region;
    struct Shape;
    struct Gland;
    struct Vessel;
    struct Context;
    struct Splats;

private:
    Region regionLattice(std::int64_t gx, std::int64_t gy) const;
    Region regionAt(double x, double y) const;
    float coreDistance(double x, double y) const;
    float tissueSdf(double x, double y) const;
    bool tileIsGlass(std::int64_t x0, std::int64_t y0, int w, int h) const;
    bool glandInCell(std::int64_t gx, std::int64_t gy, Gland& out) const;
    bool glandCentre(std::int64_t gx, std::int64_t gy, double& cx, double& cy) const;
    bool vesselInCell(bool capillary, std::int64_t gx, std::int64_t gy, Vessel& out) const;
    void alveolus(double x, double y, double roundingUm, float& wallDistancePx, float& dirX, float& dirY,
                  std::uint32_t& cellId) const;
    // The structure fields at one point; `tissue` is tissueSdf there (passed in: it is often interpolated).
    Shape shapeAt(double x, double y, const Region& region, const Context& context, float tissue) const;
    Context buildContext(double left, double top, double right, double bottom) const;
    using RegionLookup = std::function<Region(double, double)>;
    void collectObjects(std::int64_t x0, std::int64_t y0, int w, int h, const Context& context,
                        const RegionLookup& regionOf, Splats& out) const;
    float um(double micrometres) const { return static_cast<float>(micrometres * pxPerUm_); }

    std::int64_t width_, height_;
    double mpp_, pxPerUm_;
    std::uint32_t seed_;
    bool vertical_;  // cores run along the longer side
    std::vector<Core> cores_;
    NoiseTexture texture_;
    std::vector<std::uint8_t> odToByte_;  // Beer–Lambert: 255·exp(−OD), OD in steps of 1/512
    std::array<std::uint8_t, 3> glass_{};
};

}  // namespace consilium::pathology::detail
