#include "pathology/annotation_exchange.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QString>
#include <QXmlStreamReader>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>

#include "model/error.h"
#include "model/json.h"

namespace consilium::pathology {
using model::Annotation;
using model::AnnotationClass;
using model::AnnotationShape;
using model::PixelBounds;
using model::PixelPoint;

namespace {

// ---- shared ----------------------------------------------------------------------------------------------------

// Keeps the first colour a file gives a class; later mentions of the same class only confirm it.
void noteClass(AnnotationFile& file, const std::string& name, std::optional<std::uint32_t> colour)
{
    if (name.empty())
        return;
    for (auto& c : file.classes)
        if (model::sameAnnotationClass(c.name, name))
            return;
    file.classes.push_back({0, name, colour.value_or(AnnotationClass{}.colour)});
}

PixelBounds boxOf(const std::vector<PixelPoint>& points)
{
    Annotation probe;
    probe.points = points;
    return model::bounds(probe);
}

// A closed ring as GeoJSON and ASAP may write it: the first point repeated at the end.
std::vector<PixelPoint> openRing(std::vector<PixelPoint> ring)
{
    while (ring.size() > 1 && ring.back() == ring.front())
        ring.pop_back();
    return ring;
}

bool isAxisAlignedRectangle(const std::vector<PixelPoint>& ring)
{
    if (ring.size() != 4)
        return false;
    for (std::size_t i = 0; i < 4; ++i) {
        const PixelPoint &p = ring[i], &q = ring[(i + 1) % 4];
        if (p.x != q.x && p.y != q.y)
            return false;
    }
    const auto b = boxOf(ring);
    return b.minX < b.maxX && b.minY < b.maxY;
}

std::string lineColumn(std::string_view text, std::size_t offset)
{
    offset = std::min(offset, text.size());
    const std::size_t line = 1 + std::size_t(std::count(text.begin(), text.begin() + std::ptrdiff_t(offset), '\n'));
    const std::size_t lineStart = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    const std::size_t column = lineStart == std::string_view::npos || offset == 0 ? offset + 1 : offset - lineStart;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// ---- GeoJSON in ------------------------------------------------------------------------------------------------

class GeoJsonReader {
public:
    GeoJsonReader(std::string source, AnnotationFile& out) : source_(std::move(source)), out_(out) {}

    void feature(const QJsonValue& value, const std::string& where)
    {
        if (!value.isObject())
            fail(where, "is not a GeoJSON Feature (an object)");
        const QJsonObject f = value.toObject();
        if (f.value("type").toString() != "Feature")
            fail(where + ".type", "must be \"Feature\"");
        const QJsonObject properties = object(f, "properties", where, true);
        const QString objectType = properties.value("objectType").toString("annotation");
        if (objectType != "annotation") {
            ++skippedObjects_[objectType.toStdString()];
            return;
        }
        Annotation proto;
        proto.label = text(properties, "name", where + ".properties");
        proto.className = classification(properties, where + ".properties");
        const QJsonObject hint = object(properties, "consilium", where + ".properties", true);
        proto.author = text(hint, "author", where + ".properties.consilium");
        const std::string shapeHint = text(hint, "shape", where + ".properties.consilium");

        const QJsonObject geometry = object(f, "geometry", where, false);
        const std::string g = where + ".geometry";
        const QString type = geometry.value("type").toString();
        const QJsonValue coordinates = geometry.value("coordinates");
        const std::size_t first = out_.annotations.size();
        if (type == "Point") {
            add(proto, AnnotationShape::Point, {position(coordinates, g + ".coordinates")}, where);
        } else if (type == "MultiPoint") {
            const auto points = positions(coordinates, g + ".coordinates", 1);
            for (const auto& p : points)
                add(proto, AnnotationShape::Point, {p}, where);
        } else if (type == "LineString") {
            const auto points = positions(coordinates, g + ".coordinates", 2);
            if (points.size() != 2) {
                notes_.push_back(where + ": a line of " + std::to_string(points.size()) +
                                 " points (a polyline) was left out: only 2-point lines (rulers) are Consilium shapes");
                return;
            }
            add(proto, AnnotationShape::Ruler, points, where);
        } else if (type == "Polygon") {
            polygon(proto, coordinates, g + ".coordinates", shapeHint, hint, where);
        } else if (type == "MultiPolygon") {
            if (!coordinates.isArray() || coordinates.toArray().isEmpty())
                fail(g + ".coordinates", "must be an array of polygons");
            const QJsonArray parts = coordinates.toArray();
            for (qsizetype i = 0; i < parts.size(); ++i)
                polygon(proto, parts[i], g + ".coordinates[" + std::to_string(i) + "]", "", {}, where);
            if (parts.size() > 1)
                notes_.push_back(where + ": a MultiPolygon became " + std::to_string(parts.size()) + " polygons");
        } else if (type == "GeometryCollection" || type == "MultiLineString") {
            notes_.push_back(where + ": a " + type.toStdString() + " was left out (no Consilium shape)");
            return;
        } else {
            fail(g + ".type", geometry.contains("type") ? "'" + type.toStdString() + "' is not a GeoJSON geometry type"
                                                        : "is missing");
        }
        for (std::size_t i = first; i < out_.annotations.size(); ++i)
            noteClass(out_, out_.annotations[i].className, colour_);
    }

    void finish()
    {
        for (const auto& [type, n] : skippedObjects_)
            notes_.push_back(std::to_string(n) + " object(s) of type '" + type +
                             "' were left out: only annotations are imported");
        out_.notes.insert(out_.notes.end(), notes_.begin(), notes_.end());
    }

    [[noreturn]] void fail(const std::string& where, const std::string& what) const
    {
        throw Error(source_, where + ": " + what);
    }

private:
    QJsonObject object(const QJsonObject& parent, const char* key, const std::string& where, bool optional) const
    {
        const QJsonValue v = parent.value(key);
        if (v.isObject())
            return v.toObject();
        if (optional && (v.isUndefined() || v.isNull()))
            return {};
        fail(where + "." + key, v.isUndefined() ? "is missing" : "must be an object");
    }

    std::string text(const QJsonObject& parent, const char* key, const std::string& where) const
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull())
            return "";
        if (!v.isString())
            fail(where + "." + key, "must be text");
        return v.toString().toStdString();
    }

