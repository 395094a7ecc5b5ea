// GeoJSON (QuPath) and ASAP XML: round trips, real-looking files from both tools, and bad files that must yield
// nothing but a message naming the place.
#include "pathology/annotation_exchange.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <numbers>

#include "model/error.h"
#include "pathology/slide.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::pathology;
using consilium::testing::TempDir;

namespace {

Annotation make(AnnotationShape shape, std::vector<PixelPoint> points, std::string className = "",
                std::string label = "", std::string author = "")
{
    Annotation a;
    a.shape = shape;
    a.points = std::move(points);
    a.className = std::move(className);
    a.label = std::move(label);
    a.author = std::move(author);
    return a;
}

std::string failure(const std::function<void()>& f)
{
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

// The number after `"key":` in the text, NaN when absent.
double numberAfter(const std::string& text, const std::string& key)
{
    const auto at = text.find("\"" + key + "\":");
    return at == std::string::npos ? NAN : std::strtod(text.c_str() + at + key.size() + 3, nullptr);
}

TEST(AnnotationExchange, GeoJsonRoundTripGivesTheSameAnnotations)
{
    const std::vector<Annotation> drawn{
        make(AnnotationShape::Point, {{0.1 + 0.2, 1e-9}}, "Mitosis", "", "Dr P. Test"),
        make(AnnotationShape::Ruler, {{100.5, 200.25}, {1234.125, 987.0625}}, "", "depth of invasion 1.2 mm"),
        make(AnnotationShape::Rectangle, {{5000.75, 4000.5}, {3000.25, 2000.125}}, "Stroma", "", "Dr P. Test"),
        make(AnnotationShape::Ellipse, {{10.1, 20.2}, {310.3, 120.4}}, "Necrosis", "focus \"A\"\n2nd line"),
        make(AnnotationShape::Polygon, {{1.0 / 3, 2.0 / 3}, {98765.4321, 12.5}, {50000, 79999.999}}, "Tumour",
             "invasive front — ünïcode"),
        make(AnnotationShape::Freehand, {{0, 0}, {10, 1}, {20, 5}, {15, 17}, {3, 12}}, "Margin", "", "Dr Q"),
        make(AnnotationShape::Polygon, {{0, 0}, {10, 0}, {10, 10}, {0, 10}}),  // stays a polygon, not a rectangle
    };
    const std::vector<AnnotationClass> classes{{1, "Mitosis", 0xFF00FF},
                                               {2, "Stroma", 0x96C896},
                                               {3, "Necrosis", 0x323232},
                                               {4, "Tumour", 0xC80000},
                                               {5, "Margin", 0x00A0E0}};
    const std::string json = toGeoJson(drawn, classes, 0.499, 0.499);
    const auto back = parseGeoJson(json, "round-trip.geojson");
    ASSERT_EQ(back.annotations.size(), drawn.size());
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(back.annotations[i].shape, drawn[i].shape);
        EXPECT_EQ(back.annotations[i].points, drawn[i].points);  // bit-exact, corner order kept
        EXPECT_EQ(back.annotations[i].className, drawn[i].className);
        EXPECT_EQ(back.annotations[i].label, drawn[i].label);
        EXPECT_EQ(back.annotations[i].author, drawn[i].author);
    }
    ASSERT_EQ(back.classes.size(), classes.size());
    for (std::size_t i = 0; i < classes.size(); ++i) {
        EXPECT_EQ(back.classes[i].name, classes[i].name);
        EXPECT_EQ(back.classes[i].colour, classes[i].colour);
    }
    EXPECT_TRUE(back.notes.empty());
    // The QuPath side of it: a FeatureCollection of annotations, classes with [r, g, b].
    EXPECT_EQ(json.find(R"({"type":"FeatureCollection","features":[)"), 0u);
    EXPECT_NE(json.find(R"("classification":{"name":"Tumour","color":[200,0,0]})"), std::string::npos);
    EXPECT_NE(json.find(R"("objectType":"annotation")"), std::string::npos);
}

// Hand computation at CMU-1's 0.499 µm per pixel: a 1000 × 500 px rectangle is 499 × 249.5 µm.
TEST(AnnotationExchange, ExportedMeasurementsAreInMicronsOnlyWhenCalibrated)
{
    const std::vector<Annotation> a{make(AnnotationShape::Rectangle, {{0, 0}, {1000, 500}}),
                                    make(AnnotationShape::Ruler, {{0, 0}, {600, 800}})};
    const std::string calibrated = toGeoJson(a, {}, 0.499, 0.499);
    EXPECT_NEAR(numberAfter(calibrated, "Area µm^2"), 124500.5, 1e-6);
    EXPECT_NEAR(numberAfter(calibrated, "Perimeter µm"), 1497, 1e-9);
    EXPECT_NEAR(numberAfter(calibrated, "Length µm"), 499, 1e-9);

    const std::string uncalibrated = toGeoJson(a, {}, std::nullopt, std::nullopt);
    EXPECT_EQ(uncalibrated.find("µm"), std::string::npos) << uncalibrated;
    EXPECT_DOUBLE_EQ(numberAfter(uncalibrated, "Area px^2"), 500000);
    EXPECT_DOUBLE_EQ(numberAfter(uncalibrated, "Length px"), 1000);
}

TEST(AnnotationExchange, MeasuresOnTheRealCmu1SlideUseItsMpp)
{
    CONSILIUM_REQUIRE_SHARED("slides/aperio/CMU-1-Small-Region.svs");
    const auto slide = Slide::open(consilium::testing::sharedData() / "slides/aperio/CMU-1-Small-Region.svs");
    const auto& info = slide->info();
    ASSERT_TRUE(info.calibrated());
    EXPECT_DOUBLE_EQ(*info.mppX, 0.499);
    // A 1 000 px ruler across the 2220 × 2967 region, a 400 × 300 px ellipse and a triangle, by hand.
    const auto ruler = measure(make(AnnotationShape::Ruler, {{100, 100}, {1100, 100}}), info.mppX, info.mppY);
    EXPECT_NEAR(*ruler.lengthUm, 499, 1e-9);
    const auto ellipse = measure(make(AnnotationShape::Ellipse, {{0, 0}, {400, 300}}), info.mppX, info.mppY);
    EXPECT_NEAR(*ellipse.areaUm2, std::numbers::pi * 99.8 * 74.85, 1e-6);  // π · (200·0.499) · (150·0.499)
    EXPECT_NEAR(*ellipse.areaMm2(), 0.023468, 1e-6);
    const auto triangle = measure(make(AnnotationShape::Polygon, {{0, 0}, {2000, 0}, {0, 2000}}), info.mppX, info.mppY);
    EXPECT_NEAR(*triangle.areaMm2(), 2e6 * 0.499 * 0.499 / 1e6, 1e-12);  // 0.498002 mm²
}

// What QuPath 0.4 writes for a project's annotations (Export objects as GeoJSON, "Pretty JSON"), trimmed: ids,
// locked flags and measurements as it writes them, a rectangle and an ellipse as polygons, counting points as a
// MultiPoint, a line, a polyline, a polygon with a hole, a MultiPolygon and one detection.
const char* kQuPathSample = R"({
  "type": "FeatureCollection",
  "features": [
    {
      "type": "Feature",
      "id": "5c6a8f0e-1d52-4a5b-9d62-3c3c8f7c1a01",
      "geometry": {
        "type": "Polygon",
        "coordinates": [[[1200, 800], [1800, 800], [1800, 1300], [1200, 1300], [1200, 800]]]
      },
      "properties": {
        "objectType": "annotation",
        "name": "Block A1 region",
        "classification": {"name": "Tumor", "color": [200, 0, 0]},
        "isLocked": false,
        "measurements": {"Area µm^2": 74700.3, "Perimeter µm": 1097.8}
      }
    },
    {
      "type": "Feature",
      "id": "5c6a8f0e-1d52-4a5b-9d62-3c3c8f7c1a02",
      "geometry": {
        "type": "Polygon",
        "coordinates": [[[2000.5, 1500.25], [2300.75, 1400], [2500, 1700.5], [2150, 1900], [2000.5, 1500.25]],
                        [[2100, 1600], [2200, 1600], [2200, 1700], [2100, 1600]]]
      },
      "properties": {"objectType": "annotation", "classification": {"name": "Stroma", "color": [150, 200, 150]}}
    },
    {
      "type": "Feature",
      "id": "5c6a8f0e-1d52-4a5b-9d62-3c3c8f7c1a03",
      "geometry": {"type": "MultiPoint", "coordinates": [[310.5, 420.25], [330, 431], [352.125, 418]]},
      "properties": {"objectType": "annotation", "classification": {"name": "Mitosis", "color": [255, 0, 255]}}
    },
    {
      "type": "Feature",
      "id": "5c6a8f0e-1d52-4a5b-9d62-3c3c8f7c1a04",
      "geometry": {"type": "LineString", "coordinates": [[100, 100], [700, 900]]},
      "properties": {"objectType": "annotation", "name": "Depth of invasion"}
    },
    {
      "type": "Feature",
      "id": "5c6a8f0e-1d52-4a5b-9d62-3c3c8f7c1a05",
      "geometry": {"type": "LineString", "coordinates": [[0, 0], [10, 10], [20, 0]]},
      "properties": {"objectType": "annotation"}
    },
    {
      "type": "Feature",
      "id": "5c6a8f0e-1d52-4a5b-9d62-3c3c8f7c1a06",
      "geometry": {
        "type": "MultiPolygon",
        "coordinates": [[[[0, 0], [50, 0], [0, 50], [0, 0]]], [[[100, 100], [150, 100], [100, 160], [100, 100]]]]
      },
      "properties": {"objectType": "annotation", "classification": {"name": "Necrosis", "color": [50, 50, 50]}}
    },
    {
      "type": "Feature",
      "id": "5c6a8f0e-1d52-4a5b-9d62-3c3c8f7c1a07",
      "geometry": {"type": "Polygon", "coordinates": [[[5, 5], [9, 5], [9, 9], [5, 5]]]},
      "properties": {"objectType": "detection", "classification": {"name": "Tumor", "color": [200, 0, 0]}}
    }
  ]
})";

