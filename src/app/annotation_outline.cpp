#include "annotation_outline.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace consilium::app {

using model::AnnotationShape;
using model::PixelPoint;

namespace {

constexpr int kEllipseVertices = 64;

double segmentDistance(PixelPoint p, PixelPoint a, PixelPoint b)
{
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double length2 = dx * dx + dy * dy;
    const double t = length2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length2, 0.0, 1.0) : 0.0;
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// Even–odd rule: a ray to the right crosses the outline an odd number of times from inside.
bool inside(const std::vector<PixelPoint>& polygon, PixelPoint p)
{
    bool in = false;
    for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
        const PixelPoint a = polygon[i], b = polygon[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            in = !in;
    }
    return in;
}

}  // namespace

std::vector<PixelPoint> outlineVertices(const model::Annotation& a)
{
    if (a.points.size() < 2 || (a.shape != AnnotationShape::Rectangle && a.shape != AnnotationShape::Ellipse))
        return a.points;
    const double x0 = std::min(a.points[0].x, a.points[1].x), x1 = std::max(a.points[0].x, a.points[1].x);
    const double y0 = std::min(a.points[0].y, a.points[1].y), y1 = std::max(a.points[0].y, a.points[1].y);
    if (a.shape == AnnotationShape::Rectangle)
        return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    std::vector<PixelPoint> ring;
    ring.reserve(kEllipseVertices);
    const double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, rx = (x1 - x0) / 2, ry = (y1 - y0) / 2;
    for (int i = 0; i < kEllipseVertices; ++i) {
        const double t = 2 * std::numbers::pi * i / kEllipseVertices;
        ring.push_back({cx + rx * std::cos(t), cy + ry * std::sin(t)});
    }
    return ring;
}

void appendOutline(const model::Annotation& a, double markerRadius, std::vector<PixelPoint>& segments)
{
    if (a.points.empty())
        return;
    if (a.shape == AnnotationShape::Point) {
        const PixelPoint p = a.points.front();
        const double r = markerRadius;
        segments.insert(segments.end(), {{p.x - r, p.y}, {p.x + r, p.y}, {p.x, p.y - r}, {p.x, p.y + r}});
        return;
    }
    const std::vector<PixelPoint> v = outlineVertices(a);
    for (std::size_t i = 0; i + 1 < v.size(); ++i)
        segments.insert(segments.end(), {v[i], v[i + 1]});
    if (model::isClosed(a.shape) && v.size() > 2)
        segments.insert(segments.end(), {v.back(), v.front()});
    if (a.shape == AnnotationShape::Ruler && v.size() == 2) {
        // End ticks across the ruler, as on a measuring scale.
        const double dx = v[1].x - v[0].x, dy = v[1].y - v[0].y, length = std::hypot(dx, dy);
        if (length > 0) {
            const double nx = -dy / length * markerRadius, ny = dx / length * markerRadius;
            for (const PixelPoint& e : v)
                segments.insert(segments.end(), {{e.x - nx, e.y - ny}, {e.x + nx, e.y + ny}});
        }
    }
}

double distanceTo(const model::Annotation& a, PixelPoint p, bool insideCounts)
{
    if (a.points.empty())
        return INFINITY;
    if (a.shape == AnnotationShape::Point)
        return std::hypot(p.x - a.points[0].x, p.y - a.points[0].y);
    const std::vector<PixelPoint> v = outlineVertices(a);
    if (insideCounts && model::isClosed(a.shape) && v.size() > 2 && inside(v, p))
        return 0;
    double best = INFINITY;
    for (std::size_t i = 0; i + 1 < v.size(); ++i)
        best = std::min(best, segmentDistance(p, v[i], v[i + 1]));
    if (model::isClosed(a.shape) && v.size() > 2)
        best = std::min(best, segmentDistance(p, v.back(), v.front()));
    return best;
}

}  // namespace consilium::app