    // {"name": "Tumor", "color": [200, 0, 0]} (0.4/0.5), {"name": …, "colorRGB": -3670016} (0.2/0.3), or "names".
    std::string classification(const QJsonObject& properties, const std::string& where)
    {
        colour_.reset();
        const QJsonObject c = object(properties, "classification", where, true);
        const std::string w = where + ".classification";
        std::string name = text(c, "name", w);
        if (name.empty() && c.value("names").isArray()) {
            for (const auto& part : c.value("names").toArray())
                name += (name.empty() ? "" : ": ") + part.toString().toStdString();
        }
        if (const QJsonValue color = c.value("color"); color.isArray()) {
            const QJsonArray rgb = color.toArray();
            std::uint32_t packed = 0;
            for (qsizetype i = 0; i < 3; ++i) {
                const double v = rgb.size() == 3 && rgb[i].isDouble() ? rgb[i].toDouble() : -1;
                if (v < 0 || v > 255 || v != std::floor(v))
                    fail(w + ".color", "must be [red, green, blue], each a whole number 0–255");
                packed = packed << 8 | std::uint32_t(v);
            }
            colour_ = packed;
        } else if (!color.isUndefined()) {
            fail(w + ".color", "must be [red, green, blue]");
        } else if (const QJsonValue argb = c.value("colorRGB"); argb.isDouble()) {
            // QuPath 0.2 writes a signed 32-bit ARGB; anything else is not a colour (and converting it unchecked
            // would be undefined: found by fuzzing, tests/fuzz/regressions-geojson/colorrgb-beyond-int64.geojson).
            const double v = argb.toDouble();
            if (!(v >= -2147483648.0 && v <= 4294967295.0) || v != std::floor(v))
                fail(w + ".colorRGB", "must be a whole number, a 32-bit ARGB colour");
            colour_ = std::uint32_t(std::int64_t(v)) & 0xFFFFFF;
        }
        return name;
    }

    PixelPoint position(const QJsonValue& v, const std::string& where) const
    {
        const QJsonArray a = v.toArray();
        if (!v.isArray() || a.size() < 2 || a.size() > 3)
            fail(where, "must be a position [x, y]");
        for (qsizetype i = 0; i < a.size(); ++i)
            if (!a[i].isDouble())
                fail(where + "[" + std::to_string(i) + "]", "is not a number");
        return {a[0].toDouble(), a[1].toDouble()};
    }

