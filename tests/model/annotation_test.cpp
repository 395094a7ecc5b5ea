#include "model/annotation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "model/error.h"

namespace consilium::model {
namespace {

constexpr double kCmu1Mpp = 0.499;  // CMU-1-Small-Region.svs: openslide.mpp-x = openslide.mpp-y = 0.499

Annotation shape(AnnotationShape s, std::vector<PixelPoint> points)
{
    Annotation a;
    a.shape = s;
    a.points = std::move(points);
    return a;
}

TEST(Annotation, ShapeNamesRoundTripAndUnknownIsAUsageError)
{
    for (auto s : {AnnotationShape::Point, AnnotationShape::Ruler, AnnotationShape::Rectangle, AnnotationShape::Ellipse,
                   AnnotationShape::Polygon, AnnotationShape::Freehand})
        EXPECT_EQ(annotationShapeFrom(toString(s)), s);
    EXPECT_EQ(toString(AnnotationShape::Freehand), "freehand");
    EXPECT_THROW(annotationShapeFrom("circle"), UsageError);
}

TEST(Annotation, ValidateNamesWhatIsWrong)
{
    auto reason = [](const Annotation& a) {
        try {
            validate(a);
        } catch (const UsageError& e) {
            return e.reason();
        }
        return std::string("valid");
    };
    EXPECT_EQ(reason(shape(AnnotationShape::Point, {{1, 2}})), "valid");
    EXPECT_NE(reason(shape(AnnotationShape::Point, {})).find("exactly 1"), std::string::npos);
    EXPECT_NE(reason(shape(AnnotationShape::Ruler, {{1, 2}})).find("exactly 2"), std::string::npos);
    EXPECT_NE(reason(shape(AnnotationShape::Ruler, {{1, 2}, {1, 2}})).find("same point"), std::string::npos);
    EXPECT_NE(reason(shape(AnnotationShape::Rectangle, {{1, 2}, {5, 2}})).find("zero width or height"),
              std::string::npos);
    EXPECT_NE(reason(shape(AnnotationShape::Ellipse, {{1, 2}, {1, 9}})).find("zero width or height"),
              std::string::npos);
    EXPECT_NE(reason(shape(AnnotationShape::Polygon, {{0, 0}, {1, 1}})).find("at least 3"), std::string::npos);
    EXPECT_NE(reason(shape(AnnotationShape::Freehand, {{0, 0}, {1, 1}, {2, 2}})).find("no area"), std::string::npos);
    EXPECT_NE(reason(shape(AnnotationShape::Polygon, {{0, 0}, {1, NAN}, {2, 0}})).find("point 2"), std::string::npos);
    EXPECT_NE(reason(shape(AnnotationShape::Point, {{INFINITY, 0}})).find("not a finite"), std::string::npos);
    EXPECT_EQ(reason(shape(AnnotationShape::Rectangle, {{9, 9}, {1, 2}})), "valid");  // corners in any order
}

TEST(Annotation, BoundsOfBoxesAndOutlines)
{
    const auto b = bounds(shape(AnnotationShape::Ellipse, {{90, 10}, {30, 70}}));
    EXPECT_EQ(b.minX, 30);
    EXPECT_EQ(b.minY, 10);
    EXPECT_EQ(b.maxX, 90);
    EXPECT_EQ(b.maxY, 70);
    const auto p = bounds(shape(AnnotationShape::Polygon, {{5, 5}, {-3, 8}, {4, -2}}));
    EXPECT_EQ(p.minX, -3);
    EXPECT_EQ(p.minY, -2);
    EXPECT_EQ(p.maxX, 5);
    EXPECT_EQ(p.maxY, 8);
    EXPECT_TRUE(p.intersects({5, 8, 6, 9}));  // touching counts
    EXPECT_FALSE(p.intersects({5.01, 0, 6, 1}));
}

// By hand, CMU-1 at 0.499 µm per pixel: 1 000 px = 499 µm; 1 px² = 0.249001 µm².
TEST(Annotation, RulerRectangleAndPolygonInMicronsWithCmu1Mpp)
{
    const auto ruler = measure(shape(AnnotationShape::Ruler, {{100, 200}, {700, 1000}}), kCmu1Mpp, kCmu1Mpp);
    EXPECT_DOUBLE_EQ(ruler.lengthPx, 1000);  // a 600-800-1000 triangle
    EXPECT_NEAR(*ruler.lengthUm, 499.0, 1e-9);
    EXPECT_EQ(ruler.areaPx, 0);
    EXPECT_FALSE(ruler.areaUm2);

    const auto rect = measure(shape(AnnotationShape::Rectangle, {{1000, 600}, {0, 100}}), kCmu1Mpp, kCmu1Mpp);
    EXPECT_DOUBLE_EQ(rect.areaPx, 500000);
    EXPECT_DOUBLE_EQ(rect.lengthPx, 3000);
    EXPECT_NEAR(*rect.areaUm2, 499.0 * 249.5, 1e-6);  // 124 500.5 µm²
    EXPECT_NEAR(*rect.lengthUm, 1497.0, 1e-9);
    EXPECT_NEAR(*rect.areaMm2(), 0.1245005, 1e-12);

    // A right triangle with 1 000 px legs: 500 000 px², perimeter 2 000 + 1 000·√2.
    const auto tri = measure(shape(AnnotationShape::Polygon, {{0, 0}, {1000, 0}, {0, 1000}}), kCmu1Mpp, kCmu1Mpp);
    EXPECT_DOUBLE_EQ(tri.areaPx, 500000);
    EXPECT_NEAR(tri.lengthPx, 2000 + 1000 * std::sqrt(2.0), 1e-9);
    EXPECT_NEAR(*tri.areaUm2, 124500.5, 1e-6);
    EXPECT_NEAR(*tri.lengthUm, 0.499 * (2000 + 1000 * std::sqrt(2.0)), 1e-9);
}

TEST(Annotation, EllipseAreaAndRamanujanPerimeter)
{
    // A 200 × 100 px box: semi-axes 100 and 50 px; in µm 49.9 and 24.95.
    const auto e = measure(shape(AnnotationShape::Ellipse, {{0, 0}, {200, 100}}), kCmu1Mpp, kCmu1Mpp);
    EXPECT_NEAR(e.areaPx, std::numbers::pi * 100 * 50, 1e-9);
    EXPECT_NEAR(*e.areaUm2, std::numbers::pi * 49.9 * 24.95, 1e-9);
    // Ramanujan's first formula, π(3(a + b) − √((3a + b)(a + 3b))), by hand: π(450 − √(350 · 250)) = 484.42105 px;
    // the exact perimeter (complete elliptic integral) is 484.42241 px, 2.8·10⁻⁶ away.
    EXPECT_NEAR(e.lengthPx, std::numbers::pi * (450 - std::sqrt(350.0 * 250.0)), 1e-9);
    EXPECT_NEAR(e.lengthPx, 484.42241, 484.42241 * 3e-6);
    EXPECT_NEAR(*e.lengthUm, 0.499 * e.lengthPx, 1e-9);
    // A circle is exact: 2πr.
    const auto c = measure(shape(AnnotationShape::Ellipse, {{0, 0}, {100, 100}}), std::nullopt, std::nullopt);
    EXPECT_NEAR(c.lengthPx, 2 * std::numbers::pi * 50, 1e-9);
}

TEST(Annotation, AnisotropicMppScalesXAndYSeparately)
{
    // 300 px across at 0.5 µm and 400 px down at 0.25 µm: 150 and 100 µm, not 0.375 × 500.
    const auto r = measure(shape(AnnotationShape::Ruler, {{0, 0}, {300, 400}}), 0.5, 0.25);
    EXPECT_NEAR(*r.lengthUm, std::hypot(150.0, 100.0), 1e-9);
    const auto sq = measure(shape(AnnotationShape::Rectangle, {{0, 0}, {300, 400}}), 0.5, 0.25);
    EXPECT_NEAR(*sq.areaUm2, 150.0 * 100.0, 1e-9);
    EXPECT_NEAR(*sq.lengthUm, 500.0, 1e-9);
}

TEST(Annotation, UncalibratedSlideHasNoMicrons)
{
    const auto a = shape(AnnotationShape::Polygon, {{0, 0}, {10, 0}, {10, 10}});
    for (auto [x, y] : {std::pair<std::optional<double>, std::optional<double>>{std::nullopt, std::nullopt},
                        {0.25, std::nullopt},
                        {std::nullopt, 0.25},
                        {0.0, 0.0},
                        {-1.0, 0.25}}) {
        const auto m = measure(a, x, y);
        EXPECT_DOUBLE_EQ(m.areaPx, 50);
        EXPECT_FALSE(m.lengthUm);
        EXPECT_FALSE(m.areaUm2);
        EXPECT_FALSE(m.areaMm2());
    }
    // Half-drawn shapes measure 0 instead of throwing (the GUI measures while the mouse moves).
    EXPECT_EQ(measure(shape(AnnotationShape::Polygon, {{0, 0}, {10, 0}}), kCmu1Mpp, kCmu1Mpp).areaUm2, 0.0);
    EXPECT_EQ(measure(shape(AnnotationShape::Ruler, {{0, 0}}), std::nullopt, std::nullopt).lengthPx, 0.0);
    const auto point = measure(shape(AnnotationShape::Point, {{3, 4}}), kCmu1Mpp, kCmu1Mpp);
    EXPECT_EQ(point.lengthPx, 0);
    EXPECT_FALSE(point.lengthUm);
}

TEST(Annotation, SimplifiedOutlineStaysWithinTolerance)
{
    // A freehand circle of radius 500 px drawn with 2 000 jittery points.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> jitter(-0.3, 0.3);
    std::vector<PixelPoint> drawn;
    for (int i = 0; i < 2000; ++i) {
        const double t = 2 * std::numbers::pi * i / 2000;
        drawn.push_back({1000 + 500 * std::cos(t) + jitter(rng), 1000 + 500 * std::sin(t) + jitter(rng)});
    }
    const double tolerance = 1.5;
    const auto kept = simplifyOutline(drawn, tolerance);
    EXPECT_GE(kept.size(), 3u);
    EXPECT_LT(kept.size(), 200u);
    // Every drawn point lies within the tolerance of some edge of the kept (closed) outline.
    auto segmentDistance = [](PixelPoint p, PixelPoint a, PixelPoint b) {
        const double dx = b.x - a.x, dy = b.y - a.y;
        const double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
        return std::hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
    };
    for (const auto& p : drawn) {
        double best = INFINITY;
        for (std::size_t i = 0; i < kept.size(); ++i)
            best = std::min(best, segmentDistance(p, kept[i], kept[(i + 1) % kept.size()]));
        EXPECT_LE(best, tolerance + 1e-9);
    }
    // Area is kept to within the tolerance band: |ΔA| ≤ perimeter × tolerance.
    const auto before = measure(shape(AnnotationShape::Freehand, drawn), std::nullopt, std::nullopt);
    const auto after = measure(shape(AnnotationShape::Freehand, kept), std::nullopt, std::nullopt);
    EXPECT_LE(std::abs(before.areaPx - after.areaPx), before.lengthPx * tolerance);
}

TEST(Annotation, SimplifyDropsRepeatsAndTheClosingPoint)
{
    const std::vector<PixelPoint> drawn{{0, 0}, {0, 0}, {10, 0}, {10, 10}, {10, 10}, {0, 10}, {0, 0}};
    const std::vector<PixelPoint> expected{{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    EXPECT_EQ(simplifyOutline(drawn, 0), expected);
    EXPECT_EQ(simplifyOutline(drawn, 0.5), expected);
    // A square with midpoints on its edges: the midpoints go, the corners stay.
    const std::vector<PixelPoint> dense{{0, 0}, {5, 0}, {10, 0}, {10, 5}, {10, 10}, {5, 10}, {0, 10}, {0, 5}};
    EXPECT_EQ(simplifyOutline(dense, 0.5), expected);
}

TEST(Annotation, MitoticRatePer10HpfAndPerMm2)
{
    // 0.55 mm field: π·0.275² = 0.237583 mm² per HPF, 2.37583 mm² per 10 HPF.
    const auto r = mitoticRate(12, 2.37583, 0.55);
    EXPECT_NEAR(r.per10Hpf, 12.0, 1e-4);
    EXPECT_NEAR(r.perMm2, 12 / 2.37583, 1e-9);
    const auto wide = mitoticRate(12, 2.37583, 0.65);  // a wider field holds more mitoses per 10 fields
    EXPECT_NEAR(wide.per10Hpf, 12 * std::pow(0.65 / 0.55, 2), 1e-3);
    EXPECT_EQ(mitoticRate(0, 1.0).per10Hpf, 0);
    EXPECT_THROW(mitoticRate(3, 0), UsageError);
    EXPECT_THROW(mitoticRate(-1, 1), UsageError);
    EXPECT_THROW(mitoticRate(3, 1, 0), UsageError);
}

TEST(Annotation, DefaultClassesAndTheirSpellings)
{
    const auto classes = defaultAnnotationClasses();
    auto find = [&](const std::string& name) {
        for (const auto& c : classes)
            if (c.name == name)
                return c.colour;
        return 0xFFFFFFFFu;
    };
    EXPECT_EQ(find("Tumour"), 0xC80000u);  // QuPath's Tumor red
    EXPECT_EQ(find("Stroma"), 0x96C896u);
    EXPECT_EQ(find("Immune cells"), 0xA05AA0u);
    for (const char* name : {"Necrosis", "Margin", "Mitosis", "Other"})
        EXPECT_NE(find(name), 0xFFFFFFFFu) << name;
    EXPECT_TRUE(sameAnnotationClass("Tumor", "tumour"));
    EXPECT_TRUE(sameAnnotationClass("STROMA", "Stroma"));
    EXPECT_FALSE(sameAnnotationClass("Tumour", "Stroma"));
}

}  // namespace
}  // namespace consilium::model