TEST(AnnotationExchange, QuPathSampleImportsWithNotesForWhatHasNoShape)
{
    const auto f = parseGeoJson(kQuPathSample, "qupath.geojson");
    ASSERT_EQ(f.annotations.size(), 8u);  // rectangle, polygon, 3 points, ruler, 2 polygons
    const auto& rect = f.annotations[0];
    EXPECT_EQ(rect.shape, AnnotationShape::Rectangle);  // an axis-aligned 4-corner polygon
    EXPECT_EQ(rect.points, (std::vector<PixelPoint>{{1200, 800}, {1800, 1300}}));
    EXPECT_EQ(rect.className, "Tumor");
    EXPECT_EQ(rect.label, "Block A1 region");
    EXPECT_EQ(f.annotations[1].shape, AnnotationShape::Polygon);
    EXPECT_EQ(f.annotations[1].points.size(), 4u);  // closing position dropped, hole left out
    for (int i = 2; i < 5; ++i) {
        EXPECT_EQ(f.annotations[i].shape, AnnotationShape::Point);
        EXPECT_EQ(f.annotations[i].className, "Mitosis");
    }
    EXPECT_EQ(f.annotations[4].points[0], (PixelPoint{352.125, 418}));
    EXPECT_EQ(f.annotations[5].shape, AnnotationShape::Ruler);
    EXPECT_EQ(f.annotations[5].label, "Depth of invasion");
    EXPECT_EQ(f.annotations[5].className, "");
    EXPECT_EQ(f.annotations[6].className, "Necrosis");
    EXPECT_EQ(f.annotations[7].points[2], (PixelPoint{100, 160}));

    ASSERT_EQ(f.classes.size(), 4u);
    EXPECT_EQ(f.classes[1].name, "Stroma");
    EXPECT_EQ(f.classes[1].colour, 0x96C896u);
    std::string notes;
    for (const auto& n : f.notes)
        notes += n + "\n";
    EXPECT_NE(notes.find("features[1]: 1 hole(s) left out"), std::string::npos) << notes;
    EXPECT_NE(notes.find("features[4]: a line of 3 points (a polyline) was left out"), std::string::npos) << notes;
    EXPECT_NE(notes.find("features[5]: a MultiPolygon became 2 polygons"), std::string::npos) << notes;
    EXPECT_NE(notes.find("1 object(s) of type 'detection' were left out"), std::string::npos) << notes;
}