    std::vector<PixelPoint> positions(const QJsonValue& v, const std::string& where, qsizetype atLeast) const
    {
        if (!v.isArray())
            fail(where, "must be an array of positions");
        const QJsonArray a = v.toArray();
        if (a.size() < atLeast)
            fail(where,
                 "needs at least " + std::to_string(atLeast) + " position(s), found " + std::to_string(a.size()));
        std::vector<PixelPoint> out;
        out.reserve(std::size_t(a.size()));
        for (qsizetype i = 0; i < a.size(); ++i)
            out.push_back(position(a[i], where + "[" + std::to_string(i) + "]"));
        return out;
    }

    void polygon(const Annotation& proto, const QJsonValue& rings, const std::string& where,
                 const std::string& shapeHint, const QJsonObject& hint, const std::string& feature)
    {
        if (!rings.isArray() || rings.toArray().isEmpty())
            fail(where, "must be an array of linear rings");
        const QJsonArray r = rings.toArray();
        auto ring = openRing(positions(r[0], where + "[0]", 4));
        if (r.size() > 1)
            notes_.push_back(feature + ": " + std::to_string(r.size() - 1) +
                             " hole(s) left out (Consilium outlines have no holes)");
        AnnotationShape shape = AnnotationShape::Polygon;
        if (shapeHint == "rectangle" || shapeHint == "ellipse") {
            shape = model::annotationShapeFrom(shapeHint);
            ring = boxCorners(ring, hint, feature);
        } else if (shapeHint == "freehand") {
            shape = AnnotationShape::Freehand;
        } else if (shapeHint.empty() && isAxisAlignedRectangle(ring)) {
            shape = AnnotationShape::Rectangle;
            ring = boxCorners(ring, {}, feature);
        }
        add(proto, shape, std::move(ring), feature);
    }

    // The two corners of a box drawn as a polygon: the ones Consilium wrote when they still span the polygon's box
    // (they keep the order they were drawn in), else the box's own.
    std::vector<PixelPoint> boxCorners(const std::vector<PixelPoint>& ring, const QJsonObject& hint,
                                       const std::string& feature) const
    {
        const auto b = boxOf(ring);
        if (hint.value("points").isArray()) {
            const auto corners = positions(hint.value("points"), feature + ".properties.consilium.points", 2);
            if (corners.size() == 2) {
                const auto c = boxOf(corners);
                const double slack = 1e-6 * std::max({1.0, std::abs(b.maxX), std::abs(b.maxY)});
                if (std::abs(c.minX - b.minX) <= slack && std::abs(c.maxX - b.maxX) <= slack &&
                    std::abs(c.minY - b.minY) <= slack && std::abs(c.maxY - b.maxY) <= slack)
                    return corners;
            }
        }
        return {{b.minX, b.minY}, {b.maxX, b.maxY}};
    }

    void add(Annotation proto, AnnotationShape shape, std::vector<PixelPoint> points, const std::string& where)
    {
        proto.shape = shape;
        proto.points = std::move(points);
        try {
            model::validate(proto);
        } catch (const UsageError& e) {
            fail(where, e.reason());
        }
        out_.annotations.push_back(std::move(proto));
    }

    std::string source_;
    AnnotationFile& out_;
    std::optional<std::uint32_t> colour_;
    std::map<std::string, std::size_t> skippedObjects_;
    std::vector<std::string> notes_;
};

// ---- ASAP XML in -----------------------------------------------------------------------------------------------

std::optional<std::uint32_t> hexColour(const QString& text)
{
    bool ok = false;
    const uint v = QString(text).remove('#').toUInt(&ok, 16);
    return ok && text.startsWith('#') && text.size() == 7 ? std::optional(std::uint32_t(v)) : std::nullopt;
}

class AsapReader {
public:
    AsapReader(std::string_view xml, std::string source)
        : bytes_(QByteArray::fromRawData(xml.data(), qsizetype(xml.size()))), xml_(bytes_), source_(std::move(source))
    {
    }

