#include "model/annotation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <numbers>
#include <tuple>
#include <utility>

#include "model/error.h"

namespace consilium::model {
namespace {

constexpr std::array<std::pair<AnnotationShape, std::string_view>, 6> kShapes{
    {{AnnotationShape::Point, "point"},
     {AnnotationShape::Ruler, "ruler"},
     {AnnotationShape::Rectangle, "rectangle"},
     {AnnotationShape::Ellipse, "ellipse"},
     {AnnotationShape::Polygon, "polygon"},
     {AnnotationShape::Freehand, "freehand"}}};

bool isBox(AnnotationShape shape) { return shape == AnnotationShape::Rectangle || shape == AnnotationShape::Ellipse; }

std::string what(const Annotation& a)
{
    std::string name(toString(a.shape));
    return a.id ? name + " " + std::to_string(a.id) : name;
}

double distance(PixelPoint a, PixelPoint b) { return std::hypot(b.x - a.x, b.y - a.y); }

// Twice the signed area (shoelace), the closing edge included.
double twiceSignedArea(const std::vector<PixelPoint>& ring)
{
    double sum = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const PixelPoint& p = ring[i];
        const PixelPoint& q = ring[(i + 1) % n];
        sum += p.x * q.y - q.x * p.y;
    }
    return sum;
}

double ringPerimeter(const std::vector<PixelPoint>& ring)
{
    double sum = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i)
        sum += distance(ring[i], ring[(i + 1) % n]);
    return sum;
}

// Ramanujan's first approximation: relative error below 4·10⁻⁴ even for a 10:1 ellipse, exact for a circle.
double ellipsePerimeter(double a, double b)
{
    return std::numbers::pi * (3 * (a + b) - std::sqrt((3 * a + b) * (a + 3 * b)));
}

// Length and area of the shape in a frame where x and y are scaled by sx and sy (1 for pixels, mpp for microns).
std::pair<double, double> lengthAndArea(const Annotation& a, double sx, double sy)
{
    std::vector<PixelPoint> p;
    p.reserve(a.points.size());
    for (const PixelPoint& q : a.points)
        p.push_back({q.x * sx, q.y * sy});
    switch (a.shape) {
        case AnnotationShape::Point:
            return {0, 0};
        case AnnotationShape::Ruler:
            return {distance(p[0], p[1]), 0};
        case AnnotationShape::Rectangle: {
            const double w = std::abs(p[1].x - p[0].x), h = std::abs(p[1].y - p[0].y);
            return {2 * (w + h), w * h};
        }
        case AnnotationShape::Ellipse: {
            const double ra = std::abs(p[1].x - p[0].x) / 2, rb = std::abs(p[1].y - p[0].y) / 2;
            return {ellipsePerimeter(ra, rb), std::numbers::pi * ra * rb};
        }
        case AnnotationShape::Polygon:
        case AnnotationShape::Freehand:
            return {ringPerimeter(p), std::abs(twiceSignedArea(p)) / 2};
    }
    return {0, 0};
}

bool usableMpp(const std::optional<double>& mpp) { return mpp && std::isfinite(*mpp) && *mpp > 0; }

double distanceToSegment(PixelPoint p, PixelPoint a, PixelPoint b)
{
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double lengthSquared = dx * dx + dy * dy;
    if (lengthSquared == 0)
        return distance(p, a);
    const double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared, 0.0, 1.0);
    return distance(p, {a.x + t * dx, a.y + t * dy});
}

// Douglas–Peucker over line[first..last], marking what it keeps; an explicit stack, since a long freehand stroke
// would otherwise recurse thousands deep.
void keepDouglasPeucker(const std::vector<PixelPoint>& line, std::size_t first, std::size_t last, double tolerance,
                        std::vector<bool>& keep)
{
    std::vector<std::pair<std::size_t, std::size_t>> pending{{first, last}};
    while (!pending.empty()) {
        const auto [from, to] = pending.back();
        pending.pop_back();
        double worst = -1;
        std::size_t worstAt = from;
        for (std::size_t i = from + 1; i < to; ++i) {
            const double d = distanceToSegment(line[i], line[from], line[to]);
            if (d > worst) {
                worst = d;
                worstAt = i;
            }
        }
        if (worst > tolerance) {
            keep[worstAt] = true;
            pending.push_back({from, worstAt});
            pending.push_back({worstAt, to});
        }
    }
}

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string_view toString(AnnotationShape shape)
{
    for (const auto& [s, name] : kShapes)
        if (s == shape)
            return name;
    return "?";
}

AnnotationShape annotationShapeFrom(std::string_view text)
{
    std::string accepted;
    for (const auto& [s, name] : kShapes) {
        if (name == text)
            return s;
        accepted += (accepted.empty() ? "" : ", ") + std::string(name);
    }
    throw UsageError("annotation shape", "'" + std::string(text) + "' is not one of: " + accepted);
}

bool isClosed(AnnotationShape shape) { return shape != AnnotationShape::Point && shape != AnnotationShape::Ruler; }

std::vector<AnnotationClass> defaultAnnotationClasses()
{
    // QuPath's colours for the classes it ships (Tumor, Stroma, Immune cells, Necrosis, Other, Region*, Ignore*);
    // margin and mitosis are ours, picked to stand apart from those on H&E.
    return {{0, "Tumour", 0xC80000}, {0, "Stroma", 0x96C896},       {0, "Necrosis", 0x323232},
            {0, "Margin", 0x00A0E0}, {0, "Immune cells", 0xA05AA0}, {0, "Mitosis", 0xFF00FF},
            {0, "Region", 0x0000B4}, {0, "Ignore", 0xB4B4B4},       {0, "Other", 0xFFC800}};
}