TEST(AnnotationExchange, OlderQuPathArrayWithColorRgbAndASingleFeature)
{
    // QuPath 0.2: a bare array, the colour as a packed ARGB int (-3670016 = 0xFFC80000).
    const auto f = parseGeoJson(R"([{"type":"Feature","id":"PathAnnotationObject",
        "geometry":{"type":"Point","coordinates":[12,34]},
        "properties":{"classification":{"name":"Tumor","colorRGB":-3670016},"isLocked":false}}])",
                                "old.json");
    ASSERT_EQ(f.annotations.size(), 1u);
    EXPECT_EQ(f.classes.at(0).colour, 0xC80000u);
    const auto one = parseGeoJson(R"({"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},
        "properties":{}})",
                                  "one.json");
    EXPECT_EQ(one.annotations.size(), 1u);
    EXPECT_EQ(parseGeoJson(R"({"type":"FeatureCollection","features":[]})", "empty").annotations.size(), 0u);
}

TEST(AnnotationExchange, BadGeoJsonYieldsNothingAndNamesThePlace)
{
    auto bad = [](const std::string& json) { return failure([&] { parseGeoJson(json, "bad.geojson"); }); };
    // Syntax: the line and column.
    EXPECT_EQ(bad("{\"type\": \"FeatureCollection\",\n  \"features\": [,]}").find("bad.geojson: line 2, column"), 0u)
        << bad("{\"type\": \"FeatureCollection\",\n  \"features\": [,]}");
    // Two good features, then a coordinate that is text: the whole file is refused, naming feature 2's position.
    const std::string good = R"({"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}})";
    EXPECT_EQ(bad(R"({"type":"FeatureCollection","features":[)" + good + "," + good +
                  R"(,{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],["x",1],[0,0]]]},
                  "properties":{}}]})"),
              "bad.geojson: features[2].geometry.coordinates[0][2][0]: is not a number");
    EXPECT_EQ(bad(R"({"type":"FeatureCollection","features":[)" + good +
                  R"(,{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]})"),
              "bad.geojson: features[1].geometry.coordinates[0]: needs at least 4 position(s), found 3");
    EXPECT_EQ(bad(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Circle",
                  "coordinates":[1,2]}}]})"),
              "bad.geojson: features[0].geometry.type: 'Circle' is not a GeoJSON geometry type");
    EXPECT_EQ(bad(R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{}}]})"),
              "bad.geojson: features[0].geometry: is missing");
    EXPECT_EQ(bad(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",
                  "coordinates":[1,2]},"properties":{"classification":{"name":"T","color":[300,0,0]}}}]})"),
              "bad.geojson: features[0].properties.classification.color: must be [red, green, blue], each a whole "
              "number 0–255");
    // QuPath 0.2's signed ARGB, out of range (fuzzing found the unchecked conversion: B5).
    EXPECT_EQ(bad(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",
                  "coordinates":[1,2]},"properties":{"classification":{"name":"T","colorRGB":-1e58}}}]})"),
              "bad.geojson: features[0].properties.classification.colorRGB: must be a whole number, a 32-bit ARGB "
              "colour");
    // Valid JSON, invalid shape (a polygon with no area): model::validate's reason, at the feature.
    EXPECT_EQ(bad(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon",
                  "coordinates":[[[0,0],[1,1],[2,2],[0,0]]]}}]})"),
              "bad.geojson: features[0]: its outline encloses no area (all points on one line)");
    EXPECT_EQ(bad(R"({"type":"Topology"})"),
              "bad.geojson: type: not GeoJSON annotations: expected a FeatureCollection, a Feature or an array of "
              "Features");
    EXPECT_EQ(bad(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",
                  "coordinates":[1e999,2]}}]})")
                  .find("bad.geojson: "),
              0u);
}