    AnnotationFile read()
    {
        if (!xml_.readNextStartElement())
            failXml();
        if (xml_.name() != u"ASAP_Annotations")
            fail("not an ASAP annotation file: the root element is <" + xml_.name().toString().toStdString() +
                 ">, not <ASAP_Annotations>");
        while (xml_.readNextStartElement()) {
            if (xml_.name() == u"Annotations")
                annotations();
            else if (xml_.name() == u"AnnotationGroups")
                groups();
            else
                xml_.skipCurrentElement();
        }
        while (!xml_.atEnd())  // anything after the root element must still be well-formed
            xml_.readNext();
        if (xml_.hasError())
            failXml();
        for (const auto& [name, colour] : annotationColours_)
            noteClass(file_, name, colour);
        return std::move(file_);
    }

private:
    [[noreturn]] void fail(const std::string& what) const
    {
        throw Error(source_, "line " + std::to_string(xml_.lineNumber()) + ": " + what);
    }
    [[noreturn]] void failXml() const
    {
        throw Error(source_, "line " + std::to_string(xml_.lineNumber()) + ", column " +
                                 std::to_string(xml_.columnNumber()) +
                                 ": not well-formed XML: " + xml_.errorString().toStdString());
    }

    std::string attribute(const char* name) const { return xml_.attributes().value(name).toString().toStdString(); }

    double number(const char* name, const std::string& where)
    {
        QString text = xml_.attributes().value(name).toString().trimmed();
        if (!text.contains('.'))
            text.replace(',', '.');  // ASAP wrote the locale's decimal comma on some systems
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || !std::isfinite(v))
            fail(where + ": " + name + " '" + text.toStdString() + "' is not a number");
        return v;
    }

    void groups()
    {
        while (xml_.readNextStartElement()) {
            if (xml_.name() == u"Group") {
                const std::string name = attribute("Name");
                if (!name.empty() && name != "None")
                    noteClass(file_, name, hexColour(xml_.attributes().value("Color").toString()));
            }
            xml_.skipCurrentElement();
        }
        if (xml_.hasError())
            failXml();
    }

    void annotations()
    {
        while (xml_.readNextStartElement()) {
            if (xml_.name() == u"Annotation")
                annotation();
            else
                xml_.skipCurrentElement();
        }
        if (xml_.hasError())
            failXml();
    }

    void annotation()
    {
        ++count_;
        const std::string name = attribute("Name");
        const std::string where = "annotation " + std::to_string(count_) + (name.empty() ? "" : " ('" + name + "')");
        const std::string type = attribute("Type");
        const long startLine = long(xml_.lineNumber());
        Annotation a;
        std::string group = attribute("PartOfGroup");
        a.className = group == "None" ? "" : group;
        // ASAP names every annotation "Annotation N" by itself; only a name someone typed is a label.
        const bool generated = name.starts_with("Annotation ") &&
                               name.find_first_not_of("0123456789", 11) == std::string::npos && name.size() > 11;
        a.label = generated ? "" : name;
        if (!a.className.empty() && !annotationColours_.count(a.className))
            annotationColours_[a.className] = hexColour(xml_.attributes().value("Color").toString());

        std::vector<std::pair<double, PixelPoint>> ordered;
        while (xml_.readNextStartElement()) {
            if (xml_.name() != u"Coordinates") {
                xml_.skipCurrentElement();
                continue;
            }
            while (xml_.readNextStartElement()) {
                if (xml_.name() == u"Coordinate") {
                    const std::string at = where + ", coordinate " + std::to_string(ordered.size() + 1);
                    const double order =
                        xml_.attributes().hasAttribute("Order") ? number("Order", at) : double(ordered.size());
                    ordered.push_back({order, {number("X", at), number("Y", at)}});
                }
                xml_.skipCurrentElement();
            }
        }
        if (xml_.hasError())
            failXml();
        std::stable_sort(ordered.begin(), ordered.end(), [](auto& l, auto& r) { return l.first < r.first; });
        std::vector<PixelPoint> points;
        for (const auto& [order, p] : ordered)
            points.push_back(p);

        auto finish = [&](AnnotationShape shape, std::vector<PixelPoint> pts) {
            a.shape = shape;
            a.points = std::move(pts);
            try {
                model::validate(a);
            } catch (const UsageError& e) {
                throw Error(source_, "line " + std::to_string(startLine) + ", " + where + ": " + e.reason());
            }
            file_.annotations.push_back(a);
        };
        if (type == "Dot") {
            finish(AnnotationShape::Point, points);
        } else if (type == "PointSet") {
            if (points.empty())
                finish(AnnotationShape::Point, points);  // names the missing point
            for (const auto& p : points)
                finish(AnnotationShape::Point, {p});
        } else if (type == "Measurement") {
            finish(AnnotationShape::Ruler, points);
        } else if (type == "Rectangle") {
            if (points.size() != 4 && points.size() != 2)
                throw Error(source_, "line " + std::to_string(startLine) + ", " + where + ": a Rectangle has 4 " +
                                         "corners, not " + std::to_string(points.size()));
            const auto b = boxOf(points);
            finish(AnnotationShape::Rectangle, {{b.minX, b.minY}, {b.maxX, b.maxY}});
        } else if (type == "Polygon") {
            finish(AnnotationShape::Polygon, openRing(points));
        } else if (type == "Spline") {
            finish(AnnotationShape::Freehand, openRing(points));
            ++splines_;
            if (splines_ == 1)
                file_.notes.push_back("ASAP splines are imported as outlines through their control points");
        } else {
            throw Error(source_, "line " + std::to_string(startLine) + ", " + where + ": Type '" + type +
                                     "' is not an ASAP annotation type (Dot, PointSet, Measurement, Rectangle, "
                                     "Polygon, Spline)");
        }
    }

