#pragma once
// A radiologist's measurement on an image: what was drawn, where in the patient, on which plane, by whom.
//
// Geometry is kept in patient coordinates (DICOM LPS, mm), never in screen or voxel coordinates, so a measurement
// means the same thing in every view and after the volume is resampled: lengths are computed in patient space, which
// makes oblique planes and anisotropic voxels right by construction. The plane it was drawn on is kept with it
// (origin + unit row and column directions, as DICOM ImageOrientationPatient), because an ROI's statistics and the
// RECIST rule "long and short axis on the same slice" depend on it.
//
// Points of each kind (the GUI draws the handles at these points, in this order):
//   Line           2: the two ends.
//   Angle          3: end of the first arm, the vertex, end of the second arm.
//   Ellipse        3: centre, end of the first semi-axis, a point on the second semi-axis (only its component
//                     perpendicular to the first axis counts, so the ellipse is always a true ellipse).
//   Polygon        ≥3: the vertices of a freehand or polygon ROI, closed implicitly (last back to first).
//   Bidirectional  4: long axis ends (0, 1), then short axis ends (2, 3), perpendicular, on the same plane.
//   Arrow          2: the tip (what it points at), then the tail where `label` is written.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::model {

using Point3 = std::array<double, 3>;  // LPS, mm (the same layout as imaging::Vec3)

enum class MeasurementKind { Line, Angle, Ellipse, Polygon, Bidirectional, Arrow };
std::string toString(MeasurementKind kind);  // "line", "angle", "ellipse", "polygon", "bidirectional", "arrow"
std::optional<MeasurementKind> measurementKindFromString(std::string_view text);

// The plane a measurement was drawn on: origin + u·row + v·column (row and column unit, perpendicular).
struct MeasurementPlane {
    Point3 origin{0, 0, 0};
    Point3 row{1, 0, 0};     // direction of increasing column index on the screen (DICOM's row cosines)
    Point3 column{0, 1, 0};  // direction of increasing row index
    Point3 normal() const;
};

struct Measurement {
    std::int64_t id = 0;  // 0 until stored
    std::int64_t caseId = 0;
    std::optional<std::int64_t> lesionId;  // the RECIST lesion it measures, if any
    MeasurementKind kind = MeasurementKind::Line;
    std::vector<Point3> points;
    MeasurementPlane plane;
    std::string seriesInstanceUid;
    // The nearest source image when the plane is an acquired slice (empty on a reformatted plane) and its frame
    // (1-based; 0 for a single-frame image).
    std::string sopInstanceUid;
    int frameNumber = 0;
    std::string label;        // the arrow's text, or a note
    std::string trackingUid;  // stable DICOM UID of this measurement (SR Tracking Unique Identifier)
    std::string reviewer;     // filled by the store from the actor
    std::string createdAt;    // UTC, ISO 8601, filled by the store
    std::string updatedAt;    // likewise
    std::string studyDate;    // the time point: StudyDate of the series (read-only, from the imaging index)
};

// ---- geometry (patient space) ----------------------------------------------------------------------------------

double distanceMm(const Point3& a, const Point3& b);
// Plane coordinates (u along row, v along column, mm) of a point, and the point of plane coordinates.
std::array<double, 2> planeCoordinates(const MeasurementPlane& plane, const Point3& point);
Point3 planePoint(const MeasurementPlane& plane, double u, double v);
double distanceFromPlane(const MeasurementPlane& plane, const Point3& point);  // signed, along the normal
Point3 projectOntoPlane(const MeasurementPlane& plane, const Point3& point);

// What a measurement reads, by kind; absent when the kind has no such value.
struct MeasurementValues {
    std::optional<double> lengthMm;          // line
    std::optional<double> angleDegrees;      // angle, 0..180
    std::optional<double> longAxisMm;        // bidirectional; ellipse: the major diameter
    std::optional<double> shortAxisMm;       // bidirectional; ellipse: the minor diameter
    std::optional<double> areaMm2;           // ellipse (π·a·b) and polygon (shoelace in the plane): the drawn shape
    std::optional<double> axesAngleDegrees;  // bidirectional: angle between the axes (90 when perpendicular)
};
// Throws UsageError when the measurement is not valid (see validate).
MeasurementValues measurementValues(const Measurement& m);

double lengthMm(const Point3& a, const Point3& b);
double angleDegrees(const Point3& armEnd1, const Point3& vertex, const Point3& armEnd2);  // 0..180
double polygonAreaMm2(const MeasurementPlane& plane, const std::vector<Point3>& vertices);

// An ellipse ROI in plane coordinates: centre, unit direction of the first axis, semi-axes a (first) and b.
struct PlaneEllipse {
    std::array<double, 2> centre{0, 0};
    std::array<double, 2> axis{1, 0};
    double a = 0;
    double b = 0;
    bool contains(double u, double v) const;
};
PlaneEllipse planeEllipse(const Measurement& ellipse);
// Crossing-number (even-odd) rule in plane coordinates, half-open: a sample exactly on an edge belongs to one side
// only, so two ROIs sharing an edge never both count it.
bool polygonContains(const std::vector<std::array<double, 2>>& polygon, double u, double v);

// The RECIST rule that the short axis be perpendicular to the long axis: within this many degrees of 90.
inline constexpr double kPerpendicularToleranceDegrees = 2.0;
// Points must lie on their plane to this distance (mm): the GUI puts them exactly there; more is a caller's error.
inline constexpr double kOnPlaneToleranceMm = 0.01;

// Throws UsageError(subject "measurement", reason) naming what is wrong: unknown point count for the kind, a
// non-finite coordinate, a plane whose row/column are not unit and perpendicular, a point off the plane, zero
// length, a bidirectional whose axes are not perpendicular or whose short axis is longer than its long axis, an
// arrow without text, an empty series UID.
void validate(const Measurement& m);
// The same without throwing, for a drawing tool that colours a handle while the user drags: "" when valid.
std::string validationProblem(const Measurement& m);

std::string toJson(const Measurement& m);  // the audit log's before/after snapshot (every stored field)

}  // namespace consilium::model
