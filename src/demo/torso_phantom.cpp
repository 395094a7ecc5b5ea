#include "demo/torso_phantom.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

// How the phantom is drawn: every sample starts as air and the anatomy is painted over it from the outside in
// (body wall, bones of the wall, lungs, abdomen, heart, spine, vessels and airways, then the two lesions). Each
// structure contributes a coverage in [0, 1] from an approximate signed distance to its surface, ramped over the
// modality's edge width, so boundaries are partial-volume blends rather than steps. A modality is a "look": one value
// per tissue plus its edge width. Everything is closed-form with cheap bounding tests first, because the demo samples
// ~30 million CT voxels.

namespace consilium::demo {
namespace {

// ---------------------------------------------------------------------------------------------------------------
// Tissues and how each modality shows them

enum Tissue : int {
    kAir,
    kSkin,
    kFat,
    kMuscle,
    kLung,
    kBlood,
    kMyocardium,
    kCorticalBone,
    kCancellousBone,
    kCartilage,
    kDisc,
    kCsf,
    kCord,
    kLiver,
    kSpleen,
    kKidney,
    kStomachWall,
    kStomachContent,
    kOesophagus,
    kTumour,
    kTumourCore,
    kNode,
    kTissueCount
};

// What each tissue looks like: non-contrast CT (HU); FDG PET about an hour after injection (SUVbw); T2-weighted
// single-shot fast spin echo with fat suppression (HASTE/SPAIR: fluid bright, fat and fatty marrow dark, flowing
// blood and lung black, lesions intermediate-bright). The lesions' PET values are set so that, with the noise,
// the SUVmax measured on a 4 mm PET grid is the stated one.
struct Appearance {
    double ct, pet, mr;
};
// clang-format off
constexpr Appearance kAppearance[kTissueCount] = {
    /* air             */ {-1000, 0.0,                          5},
    /* skin            */ {   30, 0.7,                        300},
    /* fat             */ { -100, 0.35,                       110},
    /* muscle          */ {   40, TorsoPhantom::kMuscleSuv,    260},
    /* lung            */ { -850, TorsoPhantom::kLungSuv,       30},
    /* blood           */ {   45, TorsoPhantom::kBloodPoolSuv,  50},
    /* myocardium      */ {   40, TorsoPhantom::kMyocardiumSuv, 330},
    /* cortical bone   */ {  850, 0.4,                         20},
    /* cancellous bone */ {  250, 1.5,                        230},
    /* cartilage       */ {  120, 0.5,                        420},
    /* disc            */ {   80, 0.6,                        950},
    /* CSF             */ {   10, 0.4,                       1400},
    /* spinal cord     */ {   35, 1.2,                        600},
    /* liver           */ {   60, TorsoPhantom::kLiverSuv,     320},
    /* spleen          */ {   48, 1.9,                        700},
    /* kidney          */ {   35, 2.8,                        800},
    /* stomach wall    */ {   40, 1.9,                        450},
    /* stomach content */ {   12, 0.6,                       1400},
    /* oesophagus      */ {   40, 1.4,                        420},
    /* tumour          */ {   35, 10.4,                       820},
    /* tumour core     */ {   18, TorsoPhantom::kTumourCoreSuv, 1350},
    /* lymph node      */ {   35, 5.65,                       700},
};
// clang-format on

// A modality: its value per tissue, plus how it resolves edges and lung structure.
struct Look {
    std::array<double, kTissueCount> value;
    double edgeMm;         // half-width of the partial-volume ramp: the modality's resolution
    double lungGradient;   // dependent (posterior) lung is denser: value added per mm towards the back
    double lungTexture;    // amplitude of the parenchymal variation
    double vesselOpacity;  // small pulmonary vessels: resolved on CT and MR, averaged into the lung on PET
};

constexpr Look makeLook(double Appearance::*modality, double edgeMm, double lungGradient, double lungTexture,
                        double vesselOpacity)
{
    Look look{{}, edgeMm, lungGradient, lungTexture, vesselOpacity};
    for (int t = 0; t < kTissueCount; ++t)
        look.value[std::size_t(t)] = kAppearance[t].*modality;
    return look;
}

constexpr Look kCtLook = makeLook(&Appearance::ct, 0.6, 0.4, 25.0, 1.0);
constexpr Look kPetLook = makeLook(&Appearance::pet, 3.5, 0.0008, 0.04, 0.0);  // ~6-7 mm FWHM
constexpr Look kMrLook = makeLook(&Appearance::mr, 0.8, 0.05, 10.0, 1.0);

// Paints tissues over each other: a coverage c blends the current value towards the tissue's value.
class Canvas {
public:
    explicit Canvas(const Look& look) : look_(look), value_(look.value[kAir]) {}
    void paint(Tissue tissue, double coverage) { paintValue(look_.value[tissue], coverage); }
    void paintValue(double value, double coverage)
    {
        if (coverage > 0.0)
            value_ += coverage * (value - value_);
    }
    const Look& look() const { return look_; }
    double value() const { return value_; }

private:
    const Look& look_;
    double value_;
};

// ---------------------------------------------------------------------------------------------------------------
// Geometry: signed distances (mm, negative inside) and the partial-volume ramp

struct Vec3 {
    double x, y, z;
};
constexpr Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
constexpr Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
constexpr Vec3 operator*(double s, Vec3 a) { return {s * a.x, s * a.y, s * a.z}; }
constexpr double dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline double length(Vec3 a) { return std::sqrt(dot(a, a)); }
inline Vec3 normalized(Vec3 a) { return (1.0 / length(a)) * a; }
constexpr Vec3 cross(Vec3 a, Vec3 b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }

// 1 well inside, 0 well outside, a smoothstep across [-edge, +edge] around the surface.
inline double coverage(double signedDistance, double edge)
{
    if (signedDistance <= -edge)
        return 1.0;
    if (signedDistance >= edge)
        return 0.0;
    const double t = 0.5 - 0.5 * signedDistance / edge;
    return t * t * (3.0 - 2.0 * t);
}

// Distance to an ellipse boundary measured along the ray from its centre: exact on the axes and within a few
// percent elsewhere for the mild eccentricities used here, at the cost of two square roots.
inline double ellipseDistance(double dx, double dy, double a, double b)
{
    const double q2 = dx * dx / (a * a) + dy * dy / (b * b);
    if (q2 < 1e-12)
        return -std::min(a, b);
    return std::sqrt(dx * dx + dy * dy) * (1.0 - 1.0 / std::sqrt(q2));
}

inline double ellipsoidDistance(Vec3 d, Vec3 semi)
{
    const double q2 = d.x * d.x / (semi.x * semi.x) + d.y * d.y / (semi.y * semi.y) + d.z * d.z / (semi.z * semi.z);
    if (q2 < 1e-12)
        return -std::min({semi.x, semi.y, semi.z});
    return length(d) * (1.0 - 1.0 / std::sqrt(q2));
}

// A straight segment with a radius (vessel, airway, process of a vertebra), with its bounding box for early outs.
struct Tube {
    Vec3 a, b;
    double radius;