// What ASAP writes (CAMELYON16-style), with every annotation type and the groups at the end.
const char* kAsapSample = R"(<?xml version="1.0"?>
<ASAP_Annotations>
	<Annotations>
		<Annotation Name="Annotation 0" Type="Polygon" PartOfGroup="Tumor" Color="#F4FA58">
			<Coordinates>
				<Coordinate Order="2" X="1500.5" Y="1300.25" />
				<Coordinate Order="0" X="1000" Y="1000" />
				<Coordinate Order="1" X="1600" Y="1050" />
				<Coordinate Order="3" X="1100" Y="1400" />
			</Coordinates>
		</Annotation>
		<Annotation Name="Lymph node capsule" Type="Spline" PartOfGroup="None" Color="#F4FA58">
			<Coordinates>
				<Coordinate Order="0" X="10" Y="10" />
				<Coordinate Order="1" X="90" Y="12" />
				<Coordinate Order="2" X="60" Y="80" />
			</Coordinates>
		</Annotation>
		<Annotation Name="Annotation 2" Type="Dot" PartOfGroup="Mitosis" Color="#FF00FF">
			<Coordinates><Coordinate Order="0" X="333,5" Y="444" /></Coordinates>
		</Annotation>
		<Annotation Name="Annotation 3" Type="PointSet" PartOfGroup="Mitosis" Color="#FF00FF">
			<Coordinates>
				<Coordinate Order="0" X="1" Y="2" />
				<Coordinate Order="1" X="3" Y="4" />
			</Coordinates>
		</Annotation>
		<Annotation Name="Annotation 4" Type="Rectangle" PartOfGroup="Stroma" Color="#64FE2E">
			<Coordinates>
				<Coordinate Order="0" X="200" Y="100" />
				<Coordinate Order="1" X="400" Y="100" />
				<Coordinate Order="2" X="400" Y="250" />
				<Coordinate Order="3" X="200" Y="250" />
			</Coordinates>
		</Annotation>
		<Annotation Name="Annotation 5" Type="Measurement" PartOfGroup="None" Color="#000000">
			<Coordinates>
				<Coordinate Order="0" X="0" Y="0" />
				<Coordinate Order="1" X="300" Y="400" />
			</Coordinates>
		</Annotation>
	</Annotations>
	<AnnotationGroups>
		<Group Name="Tumor" PartOfGroup="None" Color="#C80000"><Attributes /></Group>
		<Group Name="Stroma" PartOfGroup="None" Color="#96C896"><Attributes /></Group>
	</AnnotationGroups>
