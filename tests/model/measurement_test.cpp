#include "model/measurement.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "model/error.h"

namespace consilium::model {
namespace {

// A plane tilted 30° about the patient's left-right axis from axial, through (10, -20, 35).
MeasurementPlane obliquePlane()
{
    const double c = std::cos(std::numbers::pi / 6), s = std::sin(std::numbers::pi / 6);
    return MeasurementPlane{{10, -20, 35}, {1, 0, 0}, {0, c, s}};
}

Measurement drawn(MeasurementKind kind, const MeasurementPlane& plane, std::vector<std::array<double, 2>> uv)
{
    Measurement m;
    m.kind = kind;
    m.plane = plane;
    m.seriesInstanceUid = "1.2.3";
    for (const auto& p : uv)
        m.points.push_back(planePoint(plane, p[0], p[1]));
    return m;
}

TEST(Measurement, LineOnAnObliquePlaneIsMeasuredInPatientSpace)
{
    // 30 mm along the row and 40 mm along the tilted column: 50 mm, whatever the tilt.
    const auto m = drawn(MeasurementKind::Line, obliquePlane(), {{0, 0}, {30, 40}});
    EXPECT_NEAR(*measurementValues(m).lengthMm, 50.0, 1e-12);
    // The same by hand from the LPS points: Δ = (30, 40 cos 30°, 40 sin 30°).
    const double c = std::cos(std::numbers::pi / 6);
    EXPECT_NEAR(distanceMm(m.points[0], m.points[1]), std::sqrt(30.0 * 30 + (40 * c) * (40 * c) + 20.0 * 20), 1e-12);
}

TEST(Measurement, AngleIsInDegrees)
{
    const auto right = drawn(MeasurementKind::Angle, obliquePlane(), {{10, 0}, {0, 0}, {0, 7}});
    EXPECT_NEAR(*measurementValues(right).angleDegrees, 90.0, 1e-12);
    const auto sixty = drawn(MeasurementKind::Angle, obliquePlane(), {{10, 0}, {0, 0}, {5, 5 * std::sqrt(3.0)}});
    EXPECT_NEAR(*measurementValues(sixty).angleDegrees, 60.0, 1e-9);
    const auto straight = drawn(MeasurementKind::Angle, obliquePlane(), {{10, 0}, {0, 0}, {-3, 0}});
    EXPECT_NEAR(*measurementValues(straight).angleDegrees, 180.0, 1e-12);
}

TEST(Measurement, BidirectionalAxesAndPerpendicularCheck)
{
    // Long axis 28 mm at 30° in the plane, short axis 21 mm perpendicular, crossing at the centre.
    const double a = std::numbers::pi / 6;
    const std::array<double, 2> d{std::cos(a), std::sin(a)}, n{-std::sin(a), std::cos(a)};
    auto m = drawn(
        MeasurementKind::Bidirectional, obliquePlane(),
        {{-14 * d[0], -14 * d[1]}, {14 * d[0], 14 * d[1]}, {-10.5 * n[0], -10.5 * n[1]}, {10.5 * n[0], 10.5 * n[1]}});
    const auto v = measurementValues(m);
    EXPECT_NEAR(*v.longAxisMm, 28.0, 1e-12);
    EXPECT_NEAR(*v.shortAxisMm, 21.0, 1e-12);
    EXPECT_NEAR(*v.axesAngleDegrees, 90.0, 1e-9);

    // 5° off perpendicular is refused, and so is a short axis longer than the long one.
    const double b = a + (90 + 5) * std::numbers::pi / 180;
    auto skew = drawn(MeasurementKind::Bidirectional, obliquePlane(),
                      {{-14 * d[0], -14 * d[1]}, {14 * d[0], 14 * d[1]}, {0, 0}, {10 * std::cos(b), 10 * std::sin(b)}});
    EXPECT_THROW(measurementValues(skew), UsageError);
    std::swap(m.points[0], m.points[2]);
    std::swap(m.points[1], m.points[3]);
    EXPECT_THROW(validate(m), UsageError);
}

TEST(Measurement, EllipseAndPolygonAreas)
{
    const auto e = drawn(MeasurementKind::Ellipse, obliquePlane(), {{5, 5}, {15, 5}, {5, 11}});
    const auto v = measurementValues(e);
    EXPECT_NEAR(*v.areaMm2, std::numbers::pi * 10 * 6, 1e-9);
    EXPECT_NEAR(*v.longAxisMm, 20.0, 1e-12);
    EXPECT_NEAR(*v.shortAxisMm, 12.0, 1e-12);
    EXPECT_TRUE(planeEllipse(e).contains(14.9, 5));
    EXPECT_FALSE(planeEllipse(e).contains(5, 11.1));

    // An L-shaped polygon of 3 unit squares scaled to 10 mm: 300 mm².
    const auto p =
        drawn(MeasurementKind::Polygon, obliquePlane(), {{0, 0}, {20, 0}, {20, 10}, {10, 10}, {10, 20}, {0, 20}});
    EXPECT_NEAR(*measurementValues(p).areaMm2, 300.0, 1e-9);
    std::vector<std::array<double, 2>> uv;
    for (const auto& x : p.points)
        uv.push_back(planeCoordinates(p.plane, x));
    EXPECT_TRUE(polygonContains(uv, 5, 15));
    EXPECT_FALSE(polygonContains(uv, 15, 15));
}

TEST(Measurement, ValidationNamesWhatIsWrong)
{
    auto line = drawn(MeasurementKind::Line, obliquePlane(), {{0, 0}, {10, 0}});
    EXPECT_NO_THROW(validate(line));
    auto offPlane = line;
    offPlane.points[1][2] += 1.0;
    try {
        validate(offPlane);
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.reason()).find("off the plane"), std::string::npos) << e.what();
    }
    EXPECT_EQ(validationProblem(line), "");
    EXPECT_NE(validationProblem(offPlane).find("off the plane"), std::string::npos);
    auto arrow = drawn(MeasurementKind::Arrow, obliquePlane(), {{0, 0}, {10, 0}});
    EXPECT_THROW(validate(arrow), UsageError);
    arrow.label = "necrotic core";
    EXPECT_NO_THROW(validate(arrow));
    auto noSeries = line;
    noSeries.seriesInstanceUid.clear();
    EXPECT_THROW(validate(noSeries), UsageError);
    auto badPlane = line;
    badPlane.plane.column = {0, 1, 1};
    EXPECT_THROW(validate(badPlane), UsageError);
    auto threePoints = line;
    threePoints.points.push_back(line.points[0]);
    EXPECT_THROW(validate(threePoints), UsageError);
}

TEST(Measurement, KindNamesRoundTrip)
{
    for (auto k : {MeasurementKind::Line, MeasurementKind::Angle, MeasurementKind::Ellipse, MeasurementKind::Polygon,
                   MeasurementKind::Bidirectional, MeasurementKind::Arrow})
        EXPECT_EQ(measurementKindFromString(toString(k)), k);
    EXPECT_FALSE(measurementKindFromString("circle"));
}

}  // namespace
}  // namespace consilium::model