    QByteArray bytes_;
    QXmlStreamReader xml_;
    std::string source_;
    AnnotationFile file_;
    std::map<std::string, std::optional<std::uint32_t>> annotationColours_;
    int count_ = 0;
    int splines_ = 0;
};

// ---- GeoJSON out -----------------------------------------------------------------------------------------------

std::string position(PixelPoint p) { return "[" + model::jsonNumber(p.x) + "," + model::jsonNumber(p.y) + "]"; }

std::string ring(const std::vector<PixelPoint>& points)
{
    std::string out = "[[";
    for (const PixelPoint& p : points)
        out += position(p) + ",";
    return out + position(points.front()) + "]]";  // closed, as GeoJSON requires
}

// 64 vertices; the four extremes are the box's own values, so the polygon's bounds are the ellipse's box exactly.
std::vector<PixelPoint> ellipseOutline(const model::PixelBounds& b)
{
    constexpr int n = 64;
    const double cx = (b.minX + b.maxX) / 2, cy = (b.minY + b.maxY) / 2;
    const double rx = (b.maxX - b.minX) / 2, ry = (b.maxY - b.minY) / 2;
    std::vector<PixelPoint> out;
    for (int i = 0; i < n; ++i) {
        const double t = 2 * std::numbers::pi * i / n;
        PixelPoint p{cx + rx * std::cos(t), cy + ry * std::sin(t)};
        if (i == 0)
            p = {b.maxX, cy};
        else if (i == n / 4)
            p = {cx, b.maxY};
        else if (i == n / 2)
            p = {b.minX, cy};
        else if (i == 3 * n / 4)
            p = {cx, b.minY};
        out.push_back(p);
    }
    return out;
}

std::string geometry(const Annotation& a)
{
    const auto b = model::bounds(a);
    switch (a.shape) {
        case AnnotationShape::Point:
            return R"({"type":"Point","coordinates":)" + position(a.points[0]) + "}";
        case AnnotationShape::Ruler:
            return R"({"type":"LineString","coordinates":[)" + position(a.points[0]) + "," + position(a.points[1]) +
                   "]}";
        case AnnotationShape::Rectangle:
            return R"({"type":"Polygon","coordinates":)" +
                   ring({{b.minX, b.minY}, {b.maxX, b.minY}, {b.maxX, b.maxY}, {b.minX, b.maxY}}) + "}";
        case AnnotationShape::Ellipse:
            return R"({"type":"Polygon","coordinates":)" + ring(ellipseOutline(b)) + "}";
        case AnnotationShape::Polygon:
        case AnnotationShape::Freehand:
            return R"({"type":"Polygon","coordinates":)" + ring(a.points) + "}";
    }
    return "null";
}

std::string measurements(const Annotation& a, std::optional<double> mppX, std::optional<double> mppY)
{
    const auto m = model::measure(a, mppX, mppY);
    model::JsonObject o;
    const bool calibrated = m.lengthUm.has_value();
    if (model::isClosed(a.shape)) {
        if (calibrated)
            o.add("Area µm^2", *m.areaUm2).add("Perimeter µm", *m.lengthUm);
        else
            o.add("Area px^2", m.areaPx).add("Perimeter px", m.lengthPx);
    } else if (a.shape == AnnotationShape::Ruler) {
        if (calibrated)
            o.add("Length µm", *m.lengthUm);
        else
            o.add("Length px", m.lengthPx);
    }
    return o.str();
}