bool sameAnnotationClass(std::string_view a, std::string_view b)
{
    auto canonical = [](std::string_view name) {
        std::string l = lower(name);
        return l == "tumor" ? std::string("tumour") : l;
    };
    return canonical(a) == canonical(b);
}

void validate(const Annotation& a)
{
    const std::size_t n = a.points.size();
    const auto fail = [&](const std::string& reason) { throw UsageError(what(a), reason); };
    switch (a.shape) {
        case AnnotationShape::Point:
            if (n != 1)
                fail("a point has exactly 1 position, not " + std::to_string(n));
            break;
        case AnnotationShape::Ruler:
        case AnnotationShape::Rectangle:
        case AnnotationShape::Ellipse:
            if (n != 2)
                fail("a " + std::string(toString(a.shape)) + " has exactly 2 points, not " + std::to_string(n));
            break;
        case AnnotationShape::Polygon:
        case AnnotationShape::Freehand:
            if (n < 3)
                fail("an outline needs at least 3 points, not " + std::to_string(n));
            break;
    }
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(a.points[i].x) || !std::isfinite(a.points[i].y))
            fail("point " + std::to_string(i + 1) + " is not a finite coordinate");
    if (a.shape == AnnotationShape::Ruler && a.points[0] == a.points[1])
        fail("its two ends are the same point");
    if (isBox(a.shape) && (a.points[0].x == a.points[1].x || a.points[0].y == a.points[1].y))
        fail("its box has zero width or height");
    if (!isBox(a.shape) && isClosed(a.shape) && twiceSignedArea(a.points) == 0)
        fail("its outline encloses no area (all points on one line)");
}

PixelBounds bounds(const Annotation& a)
{
    if (a.points.empty())
        return {};
    PixelBounds b{a.points[0].x, a.points[0].y, a.points[0].x, a.points[0].y};
    for (const PixelPoint& p : a.points) {
        b.minX = std::min(b.minX, p.x);
        b.minY = std::min(b.minY, p.y);
        b.maxX = std::max(b.maxX, p.x);
        b.maxY = std::max(b.maxY, p.y);
    }
    return b;
}

AnnotationMeasures measure(const Annotation& a, std::optional<double> mppX, std::optional<double> mppY)
{
    // A shape still being drawn (one point of a polygon so far) measures 0 rather than throwing: the GUI shows the
    // size while the mouse moves.
    const std::size_t needed = a.shape == AnnotationShape::Point                     ? 1
                               : isBox(a.shape) || a.shape == AnnotationShape::Ruler ? 2
                                                                                     : 3;
    const bool complete = a.points.size() >= needed;
    AnnotationMeasures m;
    if (complete)
        std::tie(m.lengthPx, m.areaPx) = lengthAndArea(a, 1, 1);
    if (a.shape == AnnotationShape::Point || !usableMpp(mppX) || !usableMpp(mppY))
        return m;
    const auto [lengthUm, areaUm2] = complete ? lengthAndArea(a, *mppX, *mppY) : std::pair(0.0, 0.0);
    m.lengthUm = lengthUm;
    if (isClosed(a.shape))
        m.areaUm2 = areaUm2;
    return m;
}

std::vector<PixelPoint> simplifyOutline(const std::vector<PixelPoint>& drawn, double tolerancePx)
{
    std::vector<PixelPoint> line;
    line.reserve(drawn.size());
    for (const PixelPoint& p : drawn)
        if (line.empty() || !(line.back() == p))
            line.push_back(p);
    while (line.size() > 1 && line.back() == line.front())
        line.pop_back();
    if (tolerancePx <= 0 || line.size() < 4)
        return line;

    // Split the closed outline at the point farthest from the first, then simplify both halves; the second half
    // runs back to the first point, so the closing edge is held to the tolerance as well.
    std::size_t far = 0;
    for (std::size_t i = 1; i < line.size(); ++i)
        if (distance(line[i], line[0]) > distance(line[far], line[0]))
            far = i;
    line.push_back(line.front());
    std::vector<bool> keep(line.size(), false);
    keep[0] = keep[far] = keep.back() = true;
    keepDouglasPeucker(line, 0, far, tolerancePx, keep);
    keepDouglasPeucker(line, far, line.size() - 1, tolerancePx, keep);
    std::vector<PixelPoint> kept;
    for (std::size_t i = 0; i + 1 < line.size(); ++i)
        if (keep[i])
            kept.push_back(line[i]);
    return kept;
}

MitoticRate mitoticRate(int count, double areaMm2, double fieldDiameterMm)
{
    if (count < 0)
        throw UsageError("mitotic count", "the count cannot be negative");
    if (!(areaMm2 > 0) || !std::isfinite(areaMm2))
        throw UsageError("mitotic count", "the counted area must be more than 0 mm²");
    if (!(fieldDiameterMm > 0) || !std::isfinite(fieldDiameterMm))
        throw UsageError("mitotic count", "the high-power field diameter must be more than 0 mm");
    const double fieldAreaMm2 = std::numbers::pi * (fieldDiameterMm / 2) * (fieldDiameterMm / 2);
    MitoticRate r;
    r.perMm2 = count / areaMm2;
    r.per10Hpf = r.perMm2 * 10 * fieldAreaMm2;
    return r;
}

}  // namespace consilium::model
