#pragma once
// Multiplanar reformatting geometry in patient space (DICOM LPS, mm), independent of any screen or toolkit.
//
// A ViewPlane says how the screen lies in the patient: `right` is the patient direction of the screen's +x, `down`
// of its +y. The standard planes follow the radiological convention every reading room uses: axial seen from the
// feet (patient's right on screen left, anterior up), coronal seen from the front (right on the left, head up),
// sagittal seen from the patient's left (anterior on the left, head up). Oblique planes are a rotation of them.
#include <array>
#include <string>

#include "imaging/volume.h"

namespace consilium::imaging {

using Vec3 = std::array<double, 3>;

Vec3 operator+(const Vec3& a, const Vec3& b);
Vec3 operator-(const Vec3& a, const Vec3& b);
Vec3 operator*(const Vec3& a, double s);
double dot(const Vec3& a, const Vec3& b);
Vec3 cross(const Vec3& a, const Vec3& b);
double norm(const Vec3& a);
Vec3 normalized(const Vec3& a);

enum class PlaneOrientation { Axial, Coronal, Sagittal };

struct ViewPlane {
    Vec3 right{1, 0, 0};
    Vec3 down{0, 1, 0};
    // Into the screen (right × down): towards the head on an axial view, which is seen from the feet.
    Vec3 normal() const { return cross(right, down); }
};

ViewPlane standardPlane(PlaneOrientation orientation);

// A rotation (3×3, row-major, orthonormal) applied to the standard planes: how oblique MPR keeps the three views
// perpendicular to each other while one is tilted.
using Rotation = std::array<double, 9>;
constexpr Rotation kNoRotation{1, 0, 0, 0, 1, 0, 0, 0, 1};
Rotation rotationAbout(const Vec3& axis, double degrees);
Rotation compose(const Rotation& first, const Rotation& then);  // `then` applied after `first`
Vec3 multiply(const Rotation& r, const Vec3& v);                // any 3×3 row-major matrix times v
// Inverse of a general 3×3 (row-major): a gantry-tilted volume's direction matrix is not orthogonal.
std::array<double, 9> inverse(const std::array<double, 9>& m);
ViewPlane rotated(const ViewPlane& plane, const Rotation& r);

// The patient-direction letters of a direction (L/R, P/A, S/I), strongest first; a secondary axis is named when it
// carries at least a quarter of the direction (so a 30° oblique axial reads "LA", not "L").
std::string orientationLetters(const Vec3& direction);

// Where the volume lies along a plane's normal, and the distance between its slices seen along that normal.
struct SliceRange {
    double first = 0;  // dot(normal, p) of the nearest and farthest voxel centres
    double last = 0;
    double step = 1;  // one voxel along the normal (the slice spacing for the volume's own orientation)
    int count() const;
    int indexOf(double depth) const;  // 0-based, clamped
};
SliceRange sliceRange(const Volume& volume, const Vec3& normal);

// The sampling grid of one view: pixel (x, y) samples origin + x·xStep + y·yStep (pixel centres, LPS mm).
struct PlaneGrid {
    Vec3 origin{0, 0, 0};
    Vec3 xStep{1, 0, 0};
    Vec3 yStep{0, 1, 0};
    int width = 0;
    int height = 0;
};

// The grid that shows `plane` through `centre` (the LPS point at the middle of the view) at `mmPerPixel`, sampled
// no finer than `finestMm` (the volume's smallest voxel spacing: finer adds no information and costs time). The
// returned grid may therefore be smaller than width × height; the renderer stretches it over the view.
PlaneGrid viewGrid(const ViewPlane& plane, const Vec3& centre, double mmPerPixel, int width, int height,
                   double finestMm);

double finestSpacing(const Volume& volume);

// The value of the voxel nearest to an LPS point (what a readout shows), or nothing outside the volume.
std::optional<double> voxelValueAt(const Volume& volume, const Vec3& point);

// Patient coordinates -> continuous voxel index (i, j, k) of the volume, inverse of origin + D·(i·sx, j·sy, k·sz).
Vec3 continuousIndex(const Volume& volume, const Vec3& point);

// The middle of the volume, LPS.
Vec3 volumeCentre(const Volume& volume);

}  // namespace consilium::imaging