</ASAP_Annotations>
)";

TEST(AnnotationExchange, AsapXmlWithEveryTypeAndGroupColours)
{
    const auto f = parseAsapXml(kAsapSample, "tumor_001.xml");
    ASSERT_EQ(f.annotations.size(), 7u);
    const auto& tumour = f.annotations[0];
    EXPECT_EQ(tumour.shape, AnnotationShape::Polygon);
    EXPECT_EQ(tumour.className, "Tumor");
    EXPECT_EQ(tumour.label, "");  // ASAP's own "Annotation 0" is not a label
    EXPECT_EQ(tumour.points,
              (std::vector<PixelPoint>{{1000, 1000}, {1600, 1050}, {1500.5, 1300.25}, {1100, 1400}}));  // by Order
    EXPECT_EQ(f.annotations[1].shape, AnnotationShape::Freehand);
    EXPECT_EQ(f.annotations[1].label, "Lymph node capsule");
    EXPECT_EQ(f.annotations[1].className, "");
    EXPECT_EQ(f.annotations[2].points[0], (PixelPoint{333.5, 444}));  // a decimal comma
    EXPECT_EQ(f.annotations[3].shape, AnnotationShape::Point);
    EXPECT_EQ(f.annotations[4].shape, AnnotationShape::Point);
    EXPECT_EQ(f.annotations[5].shape, AnnotationShape::Rectangle);
    EXPECT_EQ(f.annotations[5].points, (std::vector<PixelPoint>{{200, 100}, {400, 250}}));
    EXPECT_EQ(f.annotations[6].shape, AnnotationShape::Ruler);
    EXPECT_DOUBLE_EQ(measure(f.annotations[6], 0.499, 0.499).lengthUm.value(), 499 * 0.5);

    // The group's colour wins over the annotation's own; a class with no group keeps the annotation's.
    std::map<std::string, std::uint32_t> colours;
    for (const auto& c : f.classes)
        colours[c.name] = c.colour;
    EXPECT_EQ(colours.at("Tumor"), 0xC80000u);
    EXPECT_EQ(colours.at("Stroma"), 0x96C896u);
    EXPECT_EQ(colours.at("Mitosis"), 0xFF00FFu);
    EXPECT_EQ(f.notes.size(), 1u);
}