std::string feature(const Annotation& a, const std::map<std::string, std::uint32_t>& colours,
                    std::optional<double> mppX, std::optional<double> mppY)
{
    model::JsonObject properties;
    properties.add("objectType", "annotation");
    if (!a.label.empty())
        properties.add("name", a.label);
    if (!a.className.empty()) {
        const auto it = colours.find(a.className);
        const std::uint32_t c = it == colours.end() ? AnnotationClass{}.colour : it->second;
        properties.addRaw("classification", model::JsonObject()
                                                .add("name", a.className)
                                                .addRaw("color", model::jsonArray({std::to_string(c >> 16 & 0xFF),
                                                                                   std::to_string(c >> 8 & 0xFF),
                                                                                   std::to_string(c & 0xFF)}))
                                                .str());
    }
    properties.add("isLocked", false).addRaw("measurements", measurements(a, mppX, mppY));
    model::JsonObject hint;
    hint.add("shape", toString(a.shape));
    if (a.shape == AnnotationShape::Rectangle || a.shape == AnnotationShape::Ellipse)
        hint.addRaw("points", "[" + position(a.points[0]) + "," + position(a.points[1]) + "]");
    if (!a.author.empty())
        hint.add("author", a.author);
    properties.addRaw("consilium", hint.str());
    return R"({"type":"Feature","geometry":)" + geometry(a) + R"(,"properties":)" + properties.str() + "}";
}

}  // namespace

AnnotationFile parseGeoJson(std::string_view json, const std::string& source)
{
    QJsonParseError error;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), qsizetype(json.size())), &error);
    if (error.error != QJsonParseError::NoError)
        throw Error(source, lineColumn(json, std::size_t(std::max(0, error.offset))) +
                                ": not valid JSON: " + error.errorString().toStdString());
    AnnotationFile out;
    GeoJsonReader reader(source, out);
    if (doc.isArray()) {
        const QJsonArray features = doc.array();
        for (qsizetype i = 0; i < features.size(); ++i)
            reader.feature(features[i], "[" + std::to_string(i) + "]");
    } else {
        const QJsonObject root = doc.object();
        const QString type = root.value("type").toString();
        if (type == "Feature") {
            reader.feature(root, "the feature");
        } else if (type == "FeatureCollection") {
            if (!root.value("features").isArray())
                reader.fail("features", root.contains("features") ? "must be an array" : "is missing");
            const QJsonArray features = root.value("features").toArray();
            for (qsizetype i = 0; i < features.size(); ++i)
                reader.feature(features[i], "features[" + std::to_string(i) + "]");
        } else {
            reader.fail("type",
                        "not GeoJSON annotations: expected a FeatureCollection, a Feature or an array of "
                        "Features");
        }
    }
    reader.finish();
    return out;
}

AnnotationFile parseAsapXml(std::string_view xml, const std::string& source) { return AsapReader(xml, source).read(); }

AnnotationFile readAnnotationFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(file.string(), "cannot be read");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string text = bytes.str();
    const std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 byte-order mark
    const std::size_t start = text.find_first_not_of(" \t\r\n", bom);
    if (start == std::string::npos)
        throw Error(file.string(), "is empty: neither GeoJSON nor ASAP XML");
    if (text[start] == '<')
        return parseAsapXml(text, file.string());
    return parseGeoJson(std::string_view(text).substr(bom), file.string());
}

std::string toGeoJson(const std::vector<Annotation>& annotations, const std::vector<AnnotationClass>& classes,
                      std::optional<double> mppX, std::optional<double> mppY)
{
    std::map<std::string, std::uint32_t> colours;
    for (const auto& c : classes)
        colours[c.name] = c.colour;
    std::string out = R"({"type":"FeatureCollection","features":[)";
    for (std::size_t i = 0; i < annotations.size(); ++i)
        out += (i ? ",\n" : "\n") + feature(annotations[i], colours, mppX, mppY);
    return out + "\n]}\n";
}

void writeGeoJson(const std::filesystem::path& file, const std::vector<Annotation>& annotations,
                  const std::vector<AnnotationClass>& classes, std::optional<double> mppX, std::optional<double> mppY)
{
    const std::string json = toGeoJson(annotations, classes, mppX, mppY);
    const std::filesystem::path partial = file.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out.write(json.data(), std::streamsize(json.size()));
        out.close();
        if (!out) {
            std::remove(partial.c_str());
            throw Error(file.string(), "cannot be written");
        }
    }
    std::error_code ec;
    std::filesystem::rename(partial, file, ec);
    if (ec) {
        std::remove(partial.c_str());
        throw Error(file.string(), "cannot be written: " + ec.message());
    }
}

}  // namespace consilium::pathology