    bool mayTouch(Vec3 p, double margin) const
    {
        const double m = radius + margin;
        return p.z >= std::min(a.z, b.z) - m && p.z <= std::max(a.z, b.z) + m && p.x >= std::min(a.x, b.x) - m &&
               p.x <= std::max(a.x, b.x) + m && p.y >= std::min(a.y, b.y) - m && p.y <= std::max(a.y, b.y) + m;
    }
    double distance(Vec3 p) const
    {
        const Vec3 ab = b - a, ap = p - a;
        const double t = std::clamp(dot(ap, ab) / dot(ab, ab), 0.0, 1.0);
        return length(ap - t * ab) - radius;
    }
};

inline void paintTube(Canvas& canvas, Tissue tissue, const Tube& tube, Vec3 p)
{
    const double edge = canvas.look().edgeMm;
    if (tube.mayTouch(p, edge))
        canvas.paint(tissue, coverage(tube.distance(p), edge));
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic noise hashed from the coordinates

inline std::uint32_t hash3(std::int32_t i, std::int32_t j, std::int32_t k, std::uint32_t seed)
{
    std::uint32_t h = std::uint32_t(i) * 0x8da6b343u ^ std::uint32_t(j) * 0xd8163841u ^ std::uint32_t(k) * 0xcb1ab31fu;
    h ^= seed;
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    h ^= h >> 16;
    return h;
}

// Uncorrelated from voxel to voxel, mean 0, variance 1 (sum of three uniforms). The quantisation step is finer than
// any voxel and incommensurate with usual spacings, so grid positions do not sit on cell borders.
inline double whiteNoise(double x, double y, double z, std::uint32_t seed)
{
    constexpr double kCellsPerMm = 7.3129;
    const std::uint32_t h = hash3(std::int32_t(std::floor(x * kCellsPerMm)), std::int32_t(std::floor(y * kCellsPerMm)),
                                  std::int32_t(std::floor(z * kCellsPerMm)), seed);
    const double u1 = double(h & 0x3ffu), u2 = double((h >> 10) & 0x3ffu), u3 = double((h >> 20) & 0x3ffu);
    return (u1 + u2 + u3) / 511.5 - 3.0;
}

// Smooth value noise in about [-1, 1] on a lattice of `cellMm`, two independent channels from one set of hashes.
struct Noise2 {
    double a, b;
};
inline Noise2 valueNoise(Vec3 p, double cellMm, std::uint32_t seed)
{
    const double x = p.x / cellMm, y = p.y / cellMm, z = p.z / cellMm;
    const double fx0 = std::floor(x), fy0 = std::floor(y), fz0 = std::floor(z);
    const auto i = std::int32_t(fx0), j = std::int32_t(fy0), k = std::int32_t(fz0);
    auto fade = [](double t) { return t * t * (3.0 - 2.0 * t); };
    const double u = fade(x - fx0), v = fade(y - fy0), w = fade(z - fz0);
    double a = 0.0, b = 0.0;
    for (int c = 0; c < 8; ++c) {
        const int di = c & 1, dj = (c >> 1) & 1, dk = (c >> 2) & 1;
        const double weight = (di ? u : 1.0 - u) * (dj ? v : 1.0 - v) * (dk ? w : 1.0 - w);
        const std::uint32_t h = hash3(i + di, j + dj, k + dk, seed);
        a += weight * (double(h & 0xffffu) / 32767.5 - 1.0);
        b += weight * (double(h >> 16) / 32767.5 - 1.0);
    }
    return {a, b};
}

// ---------------------------------------------------------------------------------------------------------------
// Anatomy

// Cross-section of the trunk at a height: body outline and the thoracic/abdominal cavity inside the ribs. The body
// is deeper in front than behind; the cavity narrows into the lung apices above z = 50.
struct Section {
    double bodyA, bodyBFront, bodyBBack;
    double cavityA, cavityBFront, cavityBBack;
};

Section sectionAt(double z)
{
    const double neck = std::clamp((z - 90.0) / 60.0, 0.0, 1.0);
    const double apex = z <= 50.0 ? 1.0 : std::sqrt(std::max(0.0, 1.0 - (z - 50.0) * (z - 50.0) / (100.0 * 100.0)));
    return {170.0 - 12.0 * neck, 120.0 - 8.0 * neck, 115.0 - 5.0 * neck, 138.0 * apex, 90.0 * apex, 85.0 * apex};
}

// Height of the diaphragm under (x, y): two domes, the right one higher (the liver lifts it), falling towards the
// sides and further at the back (the posterior costophrenic recesses).
double diaphragmZ(double x, double y)
{
    const double ry = (y + 5.0) / 80.0;
    const double rightX = (x + 55.0) / 95.0, leftX = (x - 60.0) / 95.0;
    const double right = -52.0 - 55.0 * (rightX * rightX + ry * ry);
    const double left = -68.0 - 55.0 * (leftX * leftX + ry * ry);
    const double back = std::max(0.0, y) / 80.0;
    return std::max(right, left) - 15.0 * back * back;
}

// Half-width of the mediastinum (the part of the cavity between the lungs) by depth: thin behind the sternum where
// the lungs nearly meet, wider around the trachea and great vessels, widest around the spine and descending aorta.
double mediastinumHalfWidth(double y)
{
    if (y <= -50.0)
        return 10.0;
    if (y <= -20.0)
        return 10.0 + (y + 50.0) * (18.0 / 30.0);
    if (y <= 15.0)
        return 28.0;
    if (y <= 35.0)
        return 28.0 + (y - 15.0) * (12.0 / 20.0);
    return 40.0;
}

// Vessels (blood), airways and the oesophagus as tubes.
constexpr Tube kAscendingAorta{{-6, -30, -5}, {-6, -30, 80}, 14.0};
constexpr Tube kDescendingAortaUpper{{22, 30, 80}, {24, 36, 0}, 12.0};
constexpr Tube kDescendingAortaLower{{24, 36, 0}, {12, 16, -170}, 11.5};
constexpr Tube kPulmonaryTrunk{{22, -44, 12}, {18, -28, 50}, 12.0};
constexpr Tube kRightPulmonaryArtery1{{18, -28, 50}, {-8, -8, 52}, 8.5};
constexpr Tube kRightPulmonaryArtery2{{-8, -8, 52}, {-50, -4, 48}, 8.5};
constexpr Tube kLeftPulmonaryArtery{{18, -28, 50}, {48, 8, 56}, 8.0};
constexpr Tube kRightPulmonaryVein{{-45, 8, 18}, {-12, 6, 12}, 6.5};
constexpr Tube kLeftPulmonaryVein{{42, 14, 20}, {24, 8, 12}, 6.5};
constexpr Tube kSuperiorVenaCava{{-32, -24, 200}, {-30, -26, 20}, 10.0};
constexpr Tube kInferiorVenaCava{{-20, 26, -170}, {-16, 10, -50}, 11.0};
constexpr Tube kBrachiocephalicTrunk{{-2, -16, 108}, {-20, -26, 200}, 7.0};
constexpr Tube kLeftCommonCarotid{{10, -12, 112}, {16, -20, 200}, 5.0};
constexpr Tube kLeftSubclavian{{20, 14, 108}, {40, 8, 200}, 6.0};
constexpr Tube kHepaticVeinRight{{-75, -5, -125}, {-20, 14, -78}, 5.0};
constexpr Tube kHepaticVeinMiddle{{-25, -45, -130}, {-18, 10, -78}, 4.5};
constexpr Tube kColon[] = {{{95, 15, -150}, {80, -45, -168}, 16.0}, {{80, -45, -168}, {30, -70, -200}, 18.0}};

constexpr Tube kTrachea{{0, 4, 200}, {0, 10, 60}, 11.0};  // outer wall; lumen 2 mm smaller
constexpr Tube kRightMainBronchus{{0, 10, 60}, {-40, 14, 42}, 7.5};
constexpr Tube kLeftMainBronchus{{0, 10, 60}, {46, 18, 34}, 6.5};
constexpr Tube kLobarBronchi[] = {
    {{-40, 14, 42}, {-72, 32, 2}, 4.5},  // right lower lobe
    {{-40, 14, 42}, {-72, 0, 78}, 4.0},  // right upper lobe
    {{46, 18, 34}, {72, 36, -2}, 4.0},   // left lower lobe
    {{46, 18, 34}, {66, -6, 70}, 4.0},   // left upper lobe
};
constexpr Tube kOesophagusUpper{{4, 26, 200}, {6, 30, 60}, 7.0};
constexpr Tube kOesophagusLower{{6, 30, 60}, {0, 20, -60}, 7.0};
constexpr Tube kOesophagusAbdominal{{0, 20, -60}, {42, -8, -96}, 7.0};
constexpr Tube kClavicles[] = {{{18, -95, 138}, {125, -55, 150}, 8.0}, {{-18, -95, 138}, {-125, -55, 150}, 8.0}};

// The aortic arch: a half circle from the top of the ascending aorta to the top of the descending aorta, in a plane
// tilted to the patient's left so that it passes beside the trachea instead of over it.
struct Arch {
    Vec3 centre, along, up, normal;
    double radius;
};
Arch makeArch()
{
    const Vec3 a{-6, -30, 80}, d{22, 30, 80};
    const Vec3 centre = 0.5 * (a + d);
    const Vec3 along = normalized(d - a);
    const Vec3 left = normalized(cross(Vec3{0, 0, 1}, along));  // horizontal, perpendicular to the chord
    const Vec3 towardsLeft = left.x > 0 ? left : -1.0 * left;
    const Vec3 up = normalized(Vec3{0, 0, 1} + 0.45 * towardsLeft);
    return {centre, along, up, cross(along, up), 0.5 * length(d - a)};
}
const Arch kArch = makeArch();

double archDistance(Vec3 p)
{
    const Vec3 d = p - kArch.centre;
    const double h = dot(d, kArch.up);
    if (h < 0.0)
        return 1e9;  // the ascending and descending tubes cover the lower half
    const double s = dot(d, kArch.along), off = dot(d, kArch.normal);
    const double ring = std::sqrt(s * s + h * h) - kArch.radius;
    const double radius = 13.0 - 1.0 * s / kArch.radius;  // 14 mm ascending, 12 mm descending
    return std::sqrt(ring * ring + off * off) - radius;
}

// The heart: an ellipsoid whose long axis points to the apex (left, anterior, inferior), with a myocardial wall,
// an interventricular septum and blood-filled chambers; the left atrium sits behind it under the carina.
struct Heart {
    Vec3 centre, axisLong, axisSeptum, axisThird;
    Vec3 semi;
};
Heart makeHeart()
{
    const Vec3 longAxis = normalized(Vec3{0.55, -0.5, -0.45});
    const Vec3 septum = normalized(cross(longAxis, Vec3{0, 0, 1}));
    return {{20, -24, -20}, longAxis, septum, cross(longAxis, septum), {62, 46, 44}};
}
const Heart kHeart = makeHeart();
constexpr Vec3 kLeftAtriumCentre{6, 4, 12};
constexpr Vec3 kLeftAtriumSemi{30, 14, 17};

Vec3 heartLocal(Vec3 p)
{
    const Vec3 d = p - kHeart.centre;
    return {dot(d, kHeart.axisLong), dot(d, kHeart.axisSeptum), dot(d, kHeart.axisThird)};
}

// Lesions in their own frames (long axis rotated in the axial plane).
struct AxialFrame {
    Vec3 centre;
    double cosA, sinA;
    Vec3 toLocal(Vec3 p) const
    {
        const Vec3 d = p - centre;
        return {cosA * d.x + sinA * d.y, -sinA * d.x + cosA * d.y, d.z};
    }
};
constexpr double kPi = 3.14159265358979323846;
AxialFrame frameOf(const TorsoPhantom::Point& centre, double degrees)
{
    return {{centre[0], centre[1], centre[2]}, std::cos(degrees * kPi / 180.0), std::sin(degrees * kPi / 180.0)};
}
const AxialFrame kTumourFrame = frameOf(TorsoPhantom::kTumourCentre, TorsoPhantom::kTumourLongAxisDeg);
const AxialFrame kNodeFrame = frameOf(TorsoPhantom::kNodeCentre, TorsoPhantom::kNodeLongAxisDeg);
constexpr Vec3 kTumourSemi{TorsoPhantom::kTumourLongestDiameterMm / 2, TorsoPhantom::kTumourShortDiameterMm / 2,
                           TorsoPhantom::kTumourCraniocaudalMm / 2};
constexpr Vec3 kNodeSemi{TorsoPhantom::kNodeLongAxisMm / 2, TorsoPhantom::kNodeShortAxisMm / 2,
                         TorsoPhantom::kNodeCraniocaudalMm / 2};

// Spicules: thin radial extensions of the tumour surface, in directions well away from the long axis so that
// the measured longest diameter stays the stated one. Directions are in the tumour's normalised frame.
struct Spicule {
    Vec3 direction;
    double length;  // as a fraction of the local radius
};
const Spicule kSpicules[] = {
    {normalized({0.30, 0.95, 0.10}), 0.45},   {normalized({0.25, -0.90, 0.35}), 0.40},
    {normalized({-0.30, 0.80, -0.52}), 0.50}, {normalized({0.20, -0.40, -0.89}), 0.35},
    {normalized({-0.15, 0.35, 0.92}), 0.45},  {normalized({-0.34, -0.85, 0.40}), 0.38},
    {normalized({0.10, 0.60, -0.79}), 0.42},  {normalized({0.05, -0.98, -0.20}), 0.48},
    {normalized({-0.20, 0.10, -0.97}), 0.40}, {normalized({0.33, 0.25, 0.91}), 0.36},
};

double tumourDistance(Vec3 local)
{
    const Vec3 q{local.x / kTumourSemi.x, local.y / kTumourSemi.y, local.z / kTumourSemi.z};
    const double rho = length(q);
    if (rho < 1e-6)
        return -kTumourSemi.y;
    const Vec3 dir = (1.0 / rho) * q;
    // Lobulated outline (zero along the long axis) plus spicules (cos^128 of the angle to each: ~6 degrees wide).
    double surface = 1.0 + 0.06 * (dir.y * dir.y * dir.y - 3.0 * dir.y * dir.z * dir.z);
    for (const Spicule& s : kSpicules) {
        double c = dot(dir, s.direction);
        if (c <= 0.93)
            continue;
        for (int i = 0; i < 7; ++i)
            c *= c;
        surface += s.length * c;
    }
    return length(local) * (1.0 - surface / rho);
}

// Ribs run around the chest wall just outside the pleura, sloping down towards the front; costal cartilage joins
// them to the sternum. A rib is an elliptical cross-section (cortex and marrow) swept along that path.
void paintRibs(Canvas& canvas, double x, double y, double z, double distanceOutsideCavity)
{
    constexpr double kCentreOutside = 7.0, kHalfThickness = 3.8, kHalfHeight = 6.0;
    constexpr double kPitch = 26.0, kFrontDrop = 34.0, kLowestRibBack = -133.0;
    const double edge = canvas.look().edgeMm;
    const double dr = distanceOutsideCavity - kCentreOutside;
    if (std::abs(dr) > kHalfThickness + edge)
        return;
    if (std::abs(x) < 28.0 && y > 0.0)
        return;  // the spine
    const double r = std::sqrt(x * x + y * y);
    const double towardsBack = r > 0.0 ? y / r : 0.0;  // +1 at the back, -1 at the front
    if (towardsBack < -0.93)
        return;  // the sternum
    const double heightAtBack = z + kFrontDrop * (1.0 - towardsBack) - kLowestRibBack;
    const double n = std::floor(heightAtBack / kPitch);
    if (n < 0.0 || n > 10.0)
        return;
    if (n < 2.0 && towardsBack < -0.2)
        return;  // the floating ribs end at the side
    const double dz = heightAtBack - (n + 0.5) * kPitch;
    const double outer = ellipseDistance(dz, dr, kHalfHeight, kHalfThickness);
    if (towardsBack < -0.72) {
        canvas.paint(kCartilage, coverage(outer, edge));
        return;
    }
    canvas.paint(kCorticalBone, coverage(outer, edge));
    canvas.paint(kCancellousBone, coverage(ellipseDistance(dz, dr, kHalfHeight - 1.8, kHalfThickness - 1.6), edge));
}

void paintSternum(Canvas& canvas, double x, double y, double z, const Section& s)
{
    const double edge = canvas.look().edgeMm;
    if (std::abs(x) > 30.0 || z > 135.0 || z < -60.0 || y > -s.cavityBFront)
        return;
    const double halfWidth = z > 95.0 ? 25.0 : 15.0;  // the manubrium is wider
    const double centreY = -s.cavityBFront - 8.0;
    const double d = std::max({std::abs(x) - halfWidth, std::abs(y - centreY) - 6.0, z - 130.0, -55.0 - z});
    canvas.paint(kCorticalBone, coverage(d, edge));
    canvas.paint(kCancellousBone, coverage(d + 1.8, edge));
}

// Thoracic vertebrae every 26 mm with discs, the posterior arch around the spinal canal, spinous and transverse
// processes, and the paravertebral soft tissue around them.
void paintSpine(Canvas& canvas, Vec3 p)
{
    constexpr double kPitch = 26.0, kOrigin = 5.0, kBodyY = 52.0, kCanalY = 79.0;
    const double edge = canvas.look().edgeMm;
    const double x = p.x, y = p.y, z = p.z;
    if (std::abs(x) > 45.0 || y < 25.0 || y > 116.0)
        return;
    canvas.paint(kMuscle, coverage(ellipseDistance(x, y - 66.0, 30.0, 30.0), edge));

    const double centreZ = kOrigin + kPitch * std::round((z - kOrigin) / kPitch);
    const double dz = z - centreZ;                      // -13 .. 13 within this vertebra
    const double fromDisc = kPitch / 2 - std::abs(dz);  // distance to the disc mid-plane
    const double body = ellipseDistance(x, y - kBodyY, 20.0, 16.0);
    const double disc = coverage(fromDisc - 2.5, edge);
    canvas.paint(kCorticalBone, coverage(body, edge) * (1.0 - disc));
    canvas.paint(kCancellousBone, coverage(body + 1.6, edge) * (1.0 - coverage(fromDisc - 4.0, edge)));
    canvas.paint(kDisc, coverage(body, edge) * disc);

    const double arch = coverage(std::abs(dz - 3.0) - 9.0, edge);
    if (arch > 0.0) {
        const double ring = ellipseDistance(x, y - kCanalY, 15.0, 14.0);
        canvas.paint(kCorticalBone, coverage(ring, edge) * arch);
        canvas.paint(kCancellousBone, coverage(ring + 2.5, edge) * arch);
    }
    const Tube spinous{{0, kCanalY + 12.0, centreZ + 2.0}, {0, kCanalY + 29.0, centreZ - 10.0}, 4.0};
    paintTube(canvas, kCorticalBone, spinous, p);
    for (double side : {-1.0, 1.0}) {
        const Tube transverse{
            {side * 10.0, kCanalY - 2.0, centreZ + 4.0}, {side * 32.0, kCanalY + 5.0, centreZ + 4.0}, 5.0};
        paintTube(canvas, kCorticalBone, transverse, p);
    }
    const double canal = std::sqrt(x * x + (y - kCanalY) * (y - kCanalY));
    canvas.paint(kCsf, coverage(canal - 9.0, edge));
    canvas.paint(kCord, coverage(canal - 5.0, edge));
}

void paintLungs(Canvas& canvas, Vec3 p, double lung)
{
    const Look& look = canvas.look();
    const double edge = look.edgeMm;
    // Parenchyma: denser towards the back (gravity), with a fine texture.
    const Noise2 fine = valueNoise(p, 7.0, 11u);
    canvas.paintValue(look.value[kLung] + look.lungGradient * p.y + look.lungTexture * fine.a, lung);
    if (look.vesselOpacity <= 0.0)
        return;
    // Vessels fan out from the hilum and taper. Two smooth fields of the direction from the hilum are both zero only
    // along rays; drifting the fields slowly with distance bends the rays and lets new branches appear. The
    // distance to such a curve is about |fields| / (angular gradient) * distance from the hilum.
    const Vec3 hilum = p.x < 0.0 ? Vec3{-50, 0, 40} : Vec3{48, 6, 40};
    const Vec3 fromHilum = p - hilum;
    const double reach = std::max(length(fromHilum), 1.0);
    const Vec3 direction = (1.0 / reach) * fromHilum;
    double vesselDistance = 1e9;
    // Three generations: a few large trunks near the hilum, then ever more, thinner branches further out.
    struct Generation {
        double cellsPerRadian, driftPerMm, radiusNear, radiusFar, fadeInMm;
        std::uint32_t seed;
    };
    static constexpr Generation kGenerations[] = {{1.6, 1.0 / 120.0, 5.0, 1.5, 25.0, 23u},
                                                  {4.0, 1.0 / 60.0, 2.5, 0.9, 15.0, 37u},
                                                  {10.0, 1.0 / 40.0, 1.1, 0.6, 40.0, 41u}};
    for (const Generation& g : kGenerations) {
        if (reach < g.fadeInMm * 0.5)
            continue;
        const Vec3 q = g.cellsPerRadian * direction + Vec3{reach * g.driftPerMm, 0.3 * reach * g.driftPerMm, 0.0};
        const Noise2 n = valueNoise(q, 1.0, g.seed);
        const double angularDistance = std::sqrt(n.a * n.a + n.b * n.b) / (0.9 * g.cellsPerRadian);
        const double taper = std::clamp(1.0 - reach / 140.0, 0.0, 1.0);
        const double fadeIn = g.fadeInMm > 0.0 ? std::clamp(reach / g.fadeInMm - 0.5, 0.0, 1.0) : 1.0;
        const double radius = (g.radiusFar + (g.radiusNear - g.radiusFar) * taper) * fadeIn;
        vesselDistance = std::min(vesselDistance, angularDistance * reach - radius);
    }
    // The tumour pushes the small vessels aside: none within a few mm of its surface, so that what touches it is
    // lung and the measured diameters are the tumour's own.
    double displaced = 1.0;
    const Vec3 local = kTumourFrame.toLocal(p);
    if (std::abs(local.x) < 30.0 && std::abs(local.y) < 30.0 && std::abs(local.z) < 30.0)
        displaced = std::clamp((tumourDistance(local) - 2.0) / 4.0, 0.0, 1.0);
    canvas.paint(kBlood, coverage(vesselDistance, edge) * lung * look.vesselOpacity * displaced);
}

void paintAbdomen(Canvas& canvas, Vec3 p, double cavityDistance, double diaphragm)
{
    const double edge = canvas.look().edgeMm;
    const double x = p.x, y = p.y, z = p.z;
    // Below the diaphragm muscle: abdominal fat, then the organs, each clipped to the cavity and the diaphragm.
    const double belowDiaphragm = z - (diaphragm - 5.0);
    const double inside = std::max(cavityDistance + 3.0, belowDiaphragm);
    canvas.paint(kFat, coverage(inside, edge));

    // The left lobe reaches across the midline in front and thins out lower down; the border curves.
    const double leftLobe = 22.0 - 0.45 * y - 0.002 * y * y - 0.3 * std::max(0.0, -130.0 - z);
    canvas.paint(kLiver, coverage(std::max(inside, x - leftLobe), edge));
    paintTube(canvas, kBlood, kHepaticVeinRight, p);
    paintTube(canvas, kBlood, kHepaticVeinMiddle, p);

    // Upper poles of the kidneys against the back wall, the left higher than the right.
    for (const Vec3& kidney : {Vec3{72, 58, -218}, Vec3{-70, 58, -228}}) {
        constexpr Vec3 kKidneySemi{26, 22, 62};
        if (std::abs(z - kidney.z) < kKidneySemi.z + edge)
            canvas.paint(kKidney, coverage(std::max(inside - 3.0, ellipsoidDistance(p - kidney, kKidneySemi)), edge));
    }
    // The splenic flexure of the colon, with gas: the left upper quadrant is not all fat.
    for (const Tube& colon : kColon) {
        if (colon.mayTouch(p, edge)) {
            const double d = colon.distance(p);
            canvas.paint(kStomachWall, coverage(std::max(d, inside), edge));
            canvas.paint(kAir, coverage(std::max(d + 2.5, inside + 2.5), edge));
        }
    }

    constexpr Vec3 kStomachCentre{62, -30, -125}, kStomachSemi{40, 32, 45};
    if (std::abs(z - kStomachCentre.z) < kStomachSemi.z + edge) {
        const double wall = std::max(inside, ellipsoidDistance(p - kStomachCentre, kStomachSemi));
        canvas.paint(kStomachWall, coverage(wall, edge));
        const double content = wall + 4.0;
        canvas.paint(kStomachContent, coverage(content, edge));
        // Supine: the gas bubble rises to the front (-y), with a flat air-fluid level.
        canvas.paint(kAir, coverage(std::max(content, y + 42.0), edge));
    }
    constexpr Vec3 kSpleenCentre{95, 42, -120}, kSpleenSemi{26, 45, 55};
    if (std::abs(z - kSpleenCentre.z) < kSpleenSemi.z + edge)
        canvas.paint(kSpleen, coverage(std::max(inside, ellipsoidDistance(p - kSpleenCentre, kSpleenSemi)), edge));
}

void paintHeart(Canvas& canvas, Vec3 p)
{
    const double edge = canvas.look().edgeMm;
    const Vec3 local = heartLocal(p);
    const double outer = ellipsoidDistance(local, kHeart.semi);
    canvas.paint(kFat, coverage(outer - 4.0, edge));  // pericardial fat
    canvas.paint(kMyocardium, coverage(outer, edge));
    // Right ventricle: a crescent in front of the septum with a thin (4 mm) free wall. Left ventricle: a narrower
    // cavity behind it inside a thick (~11 mm) wall, which is what lights up on FDG PET.
    // (The septum axis points to the patient's right and front.)
    const double rightVentricle = std::max(ellipsoidDistance(local, kHeart.semi - Vec3{6, 4, 6}), 8.0 - local.y);
    canvas.paint(kBlood, coverage(rightVentricle, edge));
    const double leftVentricle = ellipsoidDistance(local - Vec3{-4, -17, 0}, {48, 17, 32});
    canvas.paint(kBlood, coverage(leftVentricle, edge));

    const double atrium = ellipsoidDistance(p - kLeftAtriumCentre, kLeftAtriumSemi);
    canvas.paint(kMyocardium, coverage(atrium, edge));
    canvas.paint(kBlood, coverage(atrium + 3.0, edge));
}

void paintAirway(Canvas& canvas, const Tube& outer, double wall, Vec3 p)
{
    paintTube(canvas, kMuscle, outer, p);
    paintTube(canvas, kAir, Tube{outer.a, outer.b, outer.radius - wall}, p);
}

void paintMediastinum(Canvas& canvas, Vec3 p)
{
    const double edge = canvas.look().edgeMm;
    // All the great vessels and the oesophagus lie inside this box; most samples are outside it.
    if (std::abs(p.x) > 62.0 || p.y < -72.0 || p.y > 52.0)
        return;
    for (const Tube* t :
         {&kAscendingAorta, &kDescendingAortaUpper, &kDescendingAortaLower, &kPulmonaryTrunk, &kRightPulmonaryArtery1,
          &kRightPulmonaryArtery2, &kLeftPulmonaryArtery, &kRightPulmonaryVein, &kLeftPulmonaryVein, &kSuperiorVenaCava,
          &kInferiorVenaCava, &kBrachiocephalicTrunk, &kLeftCommonCarotid, &kLeftSubclavian})
        paintTube(canvas, kBlood, *t, p);
    if (p.z > 80.0 - edge && p.z < 80.0 + kArch.radius + 15.0)
        canvas.paint(kBlood, coverage(archDistance(p), edge));

    paintTube(canvas, kOesophagus, kOesophagusUpper, p);
    paintTube(canvas, kOesophagus, kOesophagusLower, p);
    paintTube(canvas, kOesophagus, kOesophagusAbdominal, p);
    if (p.z > 20.0) {
        paintAirway(canvas, kTrachea, 2.0, p);
        paintAirway(canvas, kRightMainBronchus, 1.5, p);
        paintAirway(canvas, kLeftMainBronchus, 1.5, p);
    }
}

void paintLobarBronchi(Canvas& canvas, Vec3 p)
{
    if (p.z > -10.0 && p.z < 90.0 && std::abs(p.x) < 80.0 && p.y > -15.0 && p.y < 45.0)
        for (const Tube& t : kLobarBronchi)
            paintAirway(canvas, t, 1.2, p);
}

void paintLesions(Canvas& canvas, Vec3 p)
{
    const double edge = canvas.look().edgeMm;
    const Vec3 node = kNodeFrame.toLocal(p);
    if (std::abs(node.x) < kNodeSemi.x + edge && std::abs(node.y) < kNodeSemi.x + edge &&
        std::abs(node.z) < kNodeSemi.z + edge)
        canvas.paint(kNode, coverage(ellipsoidDistance(node, kNodeSemi), edge));

    const Vec3 tumour = kTumourFrame.toLocal(p);
    const double reach = kTumourSemi.x * 1.4 + edge;
    if (std::abs(tumour.x) < reach && std::abs(tumour.y) < reach && std::abs(tumour.z) < reach) {
        canvas.paint(kTumour, coverage(tumourDistance(tumour), edge));
        // Necrosis fades in gradually towards the centre.
        const double core = ellipsoidDistance(tumour, 0.38 * kTumourSemi);
        canvas.paint(kTumourCore, coverage(core, edge + 1.5));
    }
}

// One sample of the anatomy in the given look, before modality noise.
double render(const Look& look, double x, double y, double z)
{
    const double edge = look.edgeMm;
    const Vec3 p{x, y, z};
    const Section s = sectionAt(z);
    Canvas canvas(look);

    // Body wall: skin, subcutaneous fat (thicker in front), muscle.
    const double body = std::max(ellipseDistance(x, y, s.bodyA, y > 0 ? s.bodyBBack : s.bodyBFront), z - 200.0);
    if (body >= edge)
        return canvas.value();
    canvas.paint(kSkin, coverage(body, edge));
    canvas.paint(kFat, coverage(body + 2.0, edge));
    const double muscleY = y - 3.0;
    canvas.paint(
        kMuscle,
        coverage(ellipseDistance(x, muscleY, s.bodyA - 14.0, (muscleY > 0 ? s.bodyBBack : s.bodyBFront) - 14.0), edge));

    // Bones of the chest wall.
    const bool hasCavity = s.cavityA > 1.0;
    const double cavity = hasCavity ? ellipseDistance(x, y, s.cavityA, y > 0 ? s.cavityBBack : s.cavityBFront) : 1e9;
    if (hasCavity)
        paintRibs(canvas, x, y, z, cavity);
    paintSternum(canvas, x, y, z, s);
    if (z > 120.0)
        for (const Tube& t : kClavicles)
            paintTube(canvas, kCorticalBone, t, p);

    // Inside the ribs: mediastinal fat by default, lungs above the diaphragm, abdomen below.
    const double inCavity = coverage(cavity, edge);
    const double diaphragm = diaphragmZ(x, y);
    if (inCavity > 0.0) {
        canvas.paint(kFat, inCavity);
        const double aboveDiaphragm = coverage(diaphragm - z, edge);
        if (aboveDiaphragm > 0.0) {
            const double mediastinum = coverage(std::abs(x - 4.0) - mediastinumHalfWidth(y), edge);
            double heartZone = 0.0;
            if (z > -80.0 && z < 40.0) {
                heartZone = std::max(coverage(ellipsoidDistance(heartLocal(p), kHeart.semi) - 4.0, edge),
                                     coverage(ellipsoidDistance(p - kLeftAtriumCentre, kLeftAtriumSemi) - 4.0, edge));
            }
            const double lung = inCavity * aboveDiaphragm * (1.0 - mediastinum) * (1.0 - heartZone);
            if (lung > 0.0)
                paintLungs(canvas, p, lung);
        }
        if (z < diaphragm + edge) {
            canvas.paint(kMuscle, coverage(std::max(cavity, z - diaphragm), edge));  // the diaphragm itself
            paintAbdomen(canvas, p, cavity, diaphragm);
        }
    }
    if (z > -80.0 && z < 40.0)
        paintHeart(canvas, p);
    paintSpine(canvas, p);
    paintMediastinum(canvas, p);
    paintLobarBronchi(canvas, p);
    paintLesions(canvas, p);
    return canvas.value();
}

}  // namespace

double TorsoPhantom::ctHu(double x, double y, double z) const
{
    const double hu = render(kCtLook, x, y, z) + 10.0 * whiteNoise(x, y, z, 101u);
    return std::max(hu, -1024.0);
}

double TorsoPhantom::petSuv(double x, double y, double z) const
{
    // PET noise is blotchy (correlated over a few mm) and proportional to the uptake.
    const Noise2 n = valueNoise({x, y, z}, 4.5, 202u);
    return std::max(0.0, render(kPetLook, x, y, z) * (1.0 + 0.12 * n.a));
}

double TorsoPhantom::mrT2Signal(double x, double y, double z) const
{
    const double signal = render(kMrLook, x, y, z);
    // Surface coils: brighter near the skin than in the centre of the trunk.
    const double r2 = x * x / (170.0 * 170.0) + y * y / (120.0 * 120.0);
    const double shaded = signal * (0.85 + 0.2 * std::min(r2, 1.0));
    // Magnitude images have Rician noise: the modulus of signal plus complex Gaussian noise.
    const double re = shaded + 12.0 * whiteNoise(x, y, z, 303u), im = 12.0 * whiteNoise(x, y, z, 304u);
    return std::clamp(std::sqrt(re * re + im * im), 0.0, 1500.0);
}

}  // namespace consilium::demo
