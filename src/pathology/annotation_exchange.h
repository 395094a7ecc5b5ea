#pragma once
// Annotations in the formats pathologists exchange: GeoJSON as QuPath 0.4/0.5 reads and writes it, and ASAP's XML
// (read only). Coordinates are level-0 pixels in both, as in the store.
//
// Reading checks the whole file before returning anything: a file that is wrong anywhere throws
// consilium::Error(file, "<where>: <what>") — where is "features[12].geometry.coordinates[0]" for GeoJSON, "line 57,
// annotation 3" for XML — so that an import takes all of a file or none of it. What is valid but has no Consilium
// shape (QuPath's detections and cells, polylines, holes in a polygon) is left out and said in `notes`.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/annotation.h"

namespace consilium::pathology {

struct AnnotationFile {
    std::vector<model::Annotation> annotations;   // slideId and id 0; validated (model::validate)
    std::vector<model::AnnotationClass> classes;  // the classes the file names, with its colours (id 0)
    std::vector<std::string> notes;               // what was left out, and why
};

// GeoJSON: a FeatureCollection (QuPath 0.4/0.5), a bare array of Features (QuPath 0.2/0.3) or one Feature. Shapes:
// Point and MultiPoint → points; a 2-point LineString → a ruler; Polygon → polygon (an axis-aligned 4-corner one →
// rectangle), each part of a MultiPolygon likewise; `properties.consilium.shape` (written by toGeoJson) restores
// ellipses, rectangles and freehand outlines exactly. `properties.classification` {name, color [r,g,b] or colorRGB}
// gives the class, `properties.name` the label.
AnnotationFile parseGeoJson(std::string_view json, const std::string& source);

// ASAP: <ASAP_Annotations><Annotations><Annotation Name Type PartOfGroup Color><Coordinates><Coordinate Order X Y/>…
// Types Dot → point, PointSet → points, Measurement → ruler, Rectangle → rectangle, Polygon → polygon, Spline →
// freehand through its control points (noted). <AnnotationGroups><Group Name Color> gives the classes' colours;
// PartOfGroup "None" is unclassified.
AnnotationFile parseAsapXml(std::string_view xml, const std::string& source);

// Reads the file and parses it by its content: XML (first character '<') as ASAP, anything else as GeoJSON.
AnnotationFile readAnnotationFile(const std::filesystem::path& file);

// A QuPath-readable FeatureCollection: one Feature per annotation with `objectType` "annotation", `name` (the
// label), `classification` {name, color} from `classes`, `measurements` ("Area µm^2", "Perimeter µm", "Length µm"
// when the slide is calibrated, the px ones otherwise) and `consilium` {shape, points of a box, author}.
// Rectangles and ellipses are written as Polygons (as QuPath writes its own; ellipses with 64 vertices).
std::string toGeoJson(const std::vector<model::Annotation>& annotations,
                      const std::vector<model::AnnotationClass>& classes, std::optional<double> mppX,
                      std::optional<double> mppY);
// Written beside `file` and renamed into place, so a failed write never leaves half a file under the name.
void writeGeoJson(const std::filesystem::path& file, const std::vector<model::Annotation>& annotations,
                  const std::vector<model::AnnotationClass>& classes, std::optional<double> mppX,
                  std::optional<double> mppY);

}  // namespace consilium::pathology
