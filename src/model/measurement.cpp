#include "model/measurement.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "model/error.h"
#include "model/json.h"

namespace consilium::model {

namespace {

Point3 sub(const Point3& a, const Point3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
double dot3(const Point3& a, const Point3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
double norm3(const Point3& a) { return std::sqrt(dot3(a, a)); }

constexpr double kDegreesPerRadian = 180.0 / std::numbers::pi;

// Angle between two directions in degrees, 0..180; atan2 keeps full precision near 0 and 180 where acos does not.
double angleBetween(const Point3& a, const Point3& b)
{
    const Point3 c{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    return std::atan2(norm3(c), dot3(a, b)) * kDegreesPerRadian;
}

std::size_t expectedPoints(MeasurementKind kind)
{
    switch (kind) {
        case MeasurementKind::Line:
        case MeasurementKind::Arrow:
            return 2;
        case MeasurementKind::Angle:
        case MeasurementKind::Ellipse:
            return 3;
        case MeasurementKind::Bidirectional:
            return 4;
        case MeasurementKind::Polygon:
            return 0;  // three or more
    }
    return 0;
}

[[noreturn]] void invalid(const std::string& reason) { throw UsageError("measurement", reason); }

std::string pointJson(const Point3& p) { return jsonArray({jsonNumber(p[0]), jsonNumber(p[1]), jsonNumber(p[2])}); }

}  // namespace

std::string toString(MeasurementKind kind)
{
    switch (kind) {
        case MeasurementKind::Line:
            return "line";
        case MeasurementKind::Angle:
            return "angle";
        case MeasurementKind::Ellipse:
            return "ellipse";
        case MeasurementKind::Polygon:
            return "polygon";
        case MeasurementKind::Bidirectional:
            return "bidirectional";
        case MeasurementKind::Arrow:
            return "arrow";
    }
    return "line";
}

std::optional<MeasurementKind> measurementKindFromString(std::string_view text)
{
    for (auto k : {MeasurementKind::Line, MeasurementKind::Angle, MeasurementKind::Ellipse, MeasurementKind::Polygon,
                   MeasurementKind::Bidirectional, MeasurementKind::Arrow})
        if (toString(k) == text)
            return k;
    return std::nullopt;
}

Point3 MeasurementPlane::normal() const
{
    return {row[1] * column[2] - row[2] * column[1], row[2] * column[0] - row[0] * column[2],
            row[0] * column[1] - row[1] * column[0]};
}

double distanceMm(const Point3& a, const Point3& b) { return norm3(sub(a, b)); }
double lengthMm(const Point3& a, const Point3& b) { return distanceMm(a, b); }

std::array<double, 2> planeCoordinates(const MeasurementPlane& plane, const Point3& point)
{
    const Point3 d = sub(point, plane.origin);
    return {dot3(d, plane.row), dot3(d, plane.column)};
}

Point3 planePoint(const MeasurementPlane& plane, double u, double v)
{
    return {plane.origin[0] + u * plane.row[0] + v * plane.column[0],
            plane.origin[1] + u * plane.row[1] + v * plane.column[1],
            plane.origin[2] + u * plane.row[2] + v * plane.column[2]};
}

double distanceFromPlane(const MeasurementPlane& plane, const Point3& point)
{
    return dot3(sub(point, plane.origin), plane.normal());
}

Point3 projectOntoPlane(const MeasurementPlane& plane, const Point3& point)
{
    // Along the normal only: the in-plane coordinates stay as given (no round trip through u, v and the origin).
    const double d = distanceFromPlane(plane, point);
    const Point3 n = plane.normal();
    return {point[0] - d * n[0], point[1] - d * n[1], point[2] - d * n[2]};
}

double angleDegrees(const Point3& armEnd1, const Point3& vertex, const Point3& armEnd2)
{
    return angleBetween(sub(armEnd1, vertex), sub(armEnd2, vertex));
}

double polygonAreaMm2(const MeasurementPlane& plane, const std::vector<Point3>& vertices)
{
    // Shoelace in the plane's own orthonormal coordinates, so the area is in mm² whatever the plane's tilt.
    double twice = 0;
    for (std::size_t i = 0; i < vertices.size(); ++i) {
        const auto p = planeCoordinates(plane, vertices[i]);
        const auto q = planeCoordinates(plane, vertices[(i + 1) % vertices.size()]);
        twice += p[0] * q[1] - q[0] * p[1];
    }
    return std::abs(twice) / 2;
}

bool PlaneEllipse::contains(double u, double v) const
{
    const double du = u - centre[0], dv = v - centre[1];
    const double along = du * axis[0] + dv * axis[1];
    const double across = -du * axis[1] + dv * axis[0];
    return (along * along) / (a * a) + (across * across) / (b * b) <= 1.0;
}

PlaneEllipse planeEllipse(const Measurement& ellipse)
{
    const auto c = planeCoordinates(ellipse.plane, ellipse.points.at(0));
    const auto p = planeCoordinates(ellipse.plane, ellipse.points.at(1));
    const auto q = planeCoordinates(ellipse.plane, ellipse.points.at(2));
    PlaneEllipse e;
    e.centre = c;
    e.a = std::hypot(p[0] - c[0], p[1] - c[1]);
    e.axis = e.a > 0 ? std::array<double, 2>{(p[0] - c[0]) / e.a, (p[1] - c[1]) / e.a} : std::array<double, 2>{1, 0};
    e.b = std::abs(-(q[0] - c[0]) * e.axis[1] + (q[1] - c[1]) * e.axis[0]);
    return e;
}

bool polygonContains(const std::vector<std::array<double, 2>>& polygon, double u, double v)
{
    bool inside = false;
    for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
        const auto& a = polygon[i];
        const auto& b = polygon[j];
        if ((a[1] > v) != (b[1] > v)) {
            const double crossU = a[0] + (v - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
            if (u < crossU)
                inside = !inside;
        }
    }
    return inside;
}

void validate(const Measurement& m)
{
    if (m.seriesInstanceUid.empty())
        invalid("the series it was drawn on is missing");
    const std::size_t expected = expectedPoints(m.kind);
    if (expected != 0 && m.points.size() != expected)
        invalid("a " + toString(m.kind) + " has " + std::to_string(expected) + " points, not " +
                std::to_string(m.points.size()));
    if (m.kind == MeasurementKind::Polygon && m.points.size() < 3)
        invalid("a polygon needs at least 3 points, not " + std::to_string(m.points.size()));
    auto finite = [](const Point3& p) { return std::isfinite(p[0]) && std::isfinite(p[1]) && std::isfinite(p[2]); };
    if (!finite(m.plane.origin) || !finite(m.plane.row) || !finite(m.plane.column))
        invalid("the plane has a coordinate that is not a number");
    if (std::abs(norm3(m.plane.row) - 1) > 1e-6 || std::abs(norm3(m.plane.column) - 1) > 1e-6 ||
        std::abs(dot3(m.plane.row, m.plane.column)) > 1e-6)
        invalid("the plane's row and column directions must be unit vectors at right angles");
    for (std::size_t i = 0; i < m.points.size(); ++i) {
        if (!finite(m.points[i]))
            invalid("point " + std::to_string(i + 1) + " has a coordinate that is not a number");
        if (std::abs(distanceFromPlane(m.plane, m.points[i])) > kOnPlaneToleranceMm)
            invalid("point " + std::to_string(i + 1) + " is " +
                    std::to_string(distanceFromPlane(m.plane, m.points[i])) + " mm off the plane it was drawn on");
    }
    switch (m.kind) {
        case MeasurementKind::Line:
        case MeasurementKind::Arrow:
            if (distanceMm(m.points[0], m.points[1]) <= 0)
                invalid("the two ends are the same point");
            if (m.kind == MeasurementKind::Arrow && m.label.find_first_not_of(" \t") == std::string::npos)
                invalid("an arrow needs its text");
            break;
        case MeasurementKind::Angle:
            if (distanceMm(m.points[0], m.points[1]) <= 0 || distanceMm(m.points[2], m.points[1]) <= 0)
                invalid("an arm of the angle has no length");
            break;
        case MeasurementKind::Ellipse: {
            const PlaneEllipse e = planeEllipse(m);
            if (e.a <= 0 || e.b <= 0)
                invalid("the ellipse has a zero axis");
            break;
        }
        case MeasurementKind::Polygon:
            if (polygonAreaMm2(m.plane, m.points) <= 0)
                invalid("the polygon encloses no area");
            break;
        case MeasurementKind::Bidirectional: {
            const double longAxis = distanceMm(m.points[0], m.points[1]);
            const double shortAxis = distanceMm(m.points[2], m.points[3]);
            if (longAxis <= 0 || shortAxis <= 0)
                invalid("an axis has no length");
            if (shortAxis > longAxis + 1e-9)
                invalid("the short axis (" + std::to_string(shortAxis) + " mm) is longer than the long axis (" +
                        std::to_string(longAxis) + " mm)");
            const double angle = angleBetween(sub(m.points[1], m.points[0]), sub(m.points[3], m.points[2]));
            if (std::abs(angle - 90) > kPerpendicularToleranceDegrees)
                invalid("the short axis must be perpendicular to the long axis (they are at " + std::to_string(angle) +
                        "°)");
            break;
        }
    }
}

std::string validationProblem(const Measurement& m)
{
    try {
        validate(m);
        return "";
    } catch (const UsageError& e) {
        return e.reason();
    }
}

MeasurementValues measurementValues(const Measurement& m)
{
    validate(m);
    MeasurementValues v;
    switch (m.kind) {
        case MeasurementKind::Line:
            v.lengthMm = lengthMm(m.points[0], m.points[1]);
            break;
        case MeasurementKind::Angle:
            v.angleDegrees = angleDegrees(m.points[0], m.points[1], m.points[2]);
            break;
        case MeasurementKind::Ellipse: {
            const PlaneEllipse e = planeEllipse(m);
            v.longAxisMm = 2 * std::max(e.a, e.b);
            v.shortAxisMm = 2 * std::min(e.a, e.b);
            v.areaMm2 = std::numbers::pi * e.a * e.b;
            break;
        }
        case MeasurementKind::Polygon:
            v.areaMm2 = polygonAreaMm2(m.plane, m.points);
            break;
        case MeasurementKind::Bidirectional:
            v.longAxisMm = lengthMm(m.points[0], m.points[1]);
            v.shortAxisMm = lengthMm(m.points[2], m.points[3]);
            v.axesAngleDegrees = angleBetween(sub(m.points[1], m.points[0]), sub(m.points[3], m.points[2]));
            break;
        case MeasurementKind::Arrow:
            break;
    }
    return v;
}

std::string toJson(const Measurement& m)
{
    std::vector<std::string> points;
    for (const auto& p : m.points)
        points.push_back(pointJson(p));
    JsonObject plane;
    plane.addRaw("origin", pointJson(m.plane.origin))
        .addRaw("row", pointJson(m.plane.row))
        .addRaw("column", pointJson(m.plane.column));
    JsonObject o;
    o.add("id", m.id).add("kind", toString(m.kind)).add("lesion_id", m.lesionId);
    o.addRaw("points", jsonArray(points)).addRaw("plane", plane.str());
    o.add("series_instance_uid", m.seriesInstanceUid)
        .add("sop_instance_uid", m.sopInstanceUid)
        .add("frame_number", m.frameNumber)
        .add("label", m.label)
        .add("tracking_uid", m.trackingUid)
        .add("reviewer", m.reviewer)
        .add("created_at", m.createdAt)
        .add("updated_at", m.updatedAt);
    return o.str();
}

}  // namespace consilium::model
