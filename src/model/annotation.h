#pragma once
// A pathologist's marks on a whole-slide image: points (also the counting tool's clicks), rulers, rectangles,
// ellipses, polygons and freehand outlines, each with a class (tumour, stroma, necrosis, margin, …) and an optional
// text label. Coordinates are level-0 pixels of the slide (x right, y down), as OpenSlide and QuPath use them;
// microns come only from the slide's mpp, never from the objective power.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::model {

enum class AnnotationShape { Point, Ruler, Rectangle, Ellipse, Polygon, Freehand };
std::string_view toString(AnnotationShape shape);  // "point", "ruler", "rectangle", "ellipse", "polygon", "freehand"
AnnotationShape annotationShapeFrom(std::string_view text);  // throws UsageError for anything else

struct PixelPoint {
    double x = 0;
    double y = 0;
    bool operator==(const PixelPoint&) const = default;
};

struct PixelBounds {
    double minX = 0, minY = 0, maxX = 0, maxY = 0;
    bool intersects(const PixelBounds& other) const
    {
        return minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY;
    }
};

// A class of annotation, per case-library: a name and a display colour (0xRRGGBB).
struct AnnotationClass {
    std::int64_t id = 0;
    std::string name;
    std::uint32_t colour = 0xC8C8C8;
};
// The classes a new library starts with (QuPath's usual names and colours where they exist).
std::vector<AnnotationClass> defaultAnnotationClasses();
// True when two class names mean the same class: letter case aside, and QuPath's "Tumor" is the clinic's "Tumour".
bool sameAnnotationClass(std::string_view a, std::string_view b);

// Rectangles, ellipses, polygons and freehand outlines enclose an area; points and rulers do not.
bool isClosed(AnnotationShape shape);

// points by shape: Point 1; Ruler 2 (the ends); Rectangle and Ellipse 2 (opposite corners of the box, any order);
// Polygon and Freehand ≥ 3 (the outline, not repeating the first point).
struct Annotation {
    std::int64_t id = 0;
    std::int64_t slideId = 0;
    AnnotationShape shape = AnnotationShape::Polygon;
    std::vector<PixelPoint> points;
    std::string className;  // empty: unclassified
    std::string label;      // free text shown beside the shape
    std::string author;     // reviewer display name
    std::string createdAt;  // ISO 8601 UTC, set by the store
    std::string updatedAt;
};

// Throws UsageError naming what is wrong (too few points, non-finite coordinates, a zero-size box).
void validate(const Annotation& annotation);
PixelBounds bounds(const Annotation& annotation);

// Sizes in pixels always; in microns only when the slide is calibrated (both mpp present). Anisotropic mpp is
// honoured (x and y scaled separately before measuring).
struct AnnotationMeasures {
    double lengthPx = 0;  // ruler: its length; closed shapes: the perimeter
    double areaPx = 0;    // closed shapes; 0 for points and rulers
    std::optional<double> lengthUm;
    std::optional<double> areaUm2;
    std::optional<double> areaMm2() const { return areaUm2 ? std::optional(*areaUm2 / 1e6) : std::nullopt; }
};
// Points measure nothing (all zero, µm absent); rulers have a length and no area (areaUm2 absent). A non-positive or
// non-finite mpp counts as uncalibrated. Never throws: a shape still being drawn (too few points so far) measures 0.
AnnotationMeasures measure(const Annotation& annotation, std::optional<double> mppX, std::optional<double> mppY);

// Freehand outlines as drawn, simplified (Douglas–Peucker) so that no point of the drawn line is further than
// `tolerancePx` from the kept outline. The outline is closed: the edge from the last point back to the first counts
// too, and the point farthest from the first is always kept, so an outline that is not a straight line keeps at least
// 3 points. A tolerance ≤ 0 only drops repeated points.
std::vector<PixelPoint> simplifyOutline(const std::vector<PixelPoint>& drawn, double tolerancePx);

// Mitotic count: counts per 10 high-power fields of the given field diameter (mm; 0.55 mm is a common 40× field)
// and per mm², over an area in mm². Throws UsageError for a negative count or a non-positive area or diameter.
struct MitoticRate {
    double per10Hpf = 0;
    double perMm2 = 0;
};
MitoticRate mitoticRate(int count, double areaMm2, double fieldDiameterMm = 0.55);

}  // namespace consilium::model