TEST(AnnotationExchange, BadAsapXmlYieldsNothingAndNamesTheLine)
{
    auto bad = [](const std::string& xml) { return failure([&] { parseAsapXml(xml, "bad.xml"); }); };
    const std::string head = "<ASAP_Annotations>\n<Annotations>\n";
    EXPECT_EQ(bad(head + R"(<Annotation Name="A" Type="Polygon" PartOfGroup="None"><Coordinates>
<Coordinate Order="0" X="1" Y="2"/>
<Coordinate Order="1" X="abc" Y="2"/>
</Coordinates></Annotation></Annotations></ASAP_Annotations>)"),
              "bad.xml: line 5: annotation 1 ('A'), coordinate 2: X 'abc' is not a number");
    EXPECT_EQ(bad(head + R"(<Annotation Name="Annotation 0" Type="Polygon" PartOfGroup="None"><Coordinates>
<Coordinate Order="0" X="1" Y="2"/><Coordinate Order="1" X="5" Y="2"/>
</Coordinates></Annotation></Annotations></ASAP_Annotations>)"),
              "bad.xml: line 3, annotation 1 ('Annotation 0'): an outline needs at least 3 points, not 2");
    EXPECT_EQ(bad(head + R"(<Annotation Name="A" Type="Circle"><Coordinates/></Annotation>
</Annotations></ASAP_Annotations>)"),
              "bad.xml: line 3, annotation 1 ('A'): Type 'Circle' is not an ASAP annotation type (Dot, PointSet, "
              "Measurement, Rectangle, Polygon, Spline)");
    EXPECT_EQ(bad(head + "<Annotation Name=\"A\" Type=\"Dot\"><Coordinates>\n<Coordinate X=\"1\" Y=\"2\">\n"
                         "</Coordinates></Annotation></Annotations></ASAP_Annotations>")
                  .find("bad.xml: line 5, column"),
              0u);
    EXPECT_EQ(bad("<Annotations/>"),
              "bad.xml: line 1: not an ASAP annotation file: the root element is <Annotations>, not "
              "<ASAP_Annotations>");
    // Truncated: the end tags never come.
    EXPECT_NE(bad(head + R"(<Annotation Name="A" Type="Dot"><Coordinates><Coordinate X="1" Y="2"/>)")
                  .find("not well-formed XML"),
              std::string::npos);
}

TEST(AnnotationExchange, FilesAreReadByTheirContentAndWrittenWhole)
{
    TempDir dir;
    std::ofstream(dir / "a.xml") << kAsapSample;
    std::ofstream(dir / "b.json") << "\xEF\xBB\xBF\n  " << kQuPathSample;
    std::ofstream(dir / "empty.geojson") << "  \n";
    EXPECT_EQ(readAnnotationFile(dir / "a.xml").annotations.size(), 7u);
    EXPECT_EQ(readAnnotationFile(dir / "b.json").annotations.size(), 8u);
    EXPECT_NE(failure([&] { readAnnotationFile(dir / "empty.geojson"); }).find("is empty"), std::string::npos);
    EXPECT_NE(failure([&] { readAnnotationFile(dir / "absent.geojson"); }).find("cannot be read"), std::string::npos);

    const std::vector<Annotation> one{make(AnnotationShape::Point, {{1, 2}})};
    writeGeoJson(dir / "out.geojson", one, {}, std::nullopt, std::nullopt);
    EXPECT_EQ(readAnnotationFile(dir / "out.geojson").annotations.size(), 1u);
    EXPECT_FALSE(std::filesystem::exists(dir / "out.geojson.partial"));
    EXPECT_THROW(writeGeoJson(dir / "no-such-folder" / "out.geojson", one, {}, std::nullopt, std::nullopt), Error);
}

}  // namespace
